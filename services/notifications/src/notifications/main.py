"""The notifications service: create_app builds it from settings."""

from __future__ import annotations

import logging

from fastapi import FastAPI

from notifications.adapters.email import SmtpMailer
from notifications.adapters.sms import FileSmsSink, HttpSmsGateway, SmsGateway
from notifications.adapters.spending_guard import Cap, SmsSpendingGuard
from notifications.adapters.tables import messaging
from notifications.api.routes import router
from notifications.messaging.handlers import build_handlers
from notifications.service.delivery import DeliveryWorker, RetryPolicy
from notifications.settings import Settings
from regsys_runtime.app import Wiring, create_service_app
from regsys_runtime.runtime import Runtime

log = logging.getLogger(__name__)


def sms_gateway(settings: Settings, runtime: Runtime) -> SmsGateway:
    if settings.sms_gateway_url and settings.sms_gateway_key is not None:
        return HttpSmsGateway(
            client=runtime.http,
            url=settings.sms_gateway_url,
            key=settings.sms_gateway_key.get_secret_value(),
            sign_name=settings.product_name,
            timeout=settings.sms_gateway_timeout_seconds,
        )
    if settings.environment == "production":
        log.warning(
            "no SMS gateway is configured: texts go to the development sink",
            extra={"path": str(settings.sms_sink_path)},
        )
    return FileSmsSink(settings.sms_sink_path)


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


def delivery_worker(settings: Settings, runtime: Runtime) -> DeliveryWorker:
    guard = SmsSpendingGuard(
        runtime.redis,
        key=settings.redis_key,
        per_recipient=Cap(settings.sms_cap_per_recipient, settings.sms_cap_per_recipient_window_seconds),
        overall=Cap(settings.sms_cap_global, settings.sms_cap_global_window_seconds),
    )
    policy = RetryPolicy(
        max_attempts=settings.delivery_max_attempts,
        backoff_seconds=settings.delivery_backoff_seconds,
        backoff_max_seconds=settings.delivery_backoff_max_seconds,
        lease_seconds=settings.delivery_lease_seconds,
    )
    return DeliveryWorker(
        unit_of_work=runtime.uow,
        sms=sms_gateway(settings, runtime),
        mailer=mailer(settings),
        guard=guard,
        policy=policy,
        poll_seconds=settings.delivery_poll_seconds,
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = Runtime(settings, messaging)

    async def start_delivery(rt: Runtime, _: Runtime) -> None:
        rt.spawn(delivery_worker(settings, rt).run, "delivery worker")

    wiring = Wiring(
        bootstrap=lambda rt: rt,
        handlers=lambda _: build_handlers(language=settings.language),
        on_start=[start_delivery],
    )
    return create_service_app(runtime, wiring, title="regsys notifications", routers=[router])
