"""The two-year rule of cancelling a filing holds for filings the register import brought in from the previous
system: one filed exactly two years ago may still be cancelled, one filed two years and a day ago may not, and the
refusal says why in Chinese. Through the operator's `import-register` and the public API, on today's real date.

The boundary is inclusive: DOMAIN.md says the filing date is "≤ 2 years" ago, and the seed says 注册备案时间不超过两年
(not more than two years), so on the day two years on it is still allowed and refused from the day after."""

import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from applications.domain.preconditions import cancel_filing_deadline
from devstack.pytest_plugin import compose_mode
from devstack.stack import Stack
from e2e.applying import approved, register_of
from e2e.journeys import (
    Client,
    a_certificate_code,
    a_credit_code,
    an_id_number,
    eventually,
    new_staff,
    secured_physician,
    sign_in,
)
from licensing.adapters.register_export import write_export
from regsys_runtime.clock import CHINA_STANDARD_TIME

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(compose_mode(), reason="the operator's import runs against the test stack's own database"),
]

REGION = "110108"
CANCEL = {"application_type": "cancel_filing", "reason": "返聘继续执业"}


def two_years_before(today: date) -> date:
    """The earliest filing day that may still be cancelled today: two years before (on 29 February, whose day two
    years back does not exist, 1 March: a filing of 28 February ended yesterday)."""
    filed_on = today.replace(year=today.year - 2) if (today.month, today.day) != (2, 29) else date(today.year - 2, 3, 1)
    assert cancel_filing_deadline(filed_on) >= today > cancel_filing_deadline(filed_on - timedelta(days=1))
    return filed_on


def an_institution(admin: Client) -> tuple[str, str]:
    credit_code = a_credit_code()
    body = {"name": "北京市海淀区导入医院", "credit_code": credit_code, "licence_number": "PDY-IMPORT",
            "region_code": REGION, "level": "二级甲等", "auto_activation": True}  # fmt: skip
    return admin.ok("POST", "institutions", "/admin/institutions", json=body)["institution_id"], credit_code


def import_register(stack: Stack, export: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "licensing", "import-register", str(export), *options],
        env=stack.env(), capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


def cancelling(physician: Client) -> Client:
    """The answer to the cancel filing (draft, then submission), once the register reached applications."""

    def ask():
        created = physician.call("POST", "applications", "/applications", json=CANCEL)
        if created.status_code != 201:
            return created
        return physician.call("POST", "applications", f"/applications/{created.json()['application_id']}/submission")

    # until the imported registration, taken over by the account, is known to applications: no-valid-registration
    return eventually(ask, lambda r: r.status_code < 300 or "filing-too-old" in r.text, timeout=60)


def test_imported_filings_may_be_cancelled_for_two_years_to_the_day_and_not_a_day_more(
    running_stack: Stack, admin: Client, tmp_path: Path
):
    stack = running_stack
    today = datetime.now(CHINA_STANDARD_TIME).date()  # the business day; the import and the services read it
    on_the_day, a_day_late = two_years_before(today), two_years_before(today) - timedelta(days=1)
    institution, credit_code = an_institution(admin)
    staff = sign_in(stack, *new_staff(admin, "institution_staff", institution_id=institution))
    officer = sign_in(stack, *new_staff(admin, "officer", region_code=REGION))
    people = {filed_on: (an_id_number(), a_certificate_code()) for filed_on in (on_the_day, a_day_late)}
    registrations = [
        {"certificate_number": f"C{code[1:]}", "real_name": "欧阳·明", "id_number": id_number,
         "qualification_code": code, "category": "临床", "practice_scope": "内科专业",
         "institution_credit_code": credit_code, "registered_on": "2012-07-01", "status": "注册备案",
         "filed_on": filed_on.isoformat()}
        for filed_on, (id_number, code) in people.items()
    ]  # fmt: skip
    export = write_export(tmp_path / "export", {"registrations": registrations}, encoding="gb18030")
    # licensing learns of the institution from institutions' event; the import refuses institutions it does not know
    eventually(lambda: import_register(stack, export, "--dry-run"), lambda run: run.returncode == 0, timeout=120)
    loaded = import_register(stack, export)
    assert loaded.returncode == 0 and "imported 2 registrations" in loaded.stdout, loaded.stdout + loaded.stderr

    physicians = {}
    for filed_on, (id_number, code) in people.items():  # the qualification check matches: the account takes over
        physicians[filed_on] = physician = secured_physician(stack, admin, id_number=id_number, certificate_code=code)
        physician.ok("POST", "identity", "/me/activation-requests", json={"institution_id": institution})
        eventually(lambda p=physician: p.ok("GET", "identity", "/me"), lambda me: me["status"] == "active")
        filed = register_of(physician, lambda r: r["status"] == "filed")
        assert (filed["filed_on"], filed["main_institution_id"]) == (filed_on.isoformat(), institution)

    refused = cancelling(physicians[a_day_late])
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["type"].endswith("filing-too-old")
    assert problem["detail"] == (
        f"取消备案仅限备案时间不超过两年的医师办理：您的备案日期为 {a_day_late}，"
        f"最迟可于 {cancel_filing_deadline(a_day_late)} 申请，现已超过两年。"
    )  # Chinese by default

    allowed = cancelling(physicians[on_the_day])
    assert allowed.status_code == 200, allowed.text
    approved(physicians[on_the_day], staff, officer, allowed.json())
    assert register_of(physicians[on_the_day], lambda r: r["status"] == "valid")["main_institution_id"] == institution
