"""What notifications' use cases, handlers and delivery worker need, built once from settings and the runtime."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from notifications.adapters.aliyun_sms import AliyunSms
from notifications.adapters.email import Mailer, SmtpMailer
from notifications.adapters.sms import FileSmsSink, HttpSmsGateway, SmsGateway
from notifications.adapters.spending_guard import Cap, SmsSpendingGuard
from notifications.domain.deliveries import RetryPolicy
from notifications.service.delivery import DeliveryWorker
from notifications.service.retention import RetentionJob
from notifications.settings import Settings
from regsys_runtime.clock import Clock
from regsys_runtime.db import UnitOfWork
from regsys_runtime.runtime import Runtime
from regsys_runtime.sealing import DeliverySealer


@dataclass(frozen=True)
class Dependencies:
    uow: Callable[[], UnitOfWork]
    clock: Clock
    language: str  # the language messages are written in
    sms: SmsGateway
    mailer: Mailer
    sms_guard: SmsSpendingGuard
    retry_policy: RetryPolicy
    poll_seconds: float  # how often the delivery worker looks for due deliveries when it has none
    retention_window: timedelta = timedelta(days=30)  # final deliveries' personal data is erased after this
    retention_interval_seconds: float = 3600.0  # how often the retention job looks for deliveries to erase
    delivery_sealer: DeliverySealer = field(default_factory=lambda: DeliverySealer(None))  # opens codes and links


def bootstrap(runtime: Runtime, settings: Settings) -> Dependencies:
    return Dependencies(
        uow=runtime.uow,
        clock=runtime.clock,
        language=settings.language,
        sms=sms_gateway(settings, runtime),
        mailer=mailer(settings),
        sms_guard=sms_guard(settings, runtime),
        retry_policy=retry_policy(settings),
        poll_seconds=settings.delivery_poll_seconds,
        retention_window=timedelta(days=settings.delivery_retention_days),
        retention_interval_seconds=settings.retention_interval_seconds,
        delivery_sealer=DeliverySealer(settings.delivery_key, previous=settings.delivery_previous_keys),
    )


def sms_gateway(settings: Settings, runtime: Runtime) -> SmsGateway:
    """The SMS channel the settings choose; the settings refuse the development sink in production."""
    if settings.sms_channel == "aliyun":
        return aliyun_sms(settings, runtime)
    if settings.sms_channel == "http" and settings.sms_gateway_url and settings.sms_gateway_key is not None:
        return HttpSmsGateway(
            client=runtime.http,
            url=settings.sms_gateway_url,
            key=settings.sms_gateway_key.get_secret_value(),
            sign_name=settings.product_name,
            timeout=settings.sms_gateway_timeout_seconds,
        )
    if settings.environment == "production":  # the settings refuse this already; never fall back quietly
        raise ValueError("production needs a real SMS channel: set NOTIFICATIONS_SMS_PROVIDER")
    return FileSmsSink(settings.sms_sink_path)


def aliyun_sms(settings: Settings, runtime: Runtime) -> AliyunSms:
    key_id, secret = settings.sms_aliyun_access_key_id, settings.sms_aliyun_access_key_secret
    if key_id is None or secret is None:
        raise ValueError("NOTIFICATIONS_SMS_PROVIDER=aliyun needs its access key id and secret")
    return AliyunSms(
        client=runtime.http,
        access_key_id=key_id.get_secret_value(),
        access_key_secret=secret.get_secret_value(),
        sign_name=settings.sms_sign_name,
        template_codes=settings.sms_aliyun_template_codes,
        endpoint=settings.sms_aliyun_endpoint,
        region_id=settings.sms_aliyun_region_id,
        timeout=settings.sms_gateway_timeout_seconds,
    )


def mailer(settings: Settings) -> SmtpMailer:
    return SmtpMailer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.mail_from,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        security=settings.smtp_security,
        timeout=settings.smtp_timeout_seconds,
    )


def sms_guard(settings: Settings, runtime: Runtime) -> SmsSpendingGuard:
    return SmsSpendingGuard(
        runtime.redis,
        key=settings.redis_key,
        per_recipient=Cap(settings.sms_cap_per_recipient, settings.sms_cap_per_recipient_window_seconds),
        overall=Cap(settings.sms_cap_global, settings.sms_cap_global_window_seconds),
    )


def retry_policy(settings: Settings) -> RetryPolicy:
    return RetryPolicy(
        max_attempts=settings.delivery_max_attempts,
        backoff_seconds=settings.delivery_backoff_seconds,
        backoff_max_seconds=settings.delivery_backoff_max_seconds,
        lease_seconds=settings.delivery_lease_seconds,
    )


def _uncounted(channel: str, outcome: str) -> None:
    return None


def delivery_worker(deps: Dependencies, count: Callable[[str, str], None] = _uncounted) -> DeliveryWorker:
    """`count` hears each attempt's channel and outcome (the service's metrics)."""
    return DeliveryWorker(
        unit_of_work=deps.uow,
        clock=deps.clock,
        sms=deps.sms,
        mailer=deps.mailer,
        guard=deps.sms_guard,
        policy=deps.retry_policy,
        poll_seconds=deps.poll_seconds,
        count=count,
    )


async def start_delivery(runtime: Runtime, deps: Dependencies) -> None:
    """A start hook: the delivery worker runs beside the consumer until the service stops."""

    def count(channel: str, outcome: str) -> None:
        runtime.metrics.count_delivery(channel=channel, outcome=outcome)

    worker = delivery_worker(deps, count)
    runtime.spawn(worker.run, "delivery worker")


def retention_job(deps: Dependencies, *, batch_size: int = 500) -> RetentionJob:
    return RetentionJob(
        unit_of_work=deps.uow,
        clock=deps.clock,
        window=deps.retention_window,
        interval_seconds=deps.retention_interval_seconds,
        batch_size=batch_size,
    )


async def start_retention(runtime: Runtime, deps: Dependencies) -> None:
    """A start hook: the retention job runs in every replica, supervised, until the service stops."""
    runtime.spawn(retention_job(deps).run, "delivery retention")
