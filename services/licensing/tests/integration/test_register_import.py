"""The import of the previous system's register, through the operator's command, against the real database: what
goes in, what is left out with its line and reason, a second run, a dry run, and the physician's account taking its
imported registration over when the qualification check matches."""

from __future__ import annotations

import csv
import random
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from stdnum.cn import ric, uscc

from contracts import Envelope
from contracts.enums import PracticeCategory
from contracts.identity.v1 import QualificationChecked
from contracts.institutions.v1 import InstitutionRecorded
from devstack.stack import Stack
from licensing.adapters.register_export import write_export
from licensing.adapters.tables import multi_site_filings, register_claims, registration_history, registrations
from licensing.domain.register_import import placeholder_account
from licensing.service import tasks

from .conftest import Harness
from .events import deliver

pytestmark = pytest.mark.integration

TODAY = datetime.now(UTC).date()


def a_credit_code() -> str:
    body = "9111010" + "5" + "".join(random.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body)


def an_id_number() -> str:
    first17 = (
        f"110105{random.randint(1960, 1999)}0{random.randint(1, 9)}1{random.randint(0, 9)}{random.randint(100, 999)}"
    )
    return first17 + ric.calc_check_digit(first17 + "0")  # it reads the first 17 of 18


def a_code(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().int % 10**12:012d}"


async def an_institution(h: Harness, credit_code: str) -> uuid.UUID:
    institution_id = uuid.uuid4()
    event = InstitutionRecorded(
        institution_id=institution_id, name="北京市第一医院", credit_code=credit_code, licence_number="PDY-1",
        region_code="110105",
    )  # fmt: skip
    async with h.uow() as uow:
        await tasks.remember_institution(uow=uow, event=event, recorded_at=datetime.now(UTC))
        await uow.commit()
    return institution_id


def a_registration(institution: str, **values: object) -> dict[str, object]:
    return {
        "certificate_number": a_code("C"), "real_name": "张三", "id_number": an_id_number(),
        "qualification_code": a_code("Q"), "category": "临床", "practice_scope": "内科专业",
        "institution_credit_code": institution, "registered_on": "2015-07-01", "status": "有效", **values,
    }  # fmt: skip


def import_register(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "licensing", "import-register", *args],
        env=stack.env(), capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


async def held(h: Harness, table, **where: object) -> list:
    query = select(table).where(*(table.c[k] == v for k, v in where.items()))
    async with h.uow() as uow:
        return list((await uow.session.execute(query)).all())


async def test_the_export_goes_in_with_rejects_by_line_and_once_only(
    licensing: Harness, prepared_stack: Stack, tmp_path: Path
):
    main, other = a_credit_code(), a_credit_code()
    main_id, other_id = await an_institution(licensing, main), await an_institution(licensing, other)
    valid = a_registration(main)
    filed = a_registration(main, status="注册备案", filed_on=(TODAY - timedelta(days=30)).isoformat())
    gone = a_registration(main, status="注销", deregistered_on="2020-03-01")
    unknown_institution = a_registration(a_credit_code())
    rows = {
        "registrations": [valid, filed, gone, unknown_institution, {**valid, "id_number": "110105199001011234"}],
        "multi_site_filings": [
            {"certificate_number": valid["certificate_number"], "institution_credit_code": other,
             "starts_on": "2024-01-01", "ends_on": "2099-12-31"},
            {"certificate_number": valid["certificate_number"], "institution_credit_code": other,
             "starts_on": "2020-01-01", "ends_on": "2021-12-31"},
            {"certificate_number": "C404", "institution_credit_code": other,
             "starts_on": "2024-01-01", "ends_on": "2025-01-01"},
        ],
        "history": [
            {"certificate_number": valid["certificate_number"], "changed_on": "2015-07-01", "change": "执业注册",
             "institution_credit_code": other, "status": "有效"},
            {"certificate_number": valid["certificate_number"], "changed_on": "2019-05-06", "change": "变更注册",
             "institution_credit_code": main, "status": "有效"},
        ],
    }  # fmt: skip
    export = write_export(tmp_path / "export", rows, encoding="gb18030")  # Chinese headers, GB18030
    rejects = tmp_path / "rejects.csv"

    run = import_register(prepared_stack, str(export), "--rejects", str(rejects))

    assert run.returncode == 1, run.stderr
    assert "imported 3 registrations" in run.stdout, run.stdout
    with rejects.open(encoding="utf-8-sig") as handle:
        left_out = {(r["file"], r["line"], r["field"]) for r in csv.DictReader(handle)}
    assert left_out == {
        ("registrations.csv", "5", "institution_credit_code"),  # no such institution imported
        ("registrations.csv", "6", "id_number"),  # not an ID number (its check character)
        ("multi_site_filings.csv", "4", "certificate_number"),  # no registration of that number
    }
    [registration] = await held(licensing, registrations, certificate_number=valid["certificate_number"])
    assert (registration.status, registration.main_institution_id) == ("valid", main_id)
    assert registration.id_number_masked == f"{valid['id_number'][:6]}********{valid['id_number'][-4:]}"
    sites = await held(licensing, multi_site_filings, account_id=registration.account_id)
    assert sorted((s.starts_on, s.status, s.institution_id) for s in sites) == [
        (date(2020, 1, 1), "ended", other_id), (date(2024, 1, 1), "valid", other_id),
    ]  # fmt: skip
    history = await held(licensing, registration_history, account_id=registration.account_id)
    assert [h.cause for h in history] == ["initial_registration", "change_registration", "register_import"]
    assert history[-1].snapshot["multi_sites"][0]["ends_on"] == "2099-12-31"
    [filed_row] = await held(licensing, registrations, certificate_number=filed["certificate_number"])
    assert (filed_row.status, filed_row.filed_on, filed_row.filing_institution_id) == (
        "filed", TODAY - timedelta(days=30), main_id,
    )  # fmt: skip
    told = await held(licensing, registration_history, account_id=filed_row.account_id)
    assert [h.cause for h in told] == ["initial_registration", "practice_filing", "register_import"]

    again = import_register(prepared_stack, str(export))

    assert "imported 0 registrations; 3 were in the register already" in again.stdout, again.stdout
    async with licensing.uow() as uow:
        count = select(func.count()).select_from(registration_history)
        assert await uow.session.scalar(count.where(registration_history.c.account_id == registration.account_id)) == 3


async def test_a_dry_run_checks_everything_and_keeps_nothing(licensing: Harness, prepared_stack: Stack, tmp_path: Path):
    main = a_credit_code()
    await an_institution(licensing, main)
    registration = a_registration(main)
    export = write_export(tmp_path / "dry", {"registrations": [registration]}) / "registrations.csv"

    run = import_register(prepared_stack, str(export), "--dry-run")

    assert run.returncode == 0, run.stderr
    assert "would import 1 registrations" in run.stdout
    assert await held(licensing, registrations, certificate_number=registration["certificate_number"]) == []


def checked(account_id: uuid.UUID, certificate_code: str, masked: str) -> Envelope:
    event = QualificationChecked(
        account_id=account_id, matched=True, category=PracticeCategory.CLINICAL, certificate_code=certificate_code,
        id_number_masked=masked,
    )  # fmt: skip
    return Envelope.wrap(event, producer="identity", subject_id=str(account_id), correlation_id="claim")


async def test_the_account_whose_qualification_matches_takes_its_imported_registration_over(
    licensing: Harness, prepared_stack: Stack, tmp_path: Path
):
    main = a_credit_code()
    await an_institution(licensing, main)
    record = a_registration(main, status="注册备案", filed_on=(TODAY - timedelta(days=100)).isoformat())
    export = write_export(tmp_path / "claim", {"registrations": [record]})
    assert import_register(prepared_stack, str(export)).returncode == 0
    masked = f"{record['id_number'][:6]}********{record['id_number'][-4:]}"
    stranger, physician = uuid.uuid4(), uuid.uuid4()

    await deliver(  # another ID number with the same code is not the physician; then the physician, twice
        licensing,
        checked(stranger, str(record["qualification_code"]), "110105********0000"),
        checked(physician, str(record["qualification_code"]), masked),
        checked(uuid.uuid4(), str(record["qualification_code"]), masked),
    )

    assert await held(licensing, registrations, account_id=stranger) == []
    [taken] = await held(licensing, registrations, account_id=physician)
    assert (taken.certificate_number, taken.status, taken.version) == (record["certificate_number"], "filed", 2)
    assert await held(licensing, registrations, account_id=placeholder_account(str(record["certificate_number"]))) == []
    [claim] = await held(licensing, register_claims, certificate_number=record["certificate_number"])
    assert claim.claimed_by == physician
    history = await held(licensing, registration_history, account_id=physician)
    assert [h.cause for h in history][-2:] == ["register_import", "register_claimed"]
    assert {h.snapshot["account_id"] for h in history} == {str(physician)}
    [announced] = [e for e in await licensing.outbox(physician) if e["type"] == "licensing.registration_changed"]
    assert (announced["status"], announced["filed_on"]) == ("filed", str(TODAY - timedelta(days=100)))
