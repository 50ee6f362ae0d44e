"""Hand-written additions mixed into generated services (see scripts/gen_api.py CUSTOM)."""
