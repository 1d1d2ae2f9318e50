"""Rules of the authority: due dates and certificate numbers. Pure functions, no I/O."""

from __future__ import annotations

from datetime import date, timedelta

REVIEW_WORKING_DAYS = 20
CERTIFICATE_SEQUENCES = 100_000  # five digits


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days (Monday to Friday) after `start`."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def certificate_number(region_code: str, year: int, sequence: int) -> str:
    """A practice certificate number: region (6), year (4), sequence (5) — 15 digits."""
    return f"{region_code}{year:04d}{sequence:05d}"
