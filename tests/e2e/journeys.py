"""Steps every e2e journey shares: people, institutions and a physician made active, all over HTTP."""

import asyncio
import random
import re
import time
import uuid
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx
from stdnum.cn import uscc

from devstack.stack import Stack
from identity.domain.rules import id_check_character

T = TypeVar("T")


def an_id_number() -> str:
    born = f"{random.randint(1960, 1999)}0{random.randint(1, 9)}1{random.randint(0, 9)}"
    first17 = f"110105{born}{random.randint(100, 999)}"
    return first17 + id_check_character(first17)


def a_credit_code() -> str:
    """A valid unified social credit code: 8 digits (type and region), 9 more characters, the check character."""
    body = f"{random.choice('123456789')}{random.choice('123')}110105" + "".join(
        random.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9)
    )
    return body + uscc.calc_check_digit(body)


def in_a_thread(work: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end from synchronous test code, whether or not an event loop runs in this thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()


def eventually(fetch, accept, *, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if accept(value):
            return value
        assert time.monotonic() < deadline, f"timed out; last value: {value!r}"
        time.sleep(0.1)


class Client:
    def __init__(self, stack: Stack, token: str | None = None) -> None:
        self.stack, self.token = stack, token

    def call(self, method: str, service: str, path: str, **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return httpx.request(method, f"{self.stack.url(service)}{path}", headers=headers, timeout=10, **kwargs)

    def ok(self, method: str, service: str, path: str, **kwargs):
        response = self.call(method, service, path, **kwargs)
        assert response.status_code < 300, response.text
        return response.json() if response.content else None


def sign_in(stack: Stack, login_name: str, password: str) -> Client:
    body = Client(stack).ok("POST", "identity", "/tokens", json={"login_name": login_name, "password": password})
    return Client(stack, body["access_token"])


def new_institution(admin: Client, region: str, *, auto_activation: bool = True) -> str:
    body = admin.ok(
        "POST",
        "institutions",
        "/admin/institutions",
        json={
            "name": f"第{random.randint(1, 999)}人民医院",
            "credit_code": a_credit_code(),
            "licence_number": "PDY-001",
            "region_code": region,
            "level": "三级甲等",
            "auto_activation": auto_activation,
        },
    )
    return body["institution_id"]


def new_staff(admin: Client, role: str, **binding) -> tuple[str, str]:
    login, password = f"{role[:4]}{uuid.uuid4().hex[:8]}", "Review2026x"
    admin.ok(
        "POST",
        "identity",
        "/admin/accounts",
        json={"role": role, "login_name": login, "password": password, "real_name": "审核员", **binding},
    )
    return login, password


CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")


def captcha(stack: Stack) -> dict[str, str]:
    """A captcha, answered as the test stack's test mode allows (no pixels read)."""
    body = Client(stack).ok("POST", "identity", "/captchas")
    return {"captcha_id": body["captcha_id"], "captcha_answer": stack.settings["IDENTITY_CAPTCHA_TEST_ANSWER"]}


def next_sms_code(stack: Stack, phone: str, seen: int) -> str:
    """The code in the first SMS to `phone` after the `seen` messages it had already, from the SMS sink."""
    texts = eventually(lambda: stack.sms_messages(phone), lambda ts: len(ts) > seen)
    found = CODE.search(texts[seen])
    assert found, texts[seen]
    return found.group()


class Physician(Client):
    """A signed-in physician, with what they registered with."""

    def __init__(self, client: Client, *, login: str, password: str, id_number: str, phone: str, email: str,
                 certificate_code: str, real_name: str = "欧阳·明") -> None:  # fmt: skip
        super().__init__(client.stack, client.token)
        self.login, self.password, self.real_name, self.id_number = login, password, real_name, id_number
        self.phone, self.email, self.certificate_code = phone, email, certificate_code


def a_certificate_code() -> str:
    return f"Q{random.randint(10**9, 10**10)}"


def registered_physician(stack: Stack, admin: Client, *, category: str = "clinical", id_number: str | None = None,
                         certificate_code: str | None = None) -> Physician:  # fmt: skip
    """Registered in two steps, signed in and through the qualification check: status `verified`."""
    name, id_number, login = "欧阳·明", id_number or an_id_number(), f"doc{uuid.uuid4().hex[:8]}"
    certificate_code = certificate_code or a_certificate_code()
    admin.ok(
        "POST",
        "identity",
        "/admin/qualifications",
        json={
            "real_name": name, "id_number": id_number, "certificate_code": certificate_code,
            "category": category, "qualified_on": "2020-08-01",
        },
    )  # fmt: skip
    anonymous = Client(stack)
    step1 = {"real_name": name, "id_number": id_number, "privacy_consent": True, **captcha(stack)}
    ticket = anonymous.ok("POST", "identity", "/registrations", json=step1)["registration_id"]
    phone, password = f"139{random.randint(10**7, 10**8 - 1)}", "Practice2026"
    step2 = {
        "phone": phone, "email": f"{login}@example.cn", "login_name": login,
        "password": password, "password_confirmation": password,
    }  # fmt: skip
    anonymous.ok("POST", "identity", f"/registrations/{ticket}/account", json=step2)
    client = sign_in(stack, login, password)
    checked = client.ok("POST", "identity", "/me/qualification-check")
    assert checked["status"] == "verified", checked
    assert checked["id_number_masked"] == id_number[:6] + "********" + id_number[-4:]
    return Physician(
        client, login=login, password=password, id_number=id_number, phone=phone, email=step2["email"],
        certificate_code=certificate_code, real_name=name,
    )  # fmt: skip


def secured_physician(stack: Stack, admin: Client, *, category: str = "clinical", **known: str) -> Physician:
    """Verified, and the phone proved with the SMS code: ready for activation (`known`: id_number,
    certificate_code, as registered_physician takes them)."""
    physician = registered_physician(stack, admin, category=category, **known)
    seen = len(stack.sms_messages(physician.phone))
    physician.ok("POST", "identity", "/me/security-codes", json={"channel": "sms"})
    code = next_sms_code(stack, physician.phone, seen)
    secured = physician.ok("POST", "identity", "/me/security-verification", json={"channel": "sms", "code": code})
    assert secured["status"] == "secured", secured
    return physician


def active_physician(stack: Stack, admin: Client, institution_id: str, *, category: str = "clinical") -> Physician:
    """Active: TCM-specialty physicians by their certificate code, others by the institution's automatic
    activation (new_institution switches it on)."""
    physician = secured_physician(stack, admin, category=category)
    if category == "tcm_specialty":
        body = {"certificate_code": physician.certificate_code}
        physician.ok("POST", "identity", "/me/activation/certificate-code", json=body)
    else:
        physician.ok("POST", "identity", "/me/activation-requests", json={"institution_id": institution_id})
    eventually(lambda: physician.ok("GET", "identity", "/me"), lambda me: me["status"] == "active")
    return physician


# an endpoint of each service that a physician may call (licensing's says 404 before a registration exists)
EVERY_SERVICE = [
    ("identity", "/me"),
    ("applications", "/applications"),
    ("institutions", "/institutions"),
    ("notifications", "/inbox"),
    ("licensing", "/registrations/me"),
]


def answers_everywhere(client: Client) -> dict[str, int]:
    """The status each service answers `client`'s token with."""
    return {service: client.call("GET", service, path).status_code for service, path in EVERY_SERVICE}
