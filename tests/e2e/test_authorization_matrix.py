"""The authorization matrix, sent to the running system: every operation × every role × own / another's object.

The rows are in `authz_matrix.py`. The world has two sides: A (institution A in region A, its staff, an officer of
region A, physician P1 with an application A approved and registered) and B the same with P2; the callers are A's
(and an administrator, and nobody). Each cell is one request:

- on an owned object (an id in the path) the body is a valid one, so that the ownership check is reached: the
  A-side objects are all decided already, so a valid body on them changes nothing (409) or nothing that matters
  (a message marked read, automatic activation switched on again);
- elsewhere the body is `{}` where the operation takes one. Authorization runs before the body is read (the role
  check is a dependency), so a refused caller is refused whatever the body; an allowed one may get 422, and a
  422, like a 409 or a 429, counts as allowed: it is the use case or the validation answering, past authorization.

Refused is 401 for the anonymous caller, 403 or 404 for a signed-in one; allowed is anything but 401 and 403, and
on the caller's own object also not 404; a 5xx is always a failure. Signing out everywhere and disabling an account
use throwaway accounts and run last. Every mismatch is collected and the test fails once, with one table.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import pytest

from contracts.topics import SERVICES
from devstack.stack import Stack
from e2e.applying import (
    FORM,
    a_photo,
    authority_decides,
    authority_task,
    file,
    institution_decides,
    register_of,
    review_task,
    status_of,
)  # fmt: skip
from e2e.authz_matrix import Operation, cells, coverage_gaps, operations, owned_object
from e2e.journeys import (
    Client,
    Physician,
    active_physician,
    eventually,
    new_institution,
    new_staff,
    registered_physician,
    sign_in,
)  # fmt: skip

pytestmark = pytest.mark.e2e

# two districts, neither under the other (officers of a region decide for the regions below it)
REGIONS = {"A": "120103", "B": "520102"}  # districts no other suite files in
PROBE = "权限矩阵探查"  # a reason, where a body needs one

# run last, in this order, each from a throwaway account: they end another account, or the caller's sessions
LAST = [("identity", "POST", "/admin/accounts/{account_id}/disable"), ("identity", "POST", "/tokens/revoke-all")]
# the credential is the refresh token in the body, not the bearer token: each cell sends a fresh one of its own
REFRESH_TOKEN_IN_BODY = {("identity", "POST", "/tokens/refresh"), ("identity", "POST", "/tokens/revoke")}

# valid bodies for the operations on an owned object (the ownership check comes after the body is read)
BODIES: dict[Operation, dict] = {
    ("applications", "POST", "/applications/{application_id}/withdrawal"): {"reason": PROBE},
    ("institutions", "POST", "/activation-requests/{account_id}/activation-code"): {"channel": "sms"},
    ("institutions", "POST", "/activation-requests/{account_id}/decline"): {"reason": PROBE},
    ("institutions", "PUT", "/institutions/{institution_id}/auto-activation"): {"enabled": True},
    ("institutions", "POST", "/review-tasks/{task_id}/decision"): {"outcome": "rejected", "reason": PROBE},
    ("licensing", "PUT", "/authority-tasks/{task_id}/materials"): {"received": []},
    ("licensing", "POST", "/authority-tasks/{task_id}/decision"): {"outcome": "rejected", "reason": PROBE},
}


Cell = tuple[Operation, str, str, str]
Mismatch = tuple[str, str, str, str, int, str]


@dataclass
class Side:
    """One side of the world: an institution, its staff, an officer of its region, and a registered physician."""

    institution: str
    staff: Client
    officer: Client
    physician: Physician
    physician_id: str
    application: str
    review_task: str
    authority_task: str
    message: str

    def object_id(self, kind: str) -> str:
        return {
            "application": self.application,
            "review task": self.review_task,
            "activation request": self.physician_id,
            "institution": self.institution,
            "inbox message": self.message,
            "authority task": self.authority_task,
            "register entry": self.physician_id,
        }[kind]


def a_side(stack: Stack, admin: Client, region: str) -> Side:
    """Everything decided: the application approved by the institution and the authority, the register written."""
    institution = new_institution(admin, region)
    staff = sign_in(stack, *new_staff(admin, "institution_staff", institution_id=institution))
    officer = sign_in(stack, *new_staff(admin, "officer", region_code=region))
    physician = active_physician(stack, admin, institution)
    submit = {
        "application_type": "initial_registration", "institution_id": institution, "practice_scope": "内科专业",
        "form": FORM,
    }  # fmt: skip
    application = file(physician, submit, photo=a_photo())["application_id"]
    review = review_task(staff, application)["task_id"]
    institution_decides(staff, application, "approved")
    authority = authority_task(officer, application)["task_id"]
    authority_decides(officer, application, "approved")
    status_of(physician, application, "approved")
    register_of(physician, lambda r: r.get("status") == "valid")
    inbox = eventually(lambda: physician.ok("GET", "notifications", "/inbox"), lambda ms: len(ms) > 0)
    return Side(
        institution, staff, officer, physician, physician.ok("GET", "identity", "/me")["account_id"], application,
        review, authority, inbox[0]["message_id"],
    )  # fmt: skip


@dataclass
class World:
    a: Side
    b: Side
    callers: dict[str, Client]  # role -> the A-side caller
    throwaway: dict[str, Client]  # role -> a caller whose sessions may end
    disposable_account: str  # an account an administrator may disable
    signer: tuple[str, str]  # the login of an account whose refresh tokens the cells spend

    def fresh_refresh_token(self, stack: Stack) -> str:
        login, password = self.signer
        body = Client(stack).ok("POST", "identity", "/tokens", json={"login_name": login, "password": password})
        return body["refresh_token"]


def build_world(stack: Stack, admin: Client) -> World:
    with ThreadPoolExecutor(max_workers=2) as pool:
        a, b = pool.map(lambda region: a_side(stack, admin, region), REGIONS.values())
    callers = {"anonymous": Client(stack), "physician": a.physician, "staff": a.staff, "officer": a.officer}
    throwaway = {
        "anonymous": Client(stack),
        "physician": registered_physician(stack, admin),
        "staff": sign_in(stack, *new_staff(admin, "institution_staff", institution_id=a.institution)),
        "officer": sign_in(stack, *new_staff(admin, "officer", region_code=REGIONS["A"])),
        "admin": sign_in(stack, *new_staff(admin, "admin")),
    }
    disposable = admin.ok(
        "POST",
        "identity",
        "/admin/accounts",
        json={
            "role": "institution_staff", "login_name": f"gone{uuid.uuid4().hex[:8]}", "password": "Review2026x",
            "real_name": "审核员", "institution_id": a.institution,
        },
    )["account_id"]  # fmt: skip
    signer = new_staff(admin, "institution_staff", institution_id=a.institution)
    return World(a, b, callers | {"admin": admin}, throwaway, disposable, signer)


def declared_operations(stack: Stack) -> dict[Operation, dict]:
    """Every operation of the running services, from their OpenAPI documents, with its OpenAPI entry."""
    found: dict[Operation, dict] = {}
    for service in SERVICES:
        document = Client(stack).ok("GET", service, "/openapi.json")
        for operation in operations(service, document):
            found[operation] = document["paths"][operation[2]][operation[1].lower()]
    return found


def send(world: World, operation: Operation, entry: dict, role: str, whose: str) -> httpx.Response:
    """The one request of a cell."""
    service, method, path = operation
    caller = world.throwaway[role] if operation in LAST else world.callers[role]
    kind = owned_object(operation)
    if kind is not None:
        side = world.a if whose == "own" else world.b
        param = path[path.index("{") + 1 : path.index("}")]
        path = path.replace(f"{{{param}}}", side.object_id(kind))
    path = (
        path.replace("{registration_id}", "no-such-ticket")
        .replace("{account_id}", world.disposable_account)
        .replace("{purpose}", "revocation")
    )
    headers = {"Authorization": f"Bearer {caller.token}"} if caller.token else {}
    content = entry.get("requestBody", {}).get("content", {})
    if "image/jpeg" in content:
        return httpx.request(method, f"{caller.stack.url(service)}{path}", content=a_photo(), timeout=10,
                             headers=headers | {"Content-Type": "image/jpeg"})  # fmt: skip
    if "text/csv" in content:  # a header-only chunk: an operator's import of nothing
        return httpx.request(method, f"{caller.stack.url(service)}{path}", content=b"name\r\n", timeout=10,
                             headers=headers | {"Content-Type": "text/csv"})  # fmt: skip
    if operation in REFRESH_TOKEN_IN_BODY:
        return caller.call(method, service, path, json={"refresh_token": world.fresh_refresh_token(caller.stack)})
    if content:
        return caller.call(method, service, path, json=BODIES.get(operation, {}))
    return caller.call(method, service, path)


def verdict(response: httpx.Response, role: str, whose: str, expected: str) -> str | None:
    """What is wrong with the answer to a cell, or None."""
    status = response.status_code
    if status >= 500:
        return "a server error"
    if expected == "deny":
        refused = status == 401 if role == "anonymous" else status in (403, 404)
        return None if refused else "allowed, should be refused"
    if status in (401, 403) or (status == 404 and whose == "own"):
        return "refused, should be allowed"
    return None


@pytest.fixture(scope="module")
def world(running_stack: Stack, admin: Client) -> World:
    return build_world(running_stack, admin)


def test_an_officer_sees_an_application_only_once_it_reached_the_authority(world: World):
    """Officers of the region see what reached their authority, as licensing shows them only physicians whose
    application did: not one still with the institution, nor one the institution rejected."""
    a, b = world.a, world.b
    pending = file(a.physician, {"application_type": "practice_filing", "reason": "retired", "remark": "年满退休"})
    review_task(a.staff, pending["application_id"])
    refused = file(b.physician, {"application_type": "deregistration", "reason": "left_profession"})
    institution_decides(b.staff, refused["application_id"], "rejected", "材料不全")
    status_of(b.physician, refused["application_id"], "rejected")
    for side, application in ((a, pending["application_id"]), (b, refused["application_id"])):
        for path in (f"/applications/{application}", f"/applications/{application}/form.pdf"):
            assert side.staff.call("GET", "applications", path).status_code == 200
            assert side.officer.call("GET", "applications", path).status_code == 404, (path, side.institution)
    reached = f"/applications/{a.application}"
    assert a.officer.call("GET", "applications", reached).status_code == 200


def test_an_officer_of_the_province_reads_what_its_districts_send_up(running_stack: Stack, admin: Client, world: World):
    """A province's officer decides the tasks of its districts (licensing), so reads their applications too."""
    province = sign_in(running_stack, *new_staff(admin, "officer", region_code=REGIONS["A"][:2] + "0000"))
    assert province.call("GET", "licensing", f"/authority-tasks/{world.a.authority_task}").status_code == 200
    for path in ("", "/photo", "/form.pdf"):
        assert province.call("GET", "applications", f"/applications/{world.a.application}{path}").status_code == 200
        assert province.call("GET", "applications", f"/applications/{world.b.application}{path}").status_code == 404


def test_every_operation_every_role_own_and_anothers(running_stack: Stack, world: World):
    declared = declared_operations(running_stack)
    gaps = coverage_gaps(set(declared))
    assert gaps == {gap: [] for gap in gaps}, gaps

    every = cells()
    first = [cell for cell in every if cell[0] not in LAST]
    last = sorted((cell for cell in every if cell[0] in LAST), key=lambda cell: LAST.index(cell[0]))

    def answer(cell: Cell) -> Mismatch | None:
        operation, role, whose, expected = cell
        response = send(world, operation, declared[operation], role, whose)
        wrong = verdict(response, role, whose, expected)
        return (" ".join(operation), role, whose, expected, response.status_code, wrong) if wrong else None

    with ThreadPoolExecutor(max_workers=4) as pool:  # the cells before the last are independent of each other
        answers = [*pool.map(answer, first), *map(answer, last)]
    mismatches = [m for m in answers if m is not None]
    table = "\n".join(f"{o:<72} {r:<9} {w:<5} expected {e:<5} got {s}  {why}" for o, r, w, e, s, why in mismatches)
    assert not mismatches, f"{len(mismatches)} of {len(every)} cells wrong:\n{table}"
