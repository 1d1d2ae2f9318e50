"""The printable business form (业务打印表单): what it says, in Chinese, line by line. Pure; an adapter prints it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from applications.domain.register import Applicant
from contracts.applications.v1 import ApplicationDetails, DeregistrationReason, PracticeFilingReason
from contracts.enums import ApplicationStatus, ApplicationType
from contracts.labels import label
from regsys_runtime.errors import InvalidFields

__all__ = ["Applicant", "FormTooLong", "PrintableForm", "printable_form"]

REASON_ZH = {
    PracticeFilingReason.LEFT_INSTITUTION: "离职或调离原执业机构",
    PracticeFilingReason.RETIRED: "退休",
    PracticeFilingReason.ABROAD: "出国（境）",
    PracticeFilingReason.FULL_TIME_STUDY: "脱产进修或学习",
    PracticeFilingReason.OTHER: "其他",
    DeregistrationReason.STOPPED_PRACTISING: "中止医师执业活动满二年",
    DeregistrationReason.HEALTH: "身体健康原因不宜继续执业",
    DeregistrationReason.LEFT_PROFESSION: "本人申请不再从事医师执业活动",
    DeregistrationReason.OTHER: "其他",
}
LIST_REASONS = {
    ApplicationType.PRACTICE_FILING: PracticeFilingReason,
    ApplicationType.DEREGISTRATION: DeregistrationReason,
}
INSTITUTION_LABEL = {
    ApplicationType.INITIAL_REGISTRATION: "拟执业机构",
    ApplicationType.CHANGE_REGISTRATION: "拟变更执业机构",
    ApplicationType.MULTI_SITE_FILING: "多点执业机构",
}
SIGNATURES = ("申请人签字", "医疗机构审核意见", "卫生健康行政部门审批意见")


class FormTooLong(InvalidFields):
    """What the applicant wrote does not fit the printed page."""

    def __init__(self, detail: str) -> None:
        super().__init__({}, detail=detail, code="form-too-long")


@dataclass(frozen=True)
class PrintableForm:
    title: str
    lines: tuple[tuple[str, str], ...]
    signatures: tuple[str, ...] = SIGNATURES


def _reason(kind: ApplicationType, reason: str | None) -> str:
    if reason and kind in LIST_REASONS:
        return REASON_ZH.get(LIST_REASONS[kind](reason), reason)
    return reason or ""


def printable_form(
    *,
    application_id: UUID,
    kind: ApplicationType,
    status: ApplicationStatus,
    applicant: Applicant,
    details: ApplicationDetails,
    institution_names: dict[UUID, str],
    reviewing_institution_id: UUID,
    current_institution_id: UUID | None,
    submitted_at: datetime | None,
) -> PrintableForm:
    def name(institution_id: UUID | None) -> str:
        return institution_names.get(institution_id, str(institution_id)) if institution_id else ""

    lines: list[tuple[str, str]] = [
        ("申请编号", str(application_id)),
        ("业务类型", label(kind)),
        ("姓名", applicant.name),
        ("身份证号", applicant.id_number_masked),
        ("执业类别", label(applicant.category)),
    ]
    if details.practice_scope:
        lines.append(("执业范围", details.practice_scope))
    if current_institution_id and kind is not ApplicationType.INITIAL_REGISTRATION:
        lines.append(("主要执业机构", name(current_institution_id)))
    if kind in INSTITUTION_LABEL:
        lines.append((INSTITUTION_LABEL[kind], name(details.target_institution_id)))
    lines += _what_was_asked(kind, details)
    lines += [
        ("审核机构", name(reviewing_institution_id)),
        ("申请状态", label(status)),
        ("提交时间", submitted_at.strftime("%Y-%m-%d %H:%M UTC") if submitted_at else "未提交"),
    ]
    title = "医师执业注册申请审核表" if kind is ApplicationType.INITIAL_REGISTRATION else f"医师{label(kind)}申请表"
    return PrintableForm(title=title, lines=tuple(lines))


def _what_was_asked(kind: ApplicationType, details: ApplicationDetails) -> list[tuple[str, str]]:
    """The period, the filing, the reason and remark, and the business form the physician filled in."""
    lines: list[tuple[str, str]] = []
    if details.multi_site_starts_on and details.multi_site_ends_on:
        lines.append(("备案有效期", f"{details.multi_site_starts_on} 至 {details.multi_site_ends_on}"))
    if details.multi_site_filing_id:
        lines.append(("取消备案编号", str(details.multi_site_filing_id)))
    if details.reason:
        lines.append(("申请理由", _reason(kind, details.reason)))
    if details.remark:
        lines.append(("备注", details.remark))
    if form := details.form:
        lines += [
            ("学历", form.education),
            ("毕业院校", form.graduated_from),
            ("所学专业", form.major),
            ("联系电话", form.contact_phone),
            ("通讯地址", form.mailing_address),
        ]
        if form.work_history:
            lines.append(("工作经历", form.work_history))
    return lines
