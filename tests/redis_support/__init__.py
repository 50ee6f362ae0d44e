"""Helpers for the tests that run against a real Redis."""
