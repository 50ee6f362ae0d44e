"""Parameter specs: validate and coerce parsed form values the way Stripe does.

Each endpoint declares an `Obj` of the parameters it honours. A parameter Stripe
accepts that is not declared is a 400 `emulator_unsupported` (the Router derives
those names from the API's definitions, `_stripe_params.py`; nested ones are
declared as `unsupported=`), never silently dropped. Unknown names are a 400
`parameter_unknown`, missing required ones a 400 `parameter_missing`, all naming
the parameter in bracket notation (`recurring[interval]`). An empty string means
"unset" (None), as on Stripe.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ._errors import (
    EmulatorError,
    invalid,
    missing_param,
    naming_operation,
    unknown_param,
    unsupported_param,
)


def _join(prefix: str, name: str) -> str:
    return f"{prefix}[{name}]" if prefix else name


class Kind:
    """One parameter's type; `coerce` returns the Python value or raises."""

    def coerce(self, value: Any, param: str) -> Any:
        raise NotImplementedError


class Str(Kind):
    def __init__(self, *choices: str, max_length: int = 5000) -> None:
        self.choices = choices
        self.max_length = max_length

    def coerce(self, value: Any, param: str) -> Any:
        if not isinstance(value, str):
            raise invalid(f"Invalid string: {param} must be a string", param=param)
        if value == "":
            return None
        if self.choices and value not in self.choices:
            options = ", ".join(self.choices[:-1])
            options = f"{options}, or {self.choices[-1]}" if options else self.choices[-1]
            raise invalid(f"Invalid {param}: must be one of {options}", param=param)
        if len(value) > self.max_length:
            raise invalid(
                f"Invalid {param}: must be at most {self.max_length} characters", param=param
            )
        return value


class Int(Kind):
    def __init__(self, minimum: int | None = None, maximum: int | None = None) -> None:
        self.minimum = minimum
        self.maximum = maximum

    def coerce(self, value: Any, param: str) -> Any:
        if value == "":
            return None
        text = value if isinstance(value, str) else ""
        body = text[1:] if text[:1] in "+-" else text
        if not (body.isascii() and body.isdigit()) or len(body) > 18:
            raise EmulatorError(
                400, f"Invalid integer: {value}", code="parameter_invalid_integer", param=param
            )
        number = int(text)
        if self.minimum is not None and number < self.minimum:
            raise EmulatorError(
                400,
                f"This value must be greater than or equal to {self.minimum}.",
                code="parameter_invalid_integer",
                param=param,
            )
        if self.maximum is not None and number > self.maximum:
            raise EmulatorError(
                400,
                f"This value must be less than or equal to {self.maximum}.",
                code="parameter_invalid_integer",
                param=param,
            )
        return number


class Decimal(Kind):
    """A decimal string such as `unit_amount_decimal=12.5`; kept as text."""

    def coerce(self, value: Any, param: str) -> Any:
        if value == "":
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise invalid(f"Invalid decimal: {value}", param=param) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise invalid(f"Invalid decimal: {value}", param=param)
        return str(value)


class Bool(Kind):
    def coerce(self, value: Any, param: str) -> Any:
        if value == "":
            return None
        if value in ("true", "false"):
            return value == "true"
        raise invalid(f"Invalid boolean: {value}", param=param)


class Metadata(Kind):
    """metadata[key]=value; "" as a whole clears, a "" value deletes that key."""

    def coerce(self, value: Any, param: str) -> Any:
        if value == "":
            return {}
        if not isinstance(value, dict):
            raise invalid("Invalid hash", param=param)
        if len(value) > 50:
            raise invalid("Metadata can have at most 50 keys", param=param)
        for key, item in value.items():
            if not isinstance(item, str):
                raise invalid("Invalid metadata value: must be a string", param=_join(param, key))
            if len(key) > 40:
                raise invalid("Metadata keys must be at most 40 characters", param=param)
            if len(item) > 500:
                raise invalid(
                    "Metadata values must be at most 500 characters", param=_join(param, key)
                )
        return dict(value)


class AnyValue(Kind):
    """Free-form (nested options we store verbatim)."""

    def coerce(self, value: Any, param: str) -> Any:
        return None if value == "" else value


class ListOf(Kind):
    def __init__(self, item: Kind) -> None:
        self.item = item

    def coerce(self, value: Any, param: str) -> Any:
        if value == "":
            return []
        if isinstance(value, dict):
            if not all(isinstance(k, str) and k.isdigit() for k in value):
                raise invalid("Invalid array", param=param)
            items = [value[k] for k in sorted(value, key=int)]
        elif isinstance(value, list):
            items = value
        elif isinstance(value, str) and isinstance(self.item, Str):
            items = [value]  # `expand=customer` is accepted like `expand[]=customer`
        else:
            raise invalid("Invalid array", param=param)
        return [self.item.coerce(item, f"{param}[{i}]") for i, item in enumerate(items)]


class Obj(Kind):
    """A hash of named parameters, the ones the emulator honours.

    `unsupported` names are parameters Stripe accepts that the emulator does not
    model (Connect details, Accounts v2, tax, ...): a request carrying one is
    refused with `emulator_unsupported` naming it, so no reply pretends it applied.
    """

    def __init__(
        self,
        fields: Mapping[str, Kind] | None = None,
        *,
        required: Iterable[str] = (),
        open: bool = False,
        unsupported: Iterable[str] = (),
    ) -> None:
        self.fields = dict(fields or {})
        self.required = tuple(required)
        self.open = open
        self.unsupported = frozenset(unsupported) - self.fields.keys()
        #: The operation a route's top-level spec belongs to, named in its refusals.
        self.operation = ""
        #: Checks of a refused hash's keys, so an unknown one is still `parameter_unknown`
        #: (as Stripe answers it) before the hash is refused as unsupported.
        self.refused_shapes: dict[str, Kind] = {}

    def extend(
        self,
        fields: Mapping[str, Kind] | None = None,
        *,
        required: Iterable[str] = (),
        unsupported: Iterable[str] = (),
    ) -> Obj:
        return Obj(
            {**self.fields, **(fields or {})},
            required=(*self.required, *required),
            open=self.open,
            unsupported=(*self.unsupported, *unsupported),
        )

    def refusing(self, stripe_accepts: Iterable[str], operation: str) -> Obj:
        """This spec, refusing as unsupported whatever Stripe accepts and it does not honour
        (the refusals name `operation`)."""
        if self.open:
            return self
        spec = Obj(
            self.fields,
            required=self.required,
            unsupported=(*self.unsupported, *stripe_accepts),
        )
        spec.operation = operation
        return spec

    def accepts(self, name: str) -> bool:
        """Whether Stripe would take this parameter (honoured here or refused as unsupported)."""
        return self.open or name in self.fields or name in self.unsupported

    def coerce(self, value: Any, param: str) -> Any:
        if not self.operation:
            return self._coerce(value, param)
        try:
            return self._coerce(value, param)
        except EmulatorError as error:
            raise naming_operation(error, self.operation) from None

    def _coerce(self, value: Any, param: str) -> Any:
        if value == "":
            return None
        if not isinstance(value, dict):
            raise invalid("Invalid hash", param=param)
        out: dict[str, Any] = {}
        for name, raw in value.items():
            kind = self.fields.get(name)
            if kind is None:
                if name in self.unsupported:
                    check = self.refused_shapes.get(name)
                    if check is not None:
                        check.coerce(raw, _join(param, name))
                    raise unsupported_param(_join(param, name))
                if not self.open:
                    raise unknown_param(_join(param, name))
                out[name] = raw
                continue
            out[name] = kind.coerce(raw, _join(param, name))
        for name in self.required:
            if out.get(name) is None:
                raise missing_param(_join(param, name))
        return out


class Refused(Kind):
    """A value the emulator cannot honour (`automatic_tax[enabled]=true`): refused as
    unsupported; the others go through `kind`."""

    def __init__(self, kind: Kind, *values: Any) -> None:
        self.kind = kind
        self.values = values

    def coerce(self, value: Any, param: str) -> Any:
        coerced = self.kind.coerce(value, param)
        if coerced in self.values:
            raise unsupported_param(param, value if isinstance(value, str) else None)
        return coerced


class Either(Kind):
    """The first kind that accepts the value (e.g. `created=123` or `created[gte]=123`)."""

    def __init__(self, *kinds: Kind) -> None:
        self.kinds = kinds

    def coerce(self, value: Any, param: str) -> Any:
        error: EmulatorError | None = None
        for kind in self.kinds:
            try:
                return kind.coerce(value, param)
            except EmulatorError as exc:
                error = exc
        assert error is not None
        raise error


STR = Str()
INT = Int()
NONNEG = Int(minimum=0)
BOOL = Bool()
METADATA = Metadata()
ANY = AnyValue()
STR_LIST = ListOf(STR)
CURRENCY = Str(max_length=3)
RANGE = Obj({"gt": INT, "gte": INT, "lt": INT, "lte": INT})
CREATED = Either(INT, RANGE)
ADDRESS = Obj(
    {
        "city": STR,
        "country": STR,
        "line1": STR,
        "line2": STR,
        "postal_code": STR,
        "state": STR,
    }
)
SHIPPING = Obj(
    {"address": ADDRESS, "name": STR, "phone": STR, "carrier": STR, "tracking_number": STR},
    required=("name",),
)
LIST_PARAMS: dict[str, Kind] = {
    "limit": STR,  # validated by the paginator, which names the limits
    "starting_after": STR,
    "ending_before": STR,
    "created": CREATED,
}
#: `discounts=[{"coupon": ...} | {"promotion_code": ...} | {"discount": ...}]`.
DISCOUNTS = ListOf(Obj({"coupon": STR, "discount": STR, "promotion_code": STR}))
SEARCH_PARAMS = Obj({"query": STR, "limit": STR, "page": STR}, required=("query",))
#: `automatic_tax`: off is what the emulator does; asking for tax is refused.
AUTOMATIC_TAX = Obj(
    {"enabled": Refused(BOOL, True), "liability": Obj({"type": STR, "account": STR})},
    required=("enabled",),
)


def currency(value: str) -> str:
    """Stripe accepts any case and answers in lowercase."""
    code = value.lower()
    if len(code) != 3 or not code.isalpha():
        raise invalid(f"Invalid currency: {value}", param="currency")
    return code
