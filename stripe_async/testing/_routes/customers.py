"""/v1/customers (with search)."""

from __future__ import annotations

from .._flows.payments.customers import UPDATE_FIELDS, apply_update, check_update, create_customer
from .._modelled import Modelled
from .._params import (
    ADDRESS,
    ANY,
    BOOL,
    INT,
    METADATA,
    SHIPPING,
    STR,
    STR_LIST,
    Obj,
    Str,
)

INVOICE_SETTINGS = Obj(
    {
        "custom_fields": ANY,
        "default_payment_method": STR,
        "footer": STR,
        "rendering_options": ANY,
    }
)


_FIELDS = {
    "address": ADDRESS,
    "balance": INT,
    "business_name": Str(max_length=150),
    "description": STR,
    "email": Str(max_length=512),
    "invoice_prefix": STR,
    "individual_name": Str(max_length=150),
    "invoice_settings": INVOICE_SETTINGS,
    "metadata": METADATA,
    "name": Str(max_length=256),
    "next_invoice_sequence": INT,
    "phone": STR,
    "preferred_locales": STR_LIST,
    "shipping": SHIPPING,
    "source": STR,
    "tax_exempt": Str("none", "exempt", "reverse"),
    "test_clock": STR,
}


#: `validate` asks Stripe to check the customer's tax location; the emulator checks
#: none either way and computes no tax (automatic tax is refused), so it changes nothing.
_CREATE_FIELDS = {**_FIELDS, "validate": BOOL}

CUSTOMERS = Modelled(
    "customer",
    create=create_customer,
    create_params=Obj({**_CREATE_FIELDS, "payment_method": STR}),
    tombstones=True,
    update_params=Obj({**_CREATE_FIELDS, "default_source": STR}),
    update_fields=UPDATE_FIELDS,
    check_update=check_update,
    apply_update=apply_update,
    deletable=True,
    # Subscriptions end with their customer.
    check_delete=lambda state, customer, params: state.run_hooks("customer.deleted", customer),
    filters={"email": STR, "test_clock": STR},
    search={"created": "created", "email": "email", "name": "name", "phone": "phone"},
)

ROUTES = CUSTOMERS.routes()
