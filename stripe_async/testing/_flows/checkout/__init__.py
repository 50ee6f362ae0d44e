"""Checkout: sessions that sell through payments, subscriptions or saved cards."""
