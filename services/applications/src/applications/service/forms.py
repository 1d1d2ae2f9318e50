"""The printable business form of one application, as a PDF."""

from __future__ import annotations

import asyncio
from uuid import UUID

from applications.adapters import pdf_form
from applications.domain.form import Applicant, printable_form
from applications.service.common import details_of
from applications.service.queries import form_data
from contracts.enums import ApplicationStatus, ApplicationType, PracticeCategory
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork


async def form_pdf(*, uow: UnitOfWork, viewer: Principal, application_id: UUID) -> bytes:
    row, person, names, current = await form_data(uow=uow, viewer=viewer, application_id=application_id)
    form = printable_form(
        application_id=row.id,
        kind=ApplicationType(row.application_type),
        status=ApplicationStatus(row.status),
        applicant=Applicant(
            name=person.real_name if person else "",
            id_number_masked=person.id_number_masked if person else "",
            category=PracticeCategory(row.category),
        ),
        details=details_of(row),
        institution_names=names,
        reviewing_institution_id=row.institution_id,
        current_institution_id=current,
        submitted_at=row.submitted_at,
    )
    return await asyncio.to_thread(pdf_form.render, form)  # rendering is CPU work; keep the loop free
