from datetime import date

from licensing.domain.rules import add_working_days, certificate_number


def test_twenty_working_days_skip_weekends():
    assert add_working_days(date(2026, 11, 20), 20) == date(2026, 12, 18)  # a Friday to a Friday, 4 weeks
    assert add_working_days(date(2026, 11, 21), 1) == date(2026, 11, 23)  # Saturday -> Monday


def test_certificate_number_has_fifteen_digits():
    assert certificate_number("110105", 2026, 42) == "110105202600042"
