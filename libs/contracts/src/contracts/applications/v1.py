"""applications.application topic, version 1."""

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from contracts.enums import ApplicationStatus, ApplicationType, PracticeCategory
from contracts.events import Event, event
from contracts.topics import Topic

T = Topic.APPLICATIONS_APPLICATION


class PracticeFilingReason(StrEnum):
    """Reasons a physician may give for a practice filing (执业备案), from a fixed list."""

    LEFT_INSTITUTION = "left_institution"  # 离职或调离原执业机构
    RETIRED = "retired"  # 退休
    ABROAD = "abroad"  # 出国（境）
    FULL_TIME_STUDY = "full_time_study"  # 脱产进修或学习
    OTHER = "other"  # 其他


class DeregistrationReason(StrEnum):
    """Reasons a physician may give for deregistration (注销), from a fixed list."""

    STOPPED_PRACTISING = "stopped_practising"  # 中止医师执业活动满二年
    HEALTH = "health"  # 身体健康原因不宜继续执业
    LEFT_PROFESSION = "left_profession"  # 本人申请不再从事医师执业活动
    OTHER = "other"  # 其他


class BusinessForm(BaseModel):
    """What the physician writes on the printable business form (业务打印表单) beyond what the system knows."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    education: str  # 学历
    graduated_from: str  # 毕业院校
    major: str  # 所学专业
    contact_phone: str  # 联系电话
    mailing_address: str  # 通讯地址
    work_history: str | None = None  # 工作经历


class ApplicationDetails(BaseModel):
    """What the physician entered; which fields are set depends on the application type."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    practice_scope: str | None = None
    target_institution_id: UUID | None = None
    multi_site_starts_on: date | None = None
    multi_site_ends_on: date | None = None
    multi_site_filing_id: UUID | None = None
    reason: str | None = None
    remark: str | None = None
    photo_sha256: str | None = None
    form: BusinessForm | None = None


@event("applications.application_submitted", topic=T)
class ApplicationSubmitted(Event):
    application_id: UUID
    account_id: UUID
    application_type: ApplicationType
    institution_id: UUID  # the reviewing institution
    category: PracticeCategory
    physician_name: str
    id_number_masked: str
    details: ApplicationDetails
    submitted_at: datetime


@event("applications.withdrawal_requested", topic=T)
class WithdrawalRequested(Event):
    """The physician asked to withdraw. The reviewing institution settles it against its own decision, under
    the review task's lock: it answers `institutions.review_withdrawn` if no decision came first; otherwise its
    `review_completed` stands and the withdrawal is void. Only then is anybody told."""

    application_id: UUID
    account_id: UUID
    application_type: ApplicationType
    institution_id: UUID
    requested_at: datetime


@event("applications.application_withdrawn", topic=T)
class ApplicationWithdrawn(Event):
    application_id: UUID
    account_id: UUID
    application_type: ApplicationType
    institution_id: UUID
    withdrawn_at: datetime


@event("applications.application_status_changed", topic=T)
class ApplicationStatusChanged(Event):
    application_id: UUID
    account_id: UUID
    application_type: ApplicationType
    status: ApplicationStatus
    reason: str | None = None
    changed_at: datetime


@event("applications.application_closed", topic=T)
class ApplicationClosed(Event):
    """The system closed an open application because the register changed under it."""

    application_id: UUID
    account_id: UUID
    application_type: ApplicationType
    institution_id: UUID
    reason: str
    closed_at: datetime
