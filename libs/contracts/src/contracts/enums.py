"""Shared vocabulary of the domain: roles, states and types every service names the same way."""

from enum import StrEnum


class Role(StrEnum):
    PHYSICIAN = "physician"
    INSTITUTION_STAFF = "institution_staff"
    OFFICER = "officer"
    ADMIN = "admin"


class AccountStatus(StrEnum):
    """Life of a physician account before it may file applications."""

    REGISTERED = "registered"  # created; qualification not yet checked
    UNVERIFIED = "unverified"  # the qualification auto-check found no match
    VERIFIED = "verified"  # qualification matched; phone not yet verified
    SECURED = "secured"  # phone (or e-mail) verified; waiting for activation
    ACTIVE = "active"
    DISABLED = "disabled"


class PracticeCategory(StrEnum):
    CLINICAL = "clinical"  # 临床
    TCM = "tcm"  # 中医
    TCM_SPECIALTY = "tcm_specialty"  # 中医(专长)
    DENTAL = "dental"  # 口腔
    PUBLIC_HEALTH = "public_health"  # 公共卫生


class ApplicationType(StrEnum):
    INITIAL_REGISTRATION = "initial_registration"  # 执业注册
    CHANGE_REGISTRATION = "change_registration"  # 变更注册
    MULTI_SITE_FILING = "multi_site_filing"  # 多点执业备案
    CANCEL_MULTI_SITE_FILING = "cancel_multi_site_filing"  # 取消多点执业备案
    PRACTICE_FILING = "practice_filing"  # 执业备案
    CANCEL_FILING = "cancel_filing"  # 取消备案
    DEREGISTRATION = "deregistration"  # 注销
    PHOTO_UPDATE = "photo_update"  # 信息维护·更新照片

    @property
    def has_authority_step(self) -> bool:
        """Whether the health administration decides after the institution (all but a photo update)."""
        return self is not ApplicationType.PHOTO_UPDATE


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    INSTITUTION_REVIEW = "institution_review"
    AUTHORITY_REVIEW = "authority_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"  # closed by the system because the register changed under it


class ReviewOutcome(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


class RegistrationStatus(StrEnum):
    VALID = "valid"
    FILED = "filed"  # 执业备案: practice information invalid
    DEREGISTERED = "deregistered"


class LicenceStatus(StrEnum):
    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class ActivationMethod(StrEnum):
    ACTIVATION_CODE = "activation_code"
    AUTOMATIC = "automatic"
    QUALIFICATION_CODE = "qualification_code"


class Channel(StrEnum):
    SMS = "sms"
    EMAIL = "email"
    INBOX = "inbox"


class CodePurpose(StrEnum):
    VERIFY_PHONE = "verify_phone"
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a purpose, not a password
    CHANGE_PHONE_OLD = "change_phone_old"
    CHANGE_PHONE_NEW = "change_phone_new"
    ACTIVATION = "activation"  # an activation code an institution had sent
