"""The time of the service: instants in UTC, and the business day, a day in China.

Use cases take `now` or `today` as arguments; the routes and handlers read them from the service's clock, which
bootstrap puts in the service's dependencies, so a test may swap it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Protocol

CHINA_STANDARD_TIME = timezone(timedelta(hours=8))


def business_day(instant: datetime) -> date:
    """The date in China Standard Time (UTC+8, no daylight saving) at an instant."""
    return instant.astimezone(CHINA_STANDARD_TIME).date()


def business_today() -> date:
    """Today's date in China Standard Time."""
    return business_day(datetime.now(UTC))


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...

    def today(self) -> date:
        """The current business day (China Standard Time)."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return business_day(self.now())


class SettableClock:
    """The machine's clock moved by an offset that tests set for the whole deployment (never in production).

    The offset lives in Redis, so every service and replica of one test stack moves together; each process
    follows it in the background (`follow`), so reading the time stays a plain call.
    """

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def today(self) -> date:
        return business_day(self.now())

    def follow_seconds(self, seconds: float) -> None:
        self.offset = timedelta(seconds=seconds)


CLOCK_OFFSET_KEY = "clock:offset-seconds"  # in the deployment's namespace: `<REDIS_KEY_PREFIX>:clock:offset-seconds`
