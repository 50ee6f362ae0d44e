"""In-process Stripe emulator (work in progress: see the emulator module)."""
