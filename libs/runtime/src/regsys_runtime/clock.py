"""The business day: dates of the register (filing dates, validity periods, due dates) are days in China."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

CHINA_STANDARD_TIME = timezone(timedelta(hours=8))


def business_today() -> date:
    """Today's date in China Standard Time (UTC+8, no daylight saving)."""
    return datetime.now(CHINA_STANDARD_TIME).date()
