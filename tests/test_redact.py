from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stripe_async._redact import (
    REDACTED,
    excerpt,
    looks_like_card_number,
    luhn_valid,
    redact,
    redact_and_cut,
    redact_value,
)

CARD_NUMBERS = ["4242424242424242", "4000 0566 5566 5556", "5555-5555-5555-4444", "378282246310005"]


def test_keys_secrets_and_client_secrets_are_redacted() -> None:
    text = (
        "key sk_live_51Habc123 and rk_test_abc, hook whsec_abcDEF123, "
        "pi_3Mtw_secret_YrKJUKribcBjcG8HVhfZluoGH and Authorization: Bearer sk_test_xyz"
    )
    out = redact(text)
    for secret in (
        "sk_live_51Habc123",
        "rk_test_abc",
        "whsec_abcDEF123",
        "YrKJUKribcBjcG8HVhfZluoGH",
    ):
        assert secret not in out
    assert out.count(REDACTED) >= 4


def test_card_numbers_redacted_but_other_numbers_kept() -> None:
    for number in CARD_NUMBERS:
        assert redact(f"card {number} here") == f"card {REDACTED} here"
    # A 16-digit number failing Luhn, a timestamp and an amount stay readable.
    assert redact("order 4242424242424241 at 1700000000 for 1000") == (
        "order 4242424242424241 at 1700000000 for 1000"
    )


def test_luhn() -> None:
    assert luhn_valid("4242424242424242")
    assert not luhn_valid("4242424242424241")
    assert looks_like_card_number("4242 4242 4242 4242")
    assert not looks_like_card_number("12345")


def test_redact_value_walks_structures() -> None:
    params = {
        "card": {"number": "4242424242424242", "cvc": "123"},
        "metadata": {"note": "call sk_test_abcdef"},
        "list": ["whsec_x1", 4242424242424242],
        "amount": 1000,
    }
    out = redact_value(params)
    assert out["card"] == {"number": REDACTED, "cvc": REDACTED}
    assert out["metadata"]["note"] == f"call {REDACTED}"
    assert out["list"] == [REDACTED, REDACTED]
    assert out["amount"] == 1000


def test_excerpt_is_short_single_line_and_redacted() -> None:
    body = "<html>\n" + "x" * 500 + " sk_live_abc123</html>"
    out = excerpt(body, limit=50)
    assert "\n" not in out and len(out) <= 53 and out.endswith("...")
    assert "sk_live_abc123" not in excerpt("error sk_live_abc123")


_alnum = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    min_size=8,
    max_size=40,
)


@given(
    prefix=st.sampled_from(["sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_"]),
    body=_alnum,
    before=st.text(max_size=20),
    after=st.sampled_from(["", " ", ".", ",", "\n", '"', ")"]),
)
def test_no_generated_key_survives(prefix: str, body: str, before: str, after: str) -> None:
    secret = prefix + body
    assert secret not in redact(f"{before} {secret}{after}")


@given(
    kind=st.sampled_from(["pi", "seti", "cs"]),
    ident=_alnum,
    token=_alnum,
)
def test_no_generated_client_secret_survives(kind: str, ident: str, token: str) -> None:
    secret = f"{kind}_{ident}_secret_{token}"
    assert token not in redact(f"client_secret={secret}")


def _with_luhn(digits: str) -> str:
    for check in "0123456789":
        if luhn_valid(digits + check):
            return digits + check
    raise AssertionError


@given(
    body=st.text(alphabet="0123456789", min_size=12, max_size=18),
    sep=st.sampled_from(["", " ", "-"]),
    before=st.sampled_from(["", "card ", "x: ", "("]),
)
def test_no_generated_card_number_survives(body: str, sep: str, before: str) -> None:
    number = _with_luhn(body)
    grouped = sep.join(number[i : i + 4] for i in range(0, len(number), 4))
    out = redact(f"{before}{grouped} end")
    assert number not in out.replace(" ", "").replace("-", "")


def test_a_card_number_at_the_cut_is_redacted_whole() -> None:
    card = "4000056655665556"
    for offset in range(-len(card), 1):
        body = "x" * (200 + offset) + " " + card + " tail"
        out = excerpt(body)
        assert "40000566" not in out and "5665556" not in out, offset
        assert len(out) <= 203


def test_redact_and_cut_keeps_short_text_and_marks_the_cut() -> None:
    assert redact_and_cut("short", 10) == "short"
    assert redact_and_cut("a" * 20, 10) == "a" * 10 + "..."
    assert redact_and_cut("sk_live_" + "a" * 5000, 100) == "[REDACTED]"
