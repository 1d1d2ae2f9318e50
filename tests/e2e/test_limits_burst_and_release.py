"""Issue 13's standing test: every limit in the system, under a burst and after its window (or its lock) ends.

Each entry of LIMITS names a limit, the request it counts and the settings that hold its number and its window.
The test sends that request through the gateway from a loopback address of the entry's own (the gateway tells the
service the address it saw; nobody forges X-Forwarded-For), and checks what a client would:

- exactly the configured number are admitted;
- the next one is refused: 429 with a Retry-After that is when the window (or the lock) ends, or, where the policy
  asks for a captcha rather than refusing, the captcha challenge (and with the captcha the request goes on);
  either way a problem body with a Chinese message;
- halfway to then, the request is still refused; once the Retry-After (or the window) has passed, it is admitted.

A limit is known by its settings: every setting of a service whose name says it limits (see LIMIT_SETTING) must
belong to an entry, or to NOT_BURST_OVER_HTTP with where it is tested instead, so a new limit with no entry here
fails this test. The test stack sets short windows and small
numbers for all of them (`devstack.pytest_plugin.test_settings`).
"""

from __future__ import annotations

import random
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest

from devstack.pytest_plugin import compose_mode
from devstack.stack import Stack
from e2e.journeys import Client, captcha, next_sms_code, registered_physician, secured_physician
from regsys_runtime import config_reference

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(compose_mode(), reason="the composed system keeps production's windows: hours, not seconds"),
]

# a setting that limits what a client may do, or says for how long: how every limit's settings are named
LIMIT_SETTING = re.compile(r"_per_|_burst|max_failures|after_failures|wrong_tries|lockout|resend|_cap_|window_seconds")
CHINESE = re.compile(r"[\u4e00-\u9fff]")
GUESS = {"licence_number": "DZ99999920990000101", "name": "张三"}

Ask = Callable[[httpx.Client], httpx.Response]


@dataclass(frozen=True)
class Limit:
    """One limit: `number` requests like `ask` are admitted in `window` seconds, the next gets `refusal`.

    `number`, `window` and `release` name settings (`service.name`) or are plain numbers. `release` is what ends
    the refusal when it is not the window (a lock's length). `paced_by` is a limit that refuses sooner on the way
    (a burst on the way to a sustained rate, the resend timer on the way to a daily cap); the test waits it out.
    `aligned`: the windows follow one another from the epoch rather than from the first request.
    """

    name: str
    number: str | int
    window: str | int
    ask: Callable[[Stack, Client], Ask]
    refusal: str
    status: int = 429
    release: str | int | None = None
    paced_by: Limit | None = None
    aligned: bool = False


# -- the requests each limit counts


def new_captcha(stack: Stack, admin: Client) -> Ask:
    return lambda http: http.post("/api/identity/captchas")


def wrong_password_of_one_name(stack: Stack, admin: Client) -> Ask:
    body = {"login_name": f"nobody{uuid.uuid4().hex[:8]}", "password": "Wrong2026x"}
    return lambda http: http.post("/api/identity/tokens", json=body)


def wrong_password_of_new_names(stack: Stack, admin: Client) -> Ask:
    return lambda http: http.post(
        "/api/identity/tokens", json={"login_name": f"nobody{uuid.uuid4().hex[:8]}", "password": "Wrong2026x"}
    )


def wrong_certificate_code(stack: Stack, admin: Client) -> Ask:
    physician = secured_physician(stack, admin, category="中医(专长)")
    headers = {"Authorization": f"Bearer {physician.token}"}
    body = {"certificate_code": "Q0000000000"}
    return lambda http: http.post("/api/identity/me/activation/certificate-code", json=body, headers=headers)


def security_code_to_one_phone(stack: Stack, admin: Client) -> Ask:
    physician = registered_physician(stack, admin)  # verified: no code sent to the phone yet
    headers = {"Authorization": f"Bearer {physician.token}"}
    return lambda http: http.post("/api/identity/me/security-codes", json={"channel": "sms"}, headers=headers)


def codes_to_new_phones(stack: Stack, admin: Client) -> Ask:
    """Codes to ever other phones (no resend timer, no per-phone cap in the way), all from one address."""
    physician = secured_physician(stack, admin)
    seen = len(stack.sms_messages(physician.phone))
    physician.ok("POST", "identity", "/me/phone/old-phone-code")  # from the journeys' own address, not the entry's
    code = next_sms_code(stack, physician.phone, seen)
    proof = physician.ok("POST", "identity", "/me/phone/old-phone-proof", json={"code": code})["proof"]
    headers = {"Authorization": f"Bearer {physician.token}"}
    return lambda http: http.post(
        "/api/identity/me/phone/new-phone-code",
        json={"proof": proof, "phone": f"136{random.randint(10**7, 10**8 - 1)}"},
        headers=headers,
    )


def verify_a_licence(stack: Stack, admin: Client) -> Ask:
    return lambda http: http.post("/api/licensing/licences/verifications", json=GUESS)


def download_the_keys(stack: Stack, admin: Client) -> Ask:
    return lambda http: http.get("/api/licensing/.well-known/jwks.json")


CAPTCHA_BURST = Limit(
    "captcha pictures per address: burst",
    "identity.captchas_per_minute",
    "identity.captchas_burst_window_seconds",
    new_captcha,
    "captchas-limited",
)
RESEND = Limit(
    "a code to the same destination: resend timer",
    1,
    "identity.code_resend_seconds",
    security_code_to_one_phone,
    "code-resend-too-soon",
)
VERIFICATION_BURST = Limit(
    "public verification per address: burst",
    "licensing.verification_burst",
    "licensing.verification_burst_window_seconds",
    verify_a_licence,
    "too-many-requests",
)
DOCUMENTS_BURST = Limit(
    "key and status list downloads per address: burst",
    "licensing.documents_burst",
    "licensing.documents_burst_window_seconds",
    download_the_keys,
    "too-many-requests",
)

LIMITS = [
    CAPTCHA_BURST,
    Limit(
        "captcha pictures per address: sustained",
        "identity.captchas_per_hour",
        "identity.captchas_sustained_window_seconds",
        new_captcha,
        "captchas-limited",
        paced_by=CAPTCHA_BURST,
    ),
    Limit(
        "wrong passwords per login name: the name locks",
        "identity.login_max_failures",
        "identity.login_failure_window_seconds",
        wrong_password_of_one_name,
        "login-locked",
        release="identity.lockout_seconds",
    ),
    Limit(
        "failed sign-ins per address: a captcha with every sign-in, never a lock",
        "identity.address_captcha_after_failures",
        "identity.login_failure_window_seconds",
        wrong_password_of_new_names,
        "captcha-required",
        status=422,
    ),
    Limit(
        "wrong certificate codes per account: activation by code locks",
        "identity.certificate_code_max_failures",
        "identity.login_failure_window_seconds",
        wrong_certificate_code,
        "certificate-code-locked",
        release="identity.lockout_seconds",
    ),
    RESEND,
    Limit(
        "codes per destination per day",
        "identity.codes_per_destination_daily",
        "identity.codes_per_destination_window_seconds",
        security_code_to_one_phone,
        "code-daily-limit",
        paced_by=RESEND,
        aligned=True,
    ),
    Limit(
        "codes per address per hour",
        "identity.codes_per_address_hourly",
        "identity.codes_per_address_window_seconds",
        codes_to_new_phones,
        "code-address-limit",
        aligned=True,
    ),
    VERIFICATION_BURST,
    Limit(
        "public verification per address: sustained",
        "licensing.verification_per_hour",
        "licensing.verification_sustained_window_seconds",
        verify_a_licence,
        "too-many-requests",
        paced_by=VERIFICATION_BURST,
    ),
    DOCUMENTS_BURST,
    Limit(
        "key and status list downloads per address: sustained",
        "licensing.documents_per_hour",
        "licensing.documents_sustained_window_seconds",
        download_the_keys,
        "too-many-requests",
        paced_by=DOCUMENTS_BURST,
    ),
]

# Limits with no request of a client's to refuse, and where each is tested instead.
NOT_BURST_OVER_HTTP = {
    "identity.code_max_wrong_tries": "voids the code after its wrong tries; no window ends it, a new code does: "
    "services/identity/tests/integration/test_codes.py::test_five_wrong_tries_void_the_code",
    "identity.activation_code_resend_seconds": "the timer of codes identity's consumer sends when an institution "
    "grants activation; no client request meets it (not tested on its own)",
    "notifications.sms_cap_per_recipient": "the SMS spending guard drops deliveries, refuses no request: "
    "services/notifications/tests/integration/test_sms.py (the cap, and the next window)",
    "notifications.sms_cap_per_recipient_window_seconds": "as sms_cap_per_recipient",
    "notifications.sms_cap_global": "as sms_cap_per_recipient; a deployment-wide cap cannot be reached in a stack "
    "the other journeys share without failing their SMS",
    "notifications.sms_cap_global_window_seconds": "as sms_cap_global",
}


# -- reading the settings the stack runs with


def setting(stack: Stack, name: str | int) -> int:
    """A setting's value in the running stack: the test stack's own, else the settings class's default."""
    if isinstance(name, int):
        return name
    service, field_name = name.split(".")
    cls = next(c for c in config_reference.service_settings() if c.service_name == service)
    info = cls.model_fields[field_name]
    variable, _ = config_reference.variable(cls, field_name, info)
    return int(stack.settings.get(variable, info.default))


def settings_of(limit: Limit) -> set[str]:
    named = {limit.number, limit.window, limit.release}
    return {n for n in named if isinstance(n, str)}


def test_every_limit_has_an_entry():
    limit_settings = {
        f"{cls.service_name}.{name}"
        for cls in config_reference.service_settings()
        for name in cls.model_fields
        if LIMIT_SETTING.search(name)
    }
    covered = set().union(*map(settings_of, LIMITS)) | set(NOT_BURST_OVER_HTTP)
    assert limit_settings - covered == set(), "a limit with no entry in LIMITS"
    assert covered - limit_settings == set(), "an entry names a setting that does not exist or does not look a limit"


# -- the burst and the release


def from_own_address(stack: Stack) -> httpx.Client:
    """A client of the gateway from a loopback address no other test uses."""
    address = f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=stack.gateway_url, transport=transport, timeout=10)


def problem_type(response: httpx.Response) -> str:
    if response.headers.get("content-type", "").startswith("application/problem+json"):
        return response.json()["type"].rsplit("/", 1)[-1]
    return ""


def refused_by(response: httpx.Response, limit: Limit) -> bool:
    return response.status_code == limit.status and problem_type(response) == limit.refusal


def admitted(response: httpx.Response, limit: Limit) -> bool:
    """Through the limit: answered, not refused (a wrong password is answered, and counted, as a 401)."""
    return response.status_code < 500 and response.status_code != 429 and not refused_by(response, limit)


def start_of_next_window(seconds: int) -> None:
    """For windows counted from the epoch: begin the burst as one starts, so that it falls in one window."""
    time.sleep(seconds - time.time() % seconds + 0.05)


class Burst:
    """Asks as a client would, waiting out the limit that paces this one on the way (as its Retry-After says)."""

    def __init__(self, stack: Stack, limit: Limit, ask: Ask, http: httpx.Client) -> None:
        self.stack, self.limit, self.ask, self.http = stack, limit, ask, http
        self.admitted = 0

    def next(self) -> httpx.Response:
        pacer = self.limit.paced_by
        while True:
            response = self.ask(self.http)
            if pacer is None or not refused_by(response, pacer):
                return response
            # the pacer refuses only where its own number ran out (the same answer elsewhere is this limit's)
            if pacer.refusal == self.limit.refusal and self.admitted % setting(self.stack, pacer.number) != 0:
                return response
            wait = int(response.headers["Retry-After"])
            assert 1 <= wait <= setting(self.stack, pacer.window), response.headers
            time.sleep(wait)


@pytest.mark.parametrize("limit", LIMITS, ids=lambda limit: limit.name)
def test_a_burst_meets_the_limit_and_the_limit_lets_go_after_its_window(
    running_stack: Stack, admin: Client, limit: Limit
):
    stack = running_stack
    number, window = setting(stack, limit.number), setting(stack, limit.window)
    release = setting(stack, limit.release) if limit.release is not None else window
    ask = limit.ask(stack, admin)
    with from_own_address(stack) as http:
        burst = Burst(stack, limit, ask, http)
        if limit.aligned:
            start_of_next_window(window)
        started = time.monotonic()
        while burst.admitted < number:
            response = burst.next()
            assert admitted(response, limit), f"refused after {burst.admitted} of {number}: {response.text}"
            burst.admitted += 1
        refused = burst.next()
        assert refused_by(refused, limit), f"the request after {number}: {refused.status_code} {refused.text}"
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.headers["content-language"] == "zh" and CHINESE.search(refused.json()["detail"]), refused.text
        if limit.release is not None:  # a lock, from the last failure on
            ends_in = float(release)
        elif limit.aligned:
            ends_in = window - time.time() % window
        else:  # the window began with the burst's first request
            ends_in = window - (time.monotonic() - started)
        if limit.status == 429:
            wait = float(refused.headers["Retry-After"])
            assert abs(wait - ends_in) <= 1.5, f"Retry-After {wait} s, the window ends in {ends_in:.1f} s"
        else:  # the challenge is no refusal: with the captcha solved, the sign-in goes on (to a wrong password)
            assert "Retry-After" not in refused.headers
            wait = max(0.0, ends_in)
            body = {"login_name": f"nobody{uuid.uuid4().hex[:8]}", "password": "Wrong2026x", **captcha(stack)}
            solved = http.post("/api/identity/tokens", json=body)
            assert solved.status_code == 401 and problem_type(solved) == "sign-in-failed", solved.text
        halfway = min(wait / 2, wait - 1)  # at least a second before the end (Redis rounds to the second)
        if halfway > 0:
            time.sleep(halfway)
            assert refused_by(ask(http), limit), f"let go {halfway:.1f} s into a wait of {wait} s"
        time.sleep(wait - max(0.0, halfway))
        deadline = time.monotonic() + 2.0  # Redis rounds the seconds a window has left
        while not admitted(again := ask(http), limit):
            assert time.monotonic() < deadline, f"still refused {wait} s on: {again.text}"
            time.sleep(0.2)
