"""What every shared enum is called, in Chinese and in English: one table for every service and the portal."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from contracts.enums import (
    AccountStatus,
    ActivationMethod,
    ApplicationStatus,
    ApplicationType,
    Channel,
    LicenceStatus,
    PracticeCategory,
    RegistrationStatus,
    ReviewOutcome,
    Role,
)

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")


@dataclass(frozen=True)
class Label:
    zh: str
    en: str

    def of(self, language: Language) -> str:
        return self.zh if language == "zh" else self.en


LABELS: dict[type[StrEnum], dict[StrEnum, Label]] = {  # per enum: members of two enums may share a value
    Role: {
        Role.PHYSICIAN: Label("医师", "physician"),
        Role.INSTITUTION_STAFF: Label("医疗机构工作人员", "institution staff"),
        Role.OFFICER: Label("卫生健康行政部门工作人员", "health administration officer"),
        Role.ADMIN: Label("系统管理员", "administrator"),
    },
    AccountStatus: {
        AccountStatus.REGISTERED: Label("已注册", "registered"),
        AccountStatus.UNVERIFIED: Label("资格信息未通过校验", "qualification not verified"),
        AccountStatus.VERIFIED: Label("资格信息已校验", "qualification verified"),
        AccountStatus.SECURED: Label("已完成安全验证", "security verified"),
        AccountStatus.ACTIVE: Label("已激活", "active"),
        AccountStatus.DISABLED: Label("已停用", "disabled"),
    },
    PracticeCategory: {
        PracticeCategory.CLINICAL: Label("临床", "clinical"),
        PracticeCategory.TCM: Label("中医", "traditional Chinese medicine"),
        PracticeCategory.TCM_SPECIALTY: Label("中医(专长)", "TCM specialty"),
        PracticeCategory.DENTAL: Label("口腔", "dental"),
        PracticeCategory.PUBLIC_HEALTH: Label("公共卫生", "public health"),
    },
    ApplicationType: {
        ApplicationType.INITIAL_REGISTRATION: Label("执业注册", "practice registration"),
        ApplicationType.CHANGE_REGISTRATION: Label("变更注册", "change of registration"),
        ApplicationType.MULTI_SITE_FILING: Label("多点执业备案", "multi-site practice filing"),
        ApplicationType.CANCEL_MULTI_SITE_FILING: Label("取消多点执业备案", "cancellation of a multi-site filing"),
        ApplicationType.PRACTICE_FILING: Label("执业备案", "practice filing"),
        ApplicationType.CANCEL_FILING: Label("取消备案", "cancellation of filing"),
        ApplicationType.DEREGISTRATION: Label("注销", "deregistration"),
        ApplicationType.PHOTO_UPDATE: Label("更新照片", "photo update"),
    },
    ApplicationStatus: {
        ApplicationStatus.DRAFT: Label("草稿", "draft"),
        ApplicationStatus.SUBMITTED: Label("已提交", "submitted"),
        ApplicationStatus.INSTITUTION_REVIEW: Label("机构审核中", "in institution review"),
        ApplicationStatus.AUTHORITY_REVIEW: Label("卫生健康行政部门审批中", "with the health administration"),
        ApplicationStatus.APPROVED: Label("已批准", "approved"),
        ApplicationStatus.REJECTED: Label("未通过", "rejected"),
        ApplicationStatus.WITHDRAWN: Label("已撤回", "withdrawn"),
        ApplicationStatus.CLOSED: Label("已关闭", "closed"),
    },
    ReviewOutcome: {
        ReviewOutcome.APPROVED: Label("通过", "approved"),
        ReviewOutcome.REJECTED: Label("不通过", "rejected"),
    },
    RegistrationStatus: {
        RegistrationStatus.VALID: Label("有效", "valid"),
        RegistrationStatus.FILED: Label("已备案（执业信息无效）", "filed (practice information invalid)"),
        RegistrationStatus.DEREGISTERED: Label("已注销", "deregistered"),
    },
    LicenceStatus: {
        LicenceStatus.VALID: Label("有效", "valid"),
        LicenceStatus.SUSPENDED: Label("已暂停", "suspended"),
        LicenceStatus.REVOKED: Label("已注销", "revoked"),
        LicenceStatus.SUPERSEDED: Label("已换发", "superseded"),
    },
    ActivationMethod: {
        ActivationMethod.ACTIVATION_CODE: Label("激活码", "activation code"),
        ActivationMethod.AUTOMATIC: Label("自动激活", "automatic activation"),
        ActivationMethod.QUALIFICATION_CODE: Label("资格证书编码", "qualification certificate code"),
    },
    Channel: {
        Channel.SMS: Label("短信", "SMS"),
        Channel.EMAIL: Label("电子邮件", "e-mail"),
        Channel.INBOX: Label("站内消息", "inbox"),
    },
}


def label(member: StrEnum, language: Language = "zh") -> str:
    """The name of an enum member a person reads, in their language."""
    return LABELS[type(member)][member].of(language)
