"""The printable business form of one application, as a PDF."""

from __future__ import annotations

import asyncio
from uuid import UUID

from applications.adapters import pdf_form
from applications.adapters.institutions import names_of
from applications.adapters.physicians import physician_by_id
from applications.adapters.registrations import register_of
from applications.domain.form import printable_form
from applications.domain.register import Applicant
from applications.service.queries import visible_application
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork


async def form_pdf(*, uow: UnitOfWork, viewer: Principal, application_id: UUID) -> bytes:
    """The form with the applicant, the institutions it names by their names, and its state now."""
    async with uow:
        application = await visible_application(uow.session, viewer=viewer, application_id=application_id)
        person = await physician_by_id(uow.session, account_id=application.account_id)
        register = await register_of(uow.session, account_id=application.account_id)
        current = register.main_institution_id if register else None
        named = {application.institution_id, current, application.details.target_institution_id}
        names = await names_of(uow.session, institution_ids={i for i in named if i is not None})
    form = printable_form(
        application_id=application.id,
        kind=application.kind,
        status=application.status,
        applicant=Applicant(
            name=person.real_name if person else "",
            id_number_masked=person.id_number_masked if person else "",
            category=application.category,
        ),
        details=application.details,
        institution_names=names,
        reviewing_institution_id=application.institution_id,
        current_institution_id=current,
        submitted_at=application.submitted_at,
    )
    return await asyncio.to_thread(pdf_form.render, form)  # rendering is CPU work; keep the loop free
