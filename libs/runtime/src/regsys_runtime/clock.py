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
