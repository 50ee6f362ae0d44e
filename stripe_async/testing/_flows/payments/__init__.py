"""Payments: payment methods, PaymentIntents, charges and refunds."""
