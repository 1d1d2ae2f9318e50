"""The paper materials an authority may still require (from the registration guide), per application type."""

from __future__ import annotations

from dataclasses import dataclass

from contracts.enums import ApplicationType as T


@dataclass(frozen=True)
class Material:
    code: str
    name_zh: str
    name_en: str


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
