"""Generate the typed request parameters in stripe_async/resources/_params/ from Stripe's spec.

    uv run python scripts/gen_params.py [--spec spec3.json] [--check]

Reads Stripe's OpenAPI spec (default: $STRIPE_OPENAPI_SPEC or
/work/shared/stripe-openapi/spec3.2023-08-16.json), applies the changes listed in
`params_changes.py` to reach the pinned API version, and writes one module per
service with a `TypedDict` per method. Rules:

- every method's TypedDict inherits `RequestOptions` (`ExpandParams` where the
  endpoint takes `expand`); Stripe's required parameters are `Required[...]`;
- objects become nested TypedDicts down to `MAX_DEPTH` levels, deeper ones
  `dict[str, Any]`; enums are `Literal[...] | str` (new values keep working);
  "emptyable" parameters also accept `Literal[""]`; unix times accept `datetime`;
- structurally identical nested TypedDicts within a module are emitted once.

`--check` exits non-zero when the committed modules differ from a fresh run.
"""

from __future__ import annotations

import argparse
import json
import keyword
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from params_changes import ADDED, DESCRIPTIONS, REMOVED

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "stripe_async" / "resources" / "_params"
DEFAULT_SPEC = "/work/shared/stripe-openapi/spec3.2023-08-16.json"
MAX_DEPTH = 2
MAX_LITERAL = 24
DOC_WIDTH = 88

Schema = dict[str, Any]


@dataclass(frozen=True)
class Endpoint:
    method: str  # our service method name
    verb: str
    path: str  # the spec's path template
    split: tuple[str, ...] = ()  # fields moved to `<Name>` from `<Name minus Params>Options`


@dataclass(frozen=True)
class ServiceSpec:
    module: str
    resource: str  # class-name stem: "PaymentIntent"
    endpoints: tuple[Endpoint, ...]


def crud(base: str, item: str, *, delete: bool = False, search: bool = True) -> list[Endpoint]:
    one = f"{base}/{{{item}}}"
    endpoints = [
        Endpoint("create", "post", base),
        Endpoint("retrieve", "get", one),
        Endpoint("update", "post", one),
        Endpoint("list", "get", base),
    ]
    if delete:
        endpoints.append(Endpoint("delete", "delete", one))
    if search:
        endpoints.append(Endpoint("search", "get", f"{base}/search"))
    return endpoints


def actions(base: str, item: str, *names: str) -> list[Endpoint]:
    return [Endpoint(name, "post", f"{base}/{{{item}}}/{name}") for name in names]


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        "customers",
        "Customer",
        (
            *crud("/v1/customers", "customer", delete=True),
            Endpoint("list_payment_methods", "get", "/v1/customers/{customer}/payment_methods"),
        ),
    ),
    ServiceSpec(
        "payment_intents",
        "PaymentIntent",
        (
            Endpoint("create", "post", "/v1/payment_intents", split=("amount", "currency")),
            *crud("/v1/payment_intents", "intent")[1:],
            *actions(
                "/v1/payment_intents",
                "intent",
                "confirm",
                "capture",
                "cancel",
                "increment_authorization",
                "apply_customer_balance",
            ),
        ),
    ),
    ServiceSpec(
        "payment_methods",
        "PaymentMethod",
        (
            *crud("/v1/payment_methods", "payment_method", search=False),
            *actions("/v1/payment_methods", "payment_method", "attach", "detach"),
        ),
    ),
    ServiceSpec(
        "charges",
        "Charge",
        (*crud("/v1/charges", "charge"), *actions("/v1/charges", "charge", "capture")),
    ),
    ServiceSpec(
        "refunds",
        "Refund",
        (*crud("/v1/refunds", "refund", search=False), *actions("/v1/refunds", "refund", "cancel")),
    ),
    ServiceSpec("products", "Product", tuple(crud("/v1/products", "id", delete=True))),
    ServiceSpec("prices", "Price", tuple(crud("/v1/prices", "price"))),
    ServiceSpec(
        "subscriptions",
        "Subscription",
        (
            *crud("/v1/subscriptions", "subscription_exposed_id"),
            Endpoint("cancel", "delete", "/v1/subscriptions/{subscription_exposed_id}"),
            *actions("/v1/subscriptions", "subscription", "resume"),
        ),
    ),
    ServiceSpec(
        "subscription_items",
        "SubscriptionItem",
        tuple(crud("/v1/subscription_items", "item", delete=True, search=False)),
    ),
    ServiceSpec(
        "invoices",
        "Invoice",
        (
            *crud("/v1/invoices", "invoice", delete=True),
            *actions(
                "/v1/invoices", "invoice", "finalize", "send", "pay", "void", "mark_uncollectible"
            ),
            Endpoint("list_lines", "get", "/v1/invoices/{invoice}/lines"),
            # Derived from the removed GET /v1/invoices/upcoming, see `create_preview_schema`.
            Endpoint("create_preview", "post", "/v1/invoices/create_preview"),
            Endpoint("upcoming", "get", "/v1/invoices/upcoming"),
        ),
    ),
    ServiceSpec(
        "invoice_items",
        "InvoiceItem",
        tuple(crud("/v1/invoiceitems", "invoiceitem", delete=True, search=False)),
    ),
    ServiceSpec(
        "events",
        "Event",
        (Endpoint("retrieve", "get", "/v1/events/{id}"), Endpoint("list", "get", "/v1/events")),
    ),
    ServiceSpec(
        "webhook_endpoints",
        "WebhookEndpoint",
        tuple(crud("/v1/webhook_endpoints", "webhook_endpoint", delete=True, search=False)),
    ),
    ServiceSpec("balance", "Balance", (Endpoint("retrieve", "get", "/v1/balance"),)),
)


def camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_.\-\s]+", name) if part)


PLAIN_PUNCTUATION = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


def first_sentence(description: str | None) -> str:
    if not description:
        return ""
    text = re.sub(r"<[^>]+>", "", description)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = " ".join(text.split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    text = (match.group(1) if match else text).translate(PLAIN_PUNCTUATION)
    return text.replace("\\", "\\\\").replace('"""', "'''")


# --- reading the spec -------------------------------------------------------


def endpoint_schema(spec: Schema, endpoint: Endpoint) -> Schema:
    """The endpoint's parameters as one object schema (query params or form body)."""
    op = spec["paths"][endpoint.path][endpoint.verb]
    properties: dict[str, Schema] = {}
    required: list[str] = []
    for param in op.get("parameters", []):
        if param["in"] != "query":
            continue
        schema = dict(param["schema"])
        if param.get("description") and "description" not in schema:
            schema["description"] = param["description"]
        properties[param["name"]] = schema
        if param.get("required"):
            required.append(param["name"])
    content = op.get("requestBody", {}).get("content", {})
    body = content.get("application/x-www-form-urlencoded", {}).get("schema", {})
    properties.update(body.get("properties", {}))
    required += body.get("required", [])
    return {"type": "object", "properties": properties, "required": required}


def create_preview_schema(spec: Schema) -> Schema:
    """POST /v1/invoices/create_preview from the old GET /v1/invoices/upcoming.

    Stripe moved the flat `subscription_*` parameters into `subscription_details`
    (`subscription_items` became `subscription_details.items`) and replaced `coupon`
    with `discounts`.
    """
    upcoming = endpoint_schema(spec, Endpoint("upcoming", "get", "/v1/invoices/upcoming"))
    properties: dict[str, Schema] = {}
    details: dict[str, Schema] = {}
    for name, schema in upcoming["properties"].items():
        if name == "coupon":
            continue
        if name.startswith("subscription_"):
            short = name.removeprefix("subscription_")
            details[short] = {k: v for k, v in schema.items() if k != "description"}
        else:
            properties[name] = schema
    properties["subscription_details"] = {
        "type": "object",
        "properties": details,
        "description": "The subscription changes to preview (what `subscription_*` were).",
    }
    return {"type": "object", "properties": properties, "required": []}


def apply_changes(schema: Schema, key: str) -> Schema:
    schema = json.loads(json.dumps(schema))  # deep copy: edits must not leak between endpoints
    for dotted in REMOVED.get(key, []):
        parent, name = _locate(schema, dotted)
        if name not in parent["properties"]:
            raise SystemExit(f"{key}: cannot remove missing parameter {dotted!r}")
        del parent["properties"][name]
        if name in parent.get("required", []):
            parent["required"].remove(name)
    for dotted, added in ADDED.get(key, {}).items():
        parent, name = _locate(schema, dotted)
        parent.setdefault("properties", {})[name] = added
    return schema


def _locate(schema: Schema, dotted: str) -> tuple[Schema, str]:
    *parents, name = dotted.split(".")
    node = schema
    for part in parents:
        node = _object_of(node["properties"][part])
    return node, name


def _object_of(schema: Schema) -> Schema:
    """The object schema inside `schema` (through anyOf and arrays)."""
    if schema.get("properties") is not None:
        return schema
    for option in schema.get("anyOf", []):
        if option.get("type") in ("object", "array"):
            return _object_of(option)
    if schema.get("type") == "array":
        return _object_of(schema["items"])
    raise SystemExit(f"no object schema in {schema}")


# --- rendering --------------------------------------------------------------


@dataclass
class Module:
    resource: str
    classes: list[str] = field(default_factory=list)
    names_by_body: dict[str, str] = field(default_factory=dict)
    bodies_by_name: dict[str, str] = field(default_factory=dict)
    exports: list[str] = field(default_factory=list)
    uses: set[str] = field(default_factory=set)
    typed_params: int = 0

    def nested(self, hint: str, verb_hint: str, body: str) -> str:
        """Register a nested TypedDict; identical bodies share one class."""
        if body in self.names_by_body:
            return self.names_by_body[body]
        name = f"{self.resource}{hint}Param"
        if name in self.bodies_by_name:
            name = f"{self.resource}{verb_hint}{hint}Param"
        counter = 2
        base = name
        while name in self.bodies_by_name:
            name, counter = f"{base}{counter}", counter + 1
        self.names_by_body[body] = name
        self.bodies_by_name[name] = body
        self.classes.append(f"class {name}(TypedDict, total=False):\n{body}")
        return name

    def render(self, schema: Schema, hint: str, verb_hint: str, depth: int) -> str:
        options = schema.get("anyOf")
        if options is not None:
            parts: list[str] = []
            for option in options:
                part = self.render(option, hint, verb_hint, depth)
                if part not in parts:
                    parts.append(part)
            return " | ".join(parts)
        kind = schema.get("type")
        values = schema.get("enum")
        if values is not None and len(values) > MAX_LITERAL and kind == "string":
            return "str"  # bank names, event types, locales: a Literal this long helps no one
        if values is not None and all(isinstance(v, str) for v in values):
            self.uses.add("Literal")
            literal = "Literal[" + ", ".join(json.dumps(v) for v in values) + "]"
            return literal if values == [""] else f"{literal} | str"
        if kind == "string":
            fmt = schema.get("format")
            if fmt == "decimal":
                self.uses.add("Decimal")
                return "str | Decimal"
            return "Any" if fmt == "binary" else "str"
        if kind == "integer":
            if schema.get("format") == "unix-time":
                self.uses.add("datetime")
                return "int | datetime"
            return "int"
        if kind == "number":
            return "float"
        if kind == "boolean":
            return "bool"
        if kind == "array":
            return f"list[{self.render(schema.get('items', {}), hint, verb_hint, depth)}]"
        if kind == "object" or "properties" in schema:
            properties = schema.get("properties")
            if properties and depth < MAX_DEPTH:
                hint = schema.get("x-class", hint)  # a shared shape's own name
                body = self.fields(schema, hint, verb_hint, depth + 1, docs=False)
                return self.nested(hint, verb_hint, body)
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                return f"dict[str, {self.render(extra, hint, verb_hint, depth)}]"
            return "dict[str, Any]"
        return "Any"

    def fields(self, schema: Schema, hint: str, verb_hint: str, depth: int, *, docs: bool) -> str:
        required = set(schema.get("required", []))
        lines: list[str] = []
        for name in sorted(schema.get("properties", {})):
            if keyword.iskeyword(name) or not name.isidentifier():
                raise SystemExit(f"cannot use {name!r} as a TypedDict field")
            sub = schema["properties"][name]
            annotation = self.render(sub, hint + camel(name), verb_hint, depth)
            if name in required:
                self.uses.add("Required")
                annotation = f"Required[{annotation}]"
            lines.append(f"    {name}: {annotation}")
            doc = first_sentence(sub.get("description") or DESCRIPTIONS.get(name)) if docs else ""
            if doc:
                wrapped = textwrap.wrap(doc, DOC_WIDTH)
                if len(wrapped) == 1:
                    lines.append(f'    """{wrapped[0]}"""')
                else:
                    lines.append('    """' + wrapped[0])
                    lines.extend(f"    {line}" for line in wrapped[1:])
                    lines.append('    """')
        return "\n".join(lines) if lines else "    pass"


def top_level(module: Module, endpoint: Endpoint, schema: Schema) -> None:
    stem = module.resource + camel(endpoint.method)
    name = f"{stem}Params"
    properties = dict(schema["properties"])
    base = "ExpandParams" if "expand" in properties else "RequestOptions"
    properties.pop("expand", None)
    module.typed_params += len(properties)
    verb = endpoint.verb.upper()
    path = endpoint.path
    doc = f'    """Parameters of `{verb} {path}`."""'
    split = set(endpoint.split)
    rest = {"type": "object", "properties": {k: v for k, v in properties.items() if k not in split}}
    rest["required"] = [r for r in schema.get("required", []) if r not in split]
    body = module.fields(rest, "", camel(endpoint.method), 0, docs=True)
    if split:
        options = f"{stem}Options"
        opts_doc = f'    """Parameters of `{verb} {path}` other than {", ".join(sorted(split))}."""'
        module.classes.append(f"class {options}({base}, total=False):\n{opts_doc}\n\n{body}")
        module.exports.append(options)
        only = {"type": "object", "properties": {k: properties[k] for k in sorted(split)}}
        only["required"] = [r for r in schema.get("required", []) if r in split]
        body = module.fields(only, "", camel(endpoint.method), 0, docs=True)
        base = options
    if body == "    pass":
        module.classes.append(f"class {name}({base}, total=False):\n{doc}")
    else:
        module.classes.append(f"class {name}({base}, total=False):\n{doc}\n\n{body}")
    module.exports.append(name)


HEADER = '''"""Typed parameters of `{module}` (generated by scripts/gen_params.py; do not edit).

Source: Stripe's OpenAPI spec {version} plus the changes up to the pinned API
version listed in scripts/params_changes.py.
"""

from __future__ import annotations

'''


def render_module(spec: Schema, service: ServiceSpec) -> tuple[str, Module]:
    module = Module(service.resource)
    for endpoint in service.endpoints:
        key = f"{service.module}.{endpoint.method}"
        if endpoint.method == "create_preview":
            schema = create_preview_schema(spec)
        else:
            schema = endpoint_schema(spec, endpoint)
        top_level(module, endpoint, apply_changes(schema, key))
    imports = []
    if "datetime" in module.uses:
        imports.append("from datetime import datetime")
    if "Decimal" in module.uses:
        imports.append("from decimal import Decimal")
    if _mentions_any(module):
        imports.append("from typing import Any")
    typing_ext = sorted({"TypedDict"} | (module.uses & {"Literal", "Required"}))
    imports.append(f"from typing_extensions import {', '.join(typing_ext)}")
    imports.append("")
    imports.append("from .._base import ExpandParams, RequestOptions")
    text = HEADER.format(module=service.module, version=spec["info"]["version"])
    text += "\n".join(imports) + "\n\n"
    text += f"__all__ = {module.exports!r}\n\n\n"
    text += "\n\n\n".join(module.classes) + "\n"
    return text, module


def _mentions_any(module: Module) -> bool:
    return any(re.search(r"\bAny\b", c) for c in module.classes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", default=os.environ.get("STRIPE_OPENAPI_SPEC", DEFAULT_SPEC))
    parser.add_argument("--check", action="store_true", help="fail if the output would change")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args()
    spec = json.loads(Path(args.spec).read_text(encoding="utf-8"))

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    generated: dict[Path, str] = {}
    total_methods = total_params = 0
    for service in SERVICES:
        text, module = render_module(spec, service)
        generated[out / f"{service.module}.py"] = text
        total_methods += len(service.endpoints)
        total_params += module.typed_params
    generated[out / "__init__.py"] = (
        '"""Typed request parameters, one module per service (generated by '
        'scripts/gen_params.py)."""\n'
    )
    staging = out / ".staging"
    staging.mkdir(exist_ok=True)
    try:
        for path, text in generated.items():
            (staging / path.name).write_text(text, encoding="utf-8")
        ruff = [sys.executable, "-m", "ruff"]
        subprocess.run([*ruff, "format", "--quiet", str(staging)], check=True)  # noqa: S603
        subprocess.run([*ruff, "check", "--fix", "--quiet", str(staging)], check=True)  # noqa: S603
        subprocess.run([*ruff, "format", "--quiet", str(staging)], check=True)  # noqa: S603
        changed = []
        for path in generated:
            fresh = (staging / path.name).read_text(encoding="utf-8")
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if fresh != current:
                changed.append(path)
                if not args.check:
                    path.write_text(fresh, encoding="utf-8")
    finally:
        for leftover in staging.iterdir():
            leftover.unlink()
        staging.rmdir()
    print(
        f"{len(SERVICES)} services, {total_methods} methods, "
        f"{total_params} typed top-level parameters"
    )
    if args.check and changed:
        print("out of date:", ", ".join(p.name for p in changed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
