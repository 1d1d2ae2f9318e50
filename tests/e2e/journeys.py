"""Steps every e2e journey shares: people, institutions and a physician made active, all over HTTP."""

import random
import time
import uuid

import httpx

from devstack.stack import Stack
from identity.domain.rules import id_check_character
from institutions.domain.rules import CREDIT_CODE_CHARSET, CREDIT_CODE_WEIGHTS


def an_id_number() -> str:
    born = f"{random.randint(1960, 1999)}0{random.randint(1, 9)}1{random.randint(0, 9)}"
    first17 = f"110105{born}{random.randint(100, 999)}"
    return first17 + id_check_character(first17)


def a_credit_code() -> str:
    body = "".join(random.choice(CREDIT_CODE_CHARSET) for _ in range(17))
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(body, CREDIT_CODE_WEIGHTS, strict=True))
    return body + CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


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


def new_institution(admin: Client, region: str) -> str:
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
            "auto_activation": True,
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


def active_physician(stack: Stack, admin: Client, institution_id: str) -> Client:
    name, id_number = "欧阳·明", an_id_number()
    admin.ok(
        "POST",
        "identity",
        "/admin/qualifications",
        json={
            "real_name": name,
            "id_number": id_number,
            "certificate_code": f"Q{random.randint(10**9, 10**10)}",
            "category": "clinical",
            "qualified_on": "2020-08-01",
        },
    )
    login, password = f"doc{uuid.uuid4().hex[:8]}", "Practice2026"
    Client(stack).ok(
        "POST",
        "identity",
        "/registrations",
        json={
            "real_name": name,
            "id_number": id_number,
            "phone": f"139{random.randint(10**7, 10**8 - 1)}",
            "email": f"{login}@example.cn",
            "login_name": login,
            "password": password,
        },
    )
    physician = sign_in(stack, login, password)
    checked = physician.ok("POST", "identity", "/me/qualification-check")
    assert checked["status"] == "verified", checked
    assert checked["id_number_masked"] == id_number[:6] + "********" + id_number[-4:]
    physician.ok("POST", "identity", "/me/activation-requests", json={"institution_id": institution_id})
    eventually(lambda: physician.ok("GET", "identity", "/me"), lambda me: me["status"] == "active")
    # the applications service learns of the activation from events too
    return physician
