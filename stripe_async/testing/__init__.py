"""An in-process, stateful, test-mode Stripe for examples and your own tests.

```python
from stripe_async import StripeClient
from stripe_async.testing import StripeEmulator

async with StripeClient.for_emulator(StripeEmulator(seed=1)) as stripe:
    customer = await stripe.customers.create(email="jenny@example.com")
```

See docs/testing.md.
"""

from __future__ import annotations

from ._delivery import Delivery
from ._store import FrozenClock
from .emulator import EmulatorTransport, StripeEmulator

__all__ = ["Delivery", "EmulatorTransport", "FrozenClock", "StripeEmulator"]
