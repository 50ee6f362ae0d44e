"""Connect: connected accounts and the money the platform moves to them."""
