"""A first practice registration, end to end, through all five services — and what others may not do."""

import random
import time
import uuid

import httpx
import pytest

from devstack.stack import Stack
from identity.domain.rules import id_check_character
from institutions.domain.rules import CREDIT_CODE_CHARSET, CREDIT_CODE_WEIGHTS

pytestmark = pytest.mark.e2e


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


@pytest.fixture(scope="module")
def admin(running_stack: Stack) -> Client:
    return sign_in(running_stack, "admin", running_stack.secrets["IDENTITY_BOOTSTRAP_ADMIN_PASSWORD"])


def test_first_practice_registration_end_to_end(running_stack: Stack, admin: Client):
    stack = running_stack
    region, other_region = "110105", "440305"
    institution = new_institution(admin, region)
    other_institution = new_institution(admin, other_region)
    staff = sign_in(stack, *new_staff(admin, "institution_staff", institution_id=institution))
    other_staff = sign_in(stack, *new_staff(admin, "institution_staff", institution_id=other_institution))
    officer = sign_in(stack, *new_staff(admin, "officer", region_code=region))
    other_officer = sign_in(stack, *new_staff(admin, "officer", region_code=other_region))

    physician = active_physician(stack, admin, institution)
    other_physician = active_physician(stack, admin, institution)

    submit = {"application_type": "initial_registration", "institution_id": institution, "practice_scope": "内科专业"}
    application = eventually(
        lambda: physician.call("POST", "applications", "/applications", json=submit),
        lambda r: r.status_code != 409 or "account-not-active" not in r.text,
    )
    assert application.status_code == 201, application.text
    application_id = application.json()["application_id"]
    assert application.json()["status"] == "institution_review"

    # another physician cannot read it
    assert other_physician.call("GET", "applications", f"/applications/{application_id}").status_code == 404
    # staff cannot file applications, physicians cannot review
    assert staff.call("POST", "applications", "/applications", json=submit).status_code == 403
    assert physician.call("GET", "institutions", "/review-tasks").status_code == 403

    tasks = eventually(
        lambda: staff.ok("GET", "institutions", "/review-tasks?status=open"),
        lambda ts: any(t["application_id"] == application_id for t in ts),
    )
    task = next(t for t in tasks if t["application_id"] == application_id)
    assert task["physician_name"] == "欧阳·明"
    # staff of another institution neither see nor decide it
    assert all(t["application_id"] != application_id for t in other_staff.ok("GET", "institutions", "/review-tasks"))
    refused = other_staff.call(
        "POST", "institutions", f"/review-tasks/{task['task_id']}/decision", json={"outcome": "approved"}
    )
    assert refused.status_code == 404
    unexplained = staff.call(
        "POST", "institutions", f"/review-tasks/{task['task_id']}/decision", json={"outcome": "rejected"}
    )
    assert unexplained.status_code == 422
    assert [e["field"] for e in unexplained.json()["errors"]] == ["reason"]
    staff.ok("POST", "institutions", f"/review-tasks/{task['task_id']}/decision", json={"outcome": "approved"})

    authority_tasks = eventually(
        lambda: officer.ok("GET", "licensing", "/authority-tasks?status=open"),
        lambda ts: any(t["application_id"] == application_id for t in ts),
    )
    authority_task = next(t for t in authority_tasks if t["application_id"] == application_id)
    assert not authority_task["overdue"]
    # an officer of another region neither sees nor decides it
    assert all(t["application_id"] != application_id for t in other_officer.ok("GET", "licensing", "/authority-tasks"))
    assert (
        other_officer.call(
            "POST", "licensing", f"/authority-tasks/{authority_task['task_id']}/decision", json={"outcome": "approved"}
        ).status_code
        == 404
    )

    unexplained = officer.call(
        "POST", "licensing", f"/authority-tasks/{authority_task['task_id']}/decision", json={"outcome": "rejected"}
    )
    assert unexplained.status_code == 422
    assert [e["field"] for e in unexplained.json()["errors"]] == ["reason"]
    approved_at = time.monotonic()
    officer.ok(
        "POST", "licensing", f"/authority-tasks/{authority_task['task_id']}/decision", json={"outcome": "approved"}
    )
    final = eventually(
        lambda: physician.ok("GET", "applications", f"/applications/{application_id}"),
        lambda a: a["status"] == "approved",
    )
    print(f"\nofficer approval -> application approved: {time.monotonic() - approved_at:.3f} s")
    assert [h["status"] for h in final["history"]] == ["institution_review", "authority_review", "approved"]

    registration = physician.ok("GET", "licensing", "/registrations/me")
    assert registration["status"] == "valid"
    assert registration["main_institution_id"] == institution
    assert registration["certificate_number"].startswith(region)
    assert len(registration["certificate_number"]) == 15

    inbox = eventually(lambda: physician.ok("GET", "notifications", "/inbox"), lambda ms: len(ms) >= 3)
    titles = [m["title"] for m in inbox]
    assert "您的执业注册申请已批准" in titles
    assert "您的执业注册申请待卫生健康行政部门审批" in titles
    assert "您的执业注册申请待机构审核" in titles
    assert other_physician.ok("GET", "notifications", "/inbox") == []

    # a second initial registration is refused with a reason
    again = eventually(
        lambda: physician.call("POST", "applications", "/applications", json=submit),
        lambda r: r.status_code == 409 and "already-registered" in r.text,
    )
    assert "change" in again.json()["detail"]
