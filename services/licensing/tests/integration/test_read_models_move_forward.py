"""Issue 12 items 3 and 7: licensing's read models apply a change only when it is newer than what they hold, and the
register counts its versions."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from contracts.enums import ApplicationType, PracticeCategory, ReviewOutcome, Role
from licensing.adapters.tables import applications, authority_tasks, institutions
from licensing.domain.register import Change
from licensing.service import register
from regsys_runtime.auth import Principal

from .conftest import Harness
from .events import T0, Case, deliver

pytestmark = pytest.mark.integration


async def test_an_older_institution_record_arriving_last_changes_nothing(licensing: Harness):
    h = licensing
    case = Case.new(ApplicationType.INITIAL_REGISTRATION)
    await deliver(h, case.institution("新名称医院", at=T0 + timedelta(hours=1)), case.institution("旧名称医院", at=T0))
    async with h.uow() as uow:
        name = await uow.session.scalar(select(institutions.c.name).where(institutions.c.id == case.institution_id))
    assert name == "新名称医院"
    await deliver(h, case.institution("再次更名医院", at=T0 + timedelta(hours=2)))
    async with h.uow() as uow:
        name = await uow.session.scalar(select(institutions.c.name).where(institutions.c.id == case.institution_id))
    assert name == "再次更名医院"


async def test_an_approved_application_is_not_set_back_to_withdrawn_or_closed(licensing: Harness):
    h = licensing
    case = Case.new(ApplicationType.INITIAL_REGISTRATION, region="110105")
    await deliver(h, case.institution("第一人民医院"), case.submitted(), case.review(ReviewOutcome.APPROVED))
    async with h.uow() as uow:
        task_id = await uow.session.scalar(
            select(authority_tasks.c.id).where(authority_tasks.c.application_id == case.application_id)
        )
    officer = Principal(uuid.uuid4(), Role.OFFICER, region_code="110105")
    decided = await h.http.post(
        f"/authority-tasks/{task_id}/decision", json={"outcome": "approved"}, headers=h.token(officer)
    )
    assert decided.status_code == 200, decided.text

    await deliver(h, case.withdrawn(), case.closed())  # older news, arriving last
    async with h.uow() as uow:
        status = await uow.session.scalar(select(applications.c.status).where(applications.c.id == case.application_id))
        task = await uow.session.scalar(select(authority_tasks.c.status).where(authority_tasks.c.id == task_id))
    assert (status, task) == ("approved", "approved")


async def test_every_change_of_a_registration_counts_one_version(licensing: Harness):
    h = licensing
    account_id, institution_id = uuid.uuid4(), uuid.uuid4()
    physician = Principal(account_id, Role.PHYSICIAN)
    changes = [
        Change(ApplicationType.INITIAL_REGISTRATION, institution_id, PracticeCategory.CLINICAL,
               certificate_number=f"1101052026{uuid.uuid4().int % 10**5:05d}"),
        Change(ApplicationType.PHOTO_UPDATE, institution_id, PracticeCategory.CLINICAL, photo_sha256="cd" * 32),
        Change(ApplicationType.PRACTICE_FILING, institution_id, PracticeCategory.CLINICAL),
    ]  # fmt: skip
    for expected, change in enumerate(changes, start=1):
        async with h.uow() as uow:
            await register.apply_change(
                uow=uow, account_id=account_id, change=change, today=datetime.now(UTC).date(),
                now=datetime.now(UTC), office=h.office, physician=("欧阳·明", "110105********123X"),
            )  # fmt: skip
            await uow.commit()
        read = (await h.http.get("/registrations/me", headers=h.token(physician))).json()
        assert read["version"] == expected
