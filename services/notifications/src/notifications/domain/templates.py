"""What a person is told, per event kind (Chinese first). Pure text, no I/O."""

from __future__ import annotations

from contracts.enums import ApplicationStatus, ApplicationType

APPLICATION_TYPE_ZH = {
    ApplicationType.INITIAL_REGISTRATION: "执业注册",
    ApplicationType.CHANGE_REGISTRATION: "变更注册",
    ApplicationType.MULTI_SITE_FILING: "多点执业备案",
    ApplicationType.CANCEL_MULTI_SITE_FILING: "取消多点执业备案",
    ApplicationType.PRACTICE_FILING: "执业备案",
    ApplicationType.CANCEL_FILING: "取消备案",
    ApplicationType.DEREGISTRATION: "注销",
    ApplicationType.PHOTO_UPDATE: "更新照片",
}

STATUS_ZH = {
    ApplicationStatus.DRAFT: "草稿",
    ApplicationStatus.SUBMITTED: "已提交",
    ApplicationStatus.INSTITUTION_REVIEW: "待机构审核",
    ApplicationStatus.AUTHORITY_REVIEW: "待卫生健康行政部门审批",
    ApplicationStatus.APPROVED: "已批准",
    ApplicationStatus.REJECTED: "未通过",
    ApplicationStatus.WITHDRAWN: "已撤回",
    ApplicationStatus.CLOSED: "已关闭",
}


def application_status_message(kind: ApplicationType, status: ApplicationStatus, reason: str | None) -> tuple[str, str]:
    title = f"您的{APPLICATION_TYPE_ZH[kind]}申请{STATUS_ZH[status]}"
    body = title + (f"。原因：{reason}" if reason else "。")
    return title, body
