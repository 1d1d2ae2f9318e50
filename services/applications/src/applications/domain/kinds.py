"""The eight application types: what each needs, who reviews it, and which part of the register it affects."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from applications.domain.register import Register
from contracts.applications.v1 import ApplicationDetails
from contracts.enums import ApplicationType as T
from regsys_runtime.errors import Conflict, InvalidFields, Message


@dataclass(frozen=True)
class Kind:
    needs_photo: bool = False
    needs_form: bool = False


KINDS: dict[T, Kind] = {
    T.INITIAL_REGISTRATION: Kind(needs_photo=True, needs_form=True),
    T.CHANGE_REGISTRATION: Kind(needs_form=True),
    T.MULTI_SITE_FILING: Kind(needs_form=True),
    T.CANCEL_MULTI_SITE_FILING: Kind(),
    T.PRACTICE_FILING: Kind(),
    T.CANCEL_FILING: Kind(),
    T.DEREGISTRATION: Kind(),
    T.PHOTO_UPDATE: Kind(needs_photo=True),
}

# the types whose reviewing institution the physician chooses
CHOSEN_INSTITUTION = frozenset({T.INITIAL_REGISTRATION, T.CHANGE_REGISTRATION, T.MULTI_SITE_FILING})


def reviewing_institution(kind: T, details: ApplicationDetails, register: Register | None) -> UUID | None:
    """The institution that reviews the application, or None if the register does not name one (yet)."""
    if kind in CHOSEN_INSTITUTION:
        return details.target_institution_id
    if register is None:
        return None
    if kind is T.CANCEL_MULTI_SITE_FILING:
        filing = register.multi_site(details.multi_site_filing_id)
        return filing.institution_id if filing else None
    if kind is T.CANCEL_FILING:
        return register.filing_institution_id or register.main_institution_id
    return register.main_institution_id  # practice filing, deregistration, photo update


class NoReviewingInstitution(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "no-reviewing-institution",
            Message("The register names no institution to review this.", zh="注册信息中没有可审核此申请的机构。"),
        )


class NoSuchInstitution(InvalidFields):
    def __init__(self) -> None:
        super().__init__(
            {
                "institution_id": Message(
                    "No such institution; choose one from the list of institutions.",
                    zh="没有这家机构，请从机构列表中选择。",
                )
            }
        )


def reviewer(kind: T, details: ApplicationDetails, register: Register | None) -> UUID:
    """The institution that reviews the application; refused if the register names none."""
    institution_id = reviewing_institution(kind, details, register)
    if institution_id is None:
        raise NoReviewingInstitution()
    return institution_id


def affects(kind: T, details: ApplicationDetails, register: Register | None) -> str:
    """The part of the register an application affects: at most one open application per part and account.

    The main registration is one part; each multi-site institution is one; the photo is one. So a multi-site
    filing may be pending while a deregistration is (and is closed if the deregistration is approved).
    """
    if kind is T.MULTI_SITE_FILING:
        return f"multi-site:{details.target_institution_id}"
    if kind is T.CANCEL_MULTI_SITE_FILING:
        filing = register.multi_site(details.multi_site_filing_id) if register else None
        return f"multi-site:{filing.institution_id if filing else details.multi_site_filing_id}"
    if kind is T.PHOTO_UPDATE:
        return "photo"
    return "registration"
