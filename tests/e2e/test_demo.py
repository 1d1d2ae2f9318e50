"""`make demo` against the test stack: every state the demo promises is there, read back through the public APIs
as the people themselves see it, and a second run changes nothing."""

from collections import Counter

import pytest

from contracts.topics import SERVICES
from devstack.demo import PREFIX, DemoRefused, Target, kept_sign_ins, seed
from devstack.stack import Stack
from e2e.journeys import Client, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]


def demo_accounts(admin: Client) -> list[dict]:
    return [a for a in admin.ok("GET", "identity", f"/admin/accounts?q={PREFIX}&limit=100")
            if a["login_name"].startswith(PREFIX)]  # fmt: skip


def test_the_demo_holds_every_state_and_a_second_run_changes_nothing(running_stack: Stack, admin: Client):
    stack = running_stack
    target = Target(
        urls={s: stack.url(s) for s in SERVICES}, admin_password=stack.secrets["IDENTITY_BOOTSTRAP_ADMIN_PASSWORD"],
        captcha_answer=stack.settings["IDENTITY_CAPTCHA_TEST_ANSWER"], sms_messages=stack.sms_messages,
        workdir=stack.workdir,
    )  # fmt: skip

    made = seed(target)

    password, kept = kept_sign_ins(stack.workdir)
    assert kept == made
    accounts = {a["login_name"]: a for a in demo_accounts(admin)}
    assert sorted(accounts) == sorted(s.login_name for s in made)
    physicians = [a for a in accounts.values() if a["role"] == "physician"]
    assert {a["status"] for a in physicians} == {"registered", "unverified", "verified", "secured", "active",
                                                 "disabled"}  # fmt: skip
    assert Counter(a["role"] for a in accounts.values() if a["role"] != "physician") == {
        "institution_staff": 3, "officer": 2,
    }  # fmt: skip
    regions = {sign_in(stack, login, password).ok("GET", "identity", "/me")["region_code"]
               for login, a in accounts.items() if a["role"] == "officer"}  # fmt: skip
    assert regions == {"110105", "310101"}

    applications, registers, licences = set(), set(), set()
    for login, account in accounts.items():
        if account["role"] != "physician" or account["status"] != "active":
            continue
        me = sign_in(stack, login, password)
        applications |= {a["status"] for a in me.ok("GET", "applications", "/applications")}
        if (register := me.call("GET", "licensing", "/registrations/me")).status_code == 200:
            registers.add(register.json()["status"])
        if (licence := me.call("GET", "licensing", "/licences/me")).status_code == 200:
            licences.add(licence.json()["status"])
    # `submitted` lasts only until the institution's task is made, so it is not kept
    assert applications == {"draft", "institution_review", "authority_review", "approved", "rejected", "withdrawn",
                            "closed"}  # fmt: skip
    assert registers == {"valid", "filed", "deregistered"}
    assert licences == {"valid", "suspended", "revoked"}

    with pytest.raises(DemoRefused, match="already"):
        seed(target)
    assert sorted(a["login_name"] for a in demo_accounts(admin)) == sorted(accounts)
