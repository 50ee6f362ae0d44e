"""The checkout page in headless Chromium, with Stripe.js replaced by a local stand-in.

js.stripe.com is unreachable here, so the page loads localstripe's
`localstripe-v3.js` plus our Payment Element add-on (checkout_stripe_js_addon.js),
and localstripe plays Stripe's API for both our server and the browser. The card is
typed into the stand-in's field; the test then checks that the PaymentIntent
succeeded in localstripe and that no request our server received held a card number.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from checkout_support import STRIPE_JS_ADDON, CheckoutServer, harness

from stripe_async._redact import looks_like_card_number

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path(shutil.which("chromedriver") or "/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # Belt and braces: no host name resolves, so nothing can leave the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)
VISA = "4242424242424242"
DECLINED = "4000000000000341"  # localstripe: attaches, then declined when charged

if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
    pytest.skip(
        "headless Chromium needs /usr/bin/chromium and chromedriver "
        "(apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")

from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def stripe_side() -> Iterator[Any]:
    with harness.LocalStripe(stripe_js_addon=STRIPE_JS_ADDON) as server:
        yield server


@pytest.fixture
def shop(stripe_side: Any) -> Iterator[CheckoutServer]:
    stripe_side.flush()
    with CheckoutServer(
        api_base=stripe_side.url,
        publishable_key=harness.PUBLISHABLE_KEY,
        stripe_js_url=f"{stripe_side.url}/js.stripe.com/v3/payment-element.js",
    ) as server:
        yield server


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


def _console(driver: Any) -> str:
    try:
        return "\n".join(entry["message"] for entry in driver.get_log("browser"))
    except Exception as exc:  # diagnostics only
        return f"<no console log: {exc}>"


def _type_card(driver: Any, number: str) -> None:
    fields = {"number": number, "exp_month": "12", "exp_year": "30", "cvc": "123"}
    fields["postal_code"] = "42424"
    for name, value in fields.items():
        field = driver.find_element(By.CSS_SELECTOR, f"#payment-element input[placeholder={name}]")
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(value)


def _wait_for_message(driver: Any, text: str) -> str:
    try:
        WebDriverWait(driver, 15).until(
            ec.text_to_be_present_in_element((By.ID, "payment-message"), text)
        )
    except TimeoutException:
        shown = driver.find_element(By.ID, "payment-message").text
        pytest.fail(f"page shows {shown!r}, not {text!r}; console:\n{_console(driver)}")
    return str(driver.find_element(By.ID, "payment-message").text)


def test_pays_with_the_payment_element_and_server_never_sees_the_card(
    stripe_side: Any, shop: CheckoutServer, browser: Any
) -> None:
    browser.get(shop.url)
    wait = WebDriverWait(browser, 15)
    try:
        wait.until(lambda d: d.find_element(By.ID, "submit").is_enabled())
    except TimeoutException:
        pytest.fail(f"the Payment Element never mounted; console:\n{_console(browser)}")
    assert "localstripe" in browser.find_element(By.ID, "payment-element").text

    # A declined card first: the page reports it and lets the buyer try again.
    _type_card(browser, DECLINED)
    browser.find_element(By.ID, "submit").click()
    assert "declined" in _wait_for_message(browser, "declined").lower()

    _type_card(browser, VISA)
    wait.until(lambda d: d.find_element(By.ID, "submit").is_enabled())
    browser.find_element(By.ID, "submit").click()
    _wait_for_message(browser, "Payment succeeded!")

    # localstripe holds one PaymentIntent, made by our server, paid by the browser.
    intents = stripe_side.api("GET", "/v1/payment_intents").json()["data"]
    assert len(intents) == 1
    intent = intents[0]
    assert (intent["status"], intent["amount"], intent["currency"]) == ("succeeded", 1999, "usd")
    assert intent["metadata"] == {"source": "checkout-example"}
    method = stripe_side.api("GET", f"/v1/payment_methods/{intent['payment_method']}").json()
    assert method["card"]["last4"] == VISA[-4:]  # the card went to "Stripe" directly

    requests = shop.requests
    for request in requests:
        assert not looks_like_card_number(request.text()), f"card data reached {request.path}"
        assert VISA not in request.text() and DECLINED not in request.text()
    seen = {(r.method, r.path) for r in requests}
    assert {
        ("GET", "/"),
        ("GET", "/static/checkout.js"),
        ("POST", "/create-payment-intent"),
    } <= seen
    assert [r.path for r in requests if r.method == "POST"] == ["/create-payment-intent"]
