"""What changed in Stripe's request parameters between the 2023-08-16 spec and API 2026-10-28.

`gen_params.py` starts from the OpenAPI spec (the newest full one we have is
2023-08-16) and applies these edits so the generated TypedDicts describe the
API version stripe-async pins. The names were learned from Stripe's current API
reference; the schemas are written here by hand in the spec's own dialect, kept
deliberately shallow (deeper levels are `dict[str, Any]`).

Keys are "<service>.<method>"; a dotted parameter path ("payment_method_data.alma")
edits a nested object.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
BOOL: Schema = {"type": "boolean"}
TIME: Schema = {"type": "integer", "format": "unix-time"}
DECIMAL: Schema = {"type": "string", "format": "decimal"}
OBJECT: Schema = {"type": "object"}
STR_LIST: Schema = {"type": "array", "items": STR}


def enum(*values: str) -> Schema:
    return {"type": "string", "enum": list(values)}


def emptyable(schema: Schema) -> Schema:
    """A parameter that can also be sent as "" to unset it."""
    return {"anyOf": [schema, {"type": "string", "enum": [""]}]}


def obj(required: tuple[str, ...] = (), name: str = "", **properties: Schema) -> Schema:
    """An object schema; `name` titles its TypedDict when the shape is shared."""
    schema: Schema = {"type": "object", "properties": properties}
    if name:
        schema["x-class"] = name
    if required:
        schema["required"] = list(required)
    return schema


ALLOW_REDISPLAY = enum("always", "limited", "unspecified")
PAYMENT_BEHAVIOR = enum(
    "allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete"
)
DISCOUNTS = emptyable(
    {
        "type": "array",
        "items": obj(name="Discount", coupon=STR, discount=STR, promotion_code=STR),
    }
)
ISSUER = obj(("type",), name="Issuer", account=STR, type=enum("account", "self"))
BILLING_MODE = obj(("type",), name="BillingMode", type=enum("classic", "flexible"), flexible=OBJECT)
BILLING_SCHEDULES = {
    "type": "array",
    "items": obj(
        ("bill_until",), applies_to={"type": "array", "items": OBJECT}, bill_until=OBJECT, key=STR
    ),
}
AMOUNT_DETAILS = obj(
    discount_amount=emptyable(INT),
    enforce_arithmetic_validation=BOOL,
    line_items=emptyable({"type": "array", "items": OBJECT}),
    shipping=emptyable(OBJECT),
    tax=emptyable(OBJECT),
)
PAYMENT_DETAILS = obj(customer_reference=emptyable(STR), order_reference=emptyable(STR))
HOOKS = obj(inputs=OBJECT)
PAYMENT_METHOD_TYPES = STR_LIST
CURRENT_TRIAL = obj(("trial_offer",), name="CurrentTrial", trial_offer=STR)
SUBSCRIPTION_INVOICE_SETTINGS = obj(
    account_tax_ids=emptyable(STR_LIST),
    custom_fields=emptyable({"type": "array", "items": OBJECT}),
    description=STR,
    footer=STR,
    issuer=ISSUER,
)

#: Payment method types added since 2023-08-16; each takes its own (mostly empty) hash.
NEW_PAYMENT_METHOD_TYPES = [
    *("alma", "amazon_pay", "billie", "bizum", "crypto", "custom", "kakao_pay", "kr_card"),
    *("mb_way", "mobilepay", "multibanco", "naver_pay", "nz_bank_account", "pay_by_bank"),
    *("payco", "paypay", "payto", "revolut_pay", "samsung_pay", "satispay", "scalapay"),
    *("sequra", "sunbit", "swish", "twint", "upi"),
]
_NEW_PM_HASHES = {name: OBJECT for name in NEW_PAYMENT_METHOD_TYPES}
_NEW_PM_DATA = {
    f"payment_method_data.{name}": OBJECT for name in NEW_PAYMENT_METHOD_TYPES if name != "custom"
}

_PI_WRITE: dict[str, Schema] = {
    "allowed_payment_method_types": PAYMENT_METHOD_TYPES,
    "excluded_payment_method_types": emptyable(PAYMENT_METHOD_TYPES),
    "hooks": HOOKS,
    **_NEW_PM_DATA,
}

_CUSTOMER_NAMES = {
    "business_name": emptyable(STR),
    "individual_name": emptyable(STR),
    "validate": BOOL,
}

ADDED: dict[str, dict[str, Schema]] = {
    "customers.create": _CUSTOMER_NAMES,
    "customers.update": _CUSTOMER_NAMES,
    "customers.list_payment_methods": {"allow_redisplay": ALLOW_REDISPLAY},
    "payment_intents.create": {
        **_PI_WRITE,
        "amount_details": AMOUNT_DETAILS,
        "payment_details": PAYMENT_DETAILS,
        "confirmation_token": STR,
        "customer_account": STR,
        "payment_method_configuration": STR,
    },
    "payment_intents.update": {
        **_PI_WRITE,
        "amount_details": emptyable(AMOUNT_DETAILS),
        "payment_details": emptyable(PAYMENT_DETAILS),
        "customer_account": STR,
        "payment_method_configuration": STR,
    },
    "payment_intents.confirm": {
        **_PI_WRITE,
        "amount_details": emptyable(AMOUNT_DETAILS),
        "payment_details": emptyable(PAYMENT_DETAILS),
        "amount_to_confirm": INT,
        "confirmation_token": STR,
    },
    "payment_intents.capture": {
        "amount_details": AMOUNT_DETAILS,
        "payment_details": emptyable(PAYMENT_DETAILS),
        "final_capture": BOOL,
        "hooks": HOOKS,
    },
    "payment_intents.increment_authorization": {
        "amount_details": AMOUNT_DETAILS,
        "payment_details": PAYMENT_DETAILS,
        "hooks": HOOKS,
    },
    "payment_intents.list": {"customer_account": STR},
    "payment_methods.create": {"allow_redisplay": ALLOW_REDISPLAY, **_NEW_PM_HASHES},
    "payment_methods.update": {"allow_redisplay": ALLOW_REDISPLAY},
    "payment_methods.attach": {"customer_account": STR},
    "payment_methods.list": {"allow_redisplay": ALLOW_REDISPLAY, "customer_account": STR},
    "products.create": {
        "marketing_features": {"type": "array", "items": obj(("name",), name=STR)},
        "tax_details": obj(performance_location=STR, tax_code=emptyable(STR)),
        "type": enum("good", "service"),
    },
    "products.update": {
        "marketing_features": emptyable({"type": "array", "items": obj(("name",), name=STR)}),
        "tax_details": obj(performance_location=STR, tax_code=emptyable(STR)),
    },
    "products.list": {"type": enum("good", "service")},
    "subscriptions.create": {
        "billing_cycle_anchor_config": obj(
            ("day_of_month",), day_of_month=INT, hour=INT, minute=INT, month=INT, second=INT
        ),
        "billing_mode": BILLING_MODE,
        "billing_schedules": BILLING_SCHEDULES,
        "customer_account": STR,
        "discounts": DISCOUNTS,
        "invoice_settings": SUBSCRIPTION_INVOICE_SETTINGS,
        "items.discounts": DISCOUNTS,
        "add_invoice_items.discounts": DISCOUNTS,
    },
    "subscriptions.update": {
        "billing_schedules": emptyable(BILLING_SCHEDULES),
        "discounts": DISCOUNTS,
        "invoice_settings": SUBSCRIPTION_INVOICE_SETTINGS,
        "items.discounts": DISCOUNTS,
        "add_invoice_items.discounts": DISCOUNTS,
    },
    "subscriptions.resume": {
        "payment_behavior": enum("resume_on_payment_attempt", "resume_on_payment_success"),
    },
    "subscriptions.list": {"customer_account": STR, "plan": STR},
    "subscription_items.create": {
        "current_trial": CURRENT_TRIAL,
        "discounts": DISCOUNTS,
        "plan": STR,
    },
    "subscription_items.update": {
        "current_trial": CURRENT_TRIAL,
        "discounts": DISCOUNTS,
        "plan": STR,
    },
    "subscription_items.delete": {"payment_behavior": PAYMENT_BEHAVIOR},
    "invoices.create": {
        "automatically_finalizes_at": TIME,
        "customer_account": STR,
        "issuer": ISSUER,
        "number": STR,
        "rendering": obj(
            amount_tax_display=emptyable(enum("exclude_tax", "include_inclusive_tax")),
            pdf=OBJECT,
            template=STR,
            template_version=emptyable(INT),
        ),
    },
    "invoices.update": {
        "automatically_finalizes_at": TIME,
        "issuer": ISSUER,
        "number": emptyable(STR),
        "rendering": obj(
            amount_tax_display=emptyable(enum("exclude_tax", "include_inclusive_tax")),
            pdf=OBJECT,
            template=STR,
            template_version=emptyable(INT),
        ),
    },
    "invoices.list": {"customer_account": STR},
    "invoices.create_preview": {
        "customer_account": STR,
        "issuer": ISSUER,
        "on_behalf_of": emptyable(STR),
        "preview_mode": enum("next", "recurring"),
        "schedule": STR,
        "schedule_details": obj(
            billing_mode=BILLING_MODE,
            end_behavior=enum("cancel", "release"),
            pause_schedules=emptyable({"type": "array", "items": OBJECT}),
            phases={"type": "array", "items": OBJECT},
            proration_behavior=enum("always_invoice", "create_prorations", "none"),
        ),
        "subscription_details.billing_mode": BILLING_MODE,
        "subscription_details.metadata": emptyable({"type": "object", "additionalProperties": STR}),
    },
    "invoice_items.create": {
        "customer_account": STR,
        "pricing": obj(price=STR),
        "quantity_decimal": DECIMAL,
    },
    "invoice_items.update": {
        "invoicing_rules": enum(""),
        "pricing": obj(price=STR),
        "quantity_decimal": DECIMAL,
    },
    "invoice_items.list": {"customer_account": STR},
}

#: Parameters the current API no longer accepts (Stripe rejects them on 2026-10-28).
REMOVED: dict[str, list[str]] = {
    "customers.create": ["coupon", "promotion_code"],
    "customers.update": [
        "bank_account",
        "card",
        "coupon",
        "default_alipay_account",
        "default_bank_account",
        "default_card",
        "promotion_code",
    ],
    # `payment_method_types` became `allowed_payment_method_types`.
    "payment_intents.create": ["payment_method_types"],
    "payment_intents.update": ["payment_method_types"],
    "payment_intents.confirm": ["client_secret", "payment_method_types"],
    "payment_methods.update": ["link"],
    "charges.create": ["card"],
    # `features` became `marketing_features`.
    "products.create": ["features"],
    "products.update": ["features"],
    # `coupon`/`promotion_code` became `discounts=[{"coupon": ...}]`.
    "subscriptions.create": ["coupon", "promotion_code"],
    "subscriptions.update": ["coupon", "promotion_code"],
    # `rendering_options` became `rendering`.
    "invoices.create": ["rendering_options"],
    "invoices.update": ["rendering_options"],
    # `price`/`unit_amount` became `pricing={"price": ...}` / `price_data`.
    "invoice_items.create": ["price", "unit_amount"],
    "invoice_items.update": ["price", "unit_amount"],
}


# --- changes inside nested objects ------------------------------------------

_IF_AVAILABLE = enum("if_available", "never")
_CREDENTIAL_USAGE = enum("installment", "recurring", "unscheduled")
_METADATA = {"type": "object", "additionalProperties": STR}
_NEW_SUBSCRIPTION_PM_OPTIONS = ("billie", "blik", "payto", "pix", "sepa_debit", "upi")

NESTED_ADDED: dict[tuple[str, ...], dict[str, Schema]] = {
    ("payment_intents.create", "payment_intents.update", "payment_intents.confirm"): {
        "payment_method_data.allow_redisplay": ALLOW_REDISPLAY,
        "payment_method_data.billing_details.tax_id": STR,
        "payment_method_data.fpx.account_holder_type": enum("company", "individual"),
        **{
            f"payment_method_options.{name}": OBJECT
            for name in NEW_PAYMENT_METHOD_TYPES
            if name != "custom"
        },
        "payment_method_options.acss_debit.target_date": STR,
        "payment_method_options.au_becs_debit.target_date": STR,
        "payment_method_options.bacs_debit.target_date": STR,
        "payment_method_options.bacs_debit.mandate_options": OBJECT,
        "payment_method_options.sepa_debit.target_date": STR,
        "payment_method_options.blik.mandate_options": OBJECT,
        "payment_method_options.blik.setup_future_usage": emptyable(enum("none", "off_session")),
        "payment_method_options.card.moto": BOOL,
        "payment_method_options.card.request_extended_authorization": _IF_AVAILABLE,
        "payment_method_options.card.request_incremental_authorization": _IF_AVAILABLE,
        "payment_method_options.card.request_multicapture": _IF_AVAILABLE,
        "payment_method_options.card.request_overcapture": _IF_AVAILABLE,
        "payment_method_options.card.require_cvc_recollection": BOOL,
        "payment_method_options.card.setup_credential_usage": _CREDENTIAL_USAGE,
        "payment_method_options.card.stored_credential_usage": _CREDENTIAL_USAGE,
        "payment_method_options.card.three_d_secure": OBJECT,
        "payment_method_options.card_present.capture_method": enum("manual", "manual_preferred"),
        "payment_method_options.card_present.routing": OBJECT,
        "payment_method_options.klarna.on_demand": OBJECT,
        "payment_method_options.klarna.subscriptions": emptyable(
            {"type": "array", "items": OBJECT}
        ),
        "payment_method_options.link.persistent_token": STR,
        "payment_method_options.pix.amount_includes_iof": enum("always", "never"),
        "payment_method_options.pix.mandate_options": OBJECT,
        "payment_method_options.us_bank_account.mandate_options": OBJECT,
        "payment_method_options.us_bank_account.target_date": STR,
        "payment_method_options.us_bank_account.transaction_purpose": emptyable(
            enum("goods", "other", "services", "unspecified")
        ),
    },
    ("payment_intents.create", "payment_intents.update"): {
        "transfer_data.description": STR,
        "transfer_data.metadata": emptyable(_METADATA),
        "transfer_data.payment_data": OBJECT,
    },
    ("payment_intents.create", "payment_intents.confirm"): {
        "radar_options.referrer": emptyable(STR),
    },
    ("payment_methods.create", "payment_methods.update"): {
        "billing_details.tax_id": STR,
        "card.networks": OBJECT,
    },
    ("payment_methods.create",): {
        "card.token": STR,
        "fpx.account_holder_type": enum("company", "individual"),
    },
    ("payment_methods.update",): {
        "us_bank_account.account_type": enum("checking", "savings"),
    },
    ("customers.create", "customers.update"): {
        "tax.validate_location": enum("deferred", "immediately"),
        "invoice_settings.rendering_options.template": STR,
    },
    ("charges.create",): {"transfer_data.description": STR},
    ("products.create",): {
        "default_price_data.custom_unit_amount": OBJECT,
        "default_price_data.metadata": _METADATA,
    },
    ("prices.create",): {
        "product_data.tax_details": OBJECT,
        "recurring.meter": STR,
        "recurring.trial_period_days": INT,
    },
    ("prices.list",): {"recurring.meter": STR},
    ("subscriptions.create", "subscriptions.update"): {
        "add_invoice_items.discountable": BOOL,
        "add_invoice_items.metadata": _METADATA,
        "add_invoice_items.period": OBJECT,
        "automatic_tax.liability": ISSUER,
        "items.current_trial": CURRENT_TRIAL,
        "items.plan": STR,
        "trial_settings.end_behavior.billing_cycle_anchor": enum("now", "unchanged"),
        **{
            f"payment_settings.payment_method_options.{name}": emptyable(OBJECT)
            for name in _NEW_SUBSCRIPTION_PM_OPTIONS
        },
    },
    ("subscriptions.update", "subscriptions.cancel"): {
        "cancellation_details.feedback_option": STR,
    },
    ("invoices.create", "invoices.update"): {
        "automatic_tax.liability": ISSUER,
        "discounts.promotion_code": STR,
        **{
            f"payment_settings.payment_method_options.{name}": emptyable(OBJECT)
            for name in _NEW_SUBSCRIPTION_PM_OPTIONS
        },
    },
    ("invoices.create_preview",): {
        "automatic_tax.liability": ISSUER,
        "discounts.promotion_code": STR,
        "invoice_items.quantity_decimal": DECIMAL,
        "invoice_items.discounts.promotion_code": STR,
        "subscription_details.billing_schedules": emptyable({"type": "array", "items": OBJECT}),
        "subscription_details.pause": OBJECT,
        "subscription_details.items.current_trial": CURRENT_TRIAL,
        "subscription_details.items.discounts": DISCOUNTS,
        "subscription_details.items.plan": STR,
    },
    ("invoice_items.create", "invoice_items.update"): {"discounts.promotion_code": STR},
}

NESTED_REMOVED: dict[tuple[str, ...], list[str]] = {
    ("payment_intents.create", "payment_intents.update", "payment_intents.confirm"): [
        "payment_method_options.us_bank_account.preferred_settlement_speed"
    ],
    ("prices.create",): ["recurring.aggregate_usage"],
    ("invoices.create_preview",): ["subscription_details.trial_from_plan"],
}

for _keys, _changes in NESTED_ADDED.items():
    for _key in _keys:
        ADDED.setdefault(_key, {}).update(_changes)
for _keys, _paths in NESTED_REMOVED.items():
    for _key in _keys:
        REMOVED.setdefault(_key, []).extend(_paths)

#: One-line docs for parameters added since the spec (the spec's own are reused as is).
DESCRIPTIONS: dict[str, str] = {
    "allow_redisplay": "Whether the payment method may be shown to the customer again later.",
    "allowed_payment_method_types": "The payment method types this payment may use.",
    "amount_details": "Line items, discounts, shipping and tax making up the amount.",
    "amount_to_confirm": "The amount to confirm (for partial confirmation).",
    "automatically_finalizes_at": "When the draft invoice is finalized automatically.",
    "billing_cycle_anchor_config": "Anchor the billing cycle to a day of the month (and time).",
    "billing_mode": "How billing and prorations are computed (`classic` or `flexible`).",
    "billing_schedules": "Billing schedules of the subscription.",
    "business_name": "The customer's business name.",
    "confirmation_token": "A ConfirmationToken made client-side to confirm with.",
    "current_trial": "Start a trial for this item from a trial offer.",
    "customer_account": "The Account (v2) representing the customer.",
    "discounts": "Coupons, promotion codes or discounts to apply (replaces `coupon`).",
    "excluded_payment_method_types": "Payment method types this payment must not use.",
    "final_capture": "Whether this is the last capture (releases the rest of the amount).",
    "hooks": "Automations to run around this payment.",
    "individual_name": "The customer's full name as an individual.",
    "invoice_settings": "Settings for the invoices this subscription creates.",
    "issuer": "The connected account that issues the invoice.",
    "marketing_features": "Features shown in pricing tables (replaces `features`).",
    "number": "A custom invoice number.",
    "on_behalf_of": "The account the invoice is issued on behalf of.",
    "payment_details": "Customer and order references for the payment.",
    "payment_method_configuration": "The payment method configuration to use.",
    "preview_mode": "Preview the `next` invoice or a `recurring` one.",
    "pricing": "What to price the item with, e.g. `{'price': 'price_...'}`.",
    "quantity_decimal": "A non-integer quantity, as a decimal string.",
    "rendering": "How the invoice PDF is rendered (replaces `rendering_options`).",
    "schedule_details": "Subscription schedule changes to preview.",
    "tax_details": "Tax details of the product.",
    "validate": "Whether to validate the customer's address.",
}
