"""The paper materials an authority may still require (from the registration guide), per application type."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from contracts.enums import ApplicationType as T
from regsys_runtime.errors import InvalidFields, Message


@dataclass(frozen=True)
class Material:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class ReceivedMaterial:
    """An item of the checklist an officer recorded as received for an application."""

    code: str
    received_at: datetime


@dataclass(frozen=True)
class MaterialCheck:
    """An item of the checklist, and when it was received (None: not yet)."""

    material: Material
    received_at: datetime | None

    @property
    def received(self) -> bool:
        return self.received_at is not None


class UnknownMaterials(InvalidFields):
    def __init__(self, kind: T, unknown: set[str]) -> None:
        known = ", ".join(m.code for m in checklist(kind))
        unknown_codes = ", ".join(sorted(unknown))
        super().__init__(
            {
                "received": Message(
                    f"Not on the checklist: {unknown_codes}. Known: {known}.",
                    zh=f"不在材料清单上：{unknown_codes}。清单上的材料：{known}。",
                )
            }
        )


APPROVAL_FORM = Material(
    "approval_form", "医师执业注册申请审核表（一式两份）", "Approval form for practice registration, in duplicate"
)
ID_CARD = Material("id_card", "申请人身份证原件及复印件", "The applicant's ID card, original and copy")
PHOTOS = Material("photos", "近6个月2寸免冠正面半身照片3张", "Three recent 2-inch bareheaded frontal photos")
EMPLOYMENT = Material(
    "employment_contract",
    "拟执业机构的聘用合同或工作证明原件及复印件",
    "Employment contract or certificate of the institution, original and copy",
)
INSTITUTION_LICENCE = Material(
    "institution_licence", "医疗机构执业许可证复印件", "Copy of the medical institution's practice licence"
)

_FULL = (APPROVAL_FORM, ID_CARD, PHOTOS, EMPLOYMENT, INSTITUTION_LICENCE)
_SHORT = (APPROVAL_FORM, ID_CARD)

CHECKLISTS: dict[T, tuple[Material, ...]] = {
    T.INITIAL_REGISTRATION: _FULL,
    T.CHANGE_REGISTRATION: _FULL,
    T.MULTI_SITE_FILING: (APPROVAL_FORM, ID_CARD, EMPLOYMENT, INSTITUTION_LICENCE),
    T.CANCEL_MULTI_SITE_FILING: _SHORT,
    T.PRACTICE_FILING: _SHORT,
    T.CANCEL_FILING: _SHORT,
    T.DEREGISTRATION: _SHORT,
    T.PHOTO_UPDATE: (),
}


def checklist(kind: T) -> tuple[Material, ...]:
    return CHECKLISTS[kind]


def unknown_codes(kind: T, codes: set[str]) -> set[str]:
    return codes - {m.code for m in CHECKLISTS[kind]}


def require_known(kind: T, codes: set[str]) -> None:
    """UnknownMaterials if any of `codes` is not on the checklist of `kind`."""
    if unknown := unknown_codes(kind, codes):
        raise UnknownMaterials(kind, unknown)


def checks(kind: T, received: Iterable[ReceivedMaterial]) -> tuple[MaterialCheck, ...]:
    """The checklist of `kind`, in its order, each item with when it was received."""
    got = {m.code: m.received_at for m in received}
    return tuple(MaterialCheck(m, got.get(m.code)) for m in checklist(kind))
