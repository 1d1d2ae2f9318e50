"""The roster export: a CSV that Excel opens as Chinese text, with a header a person reads."""

import csv
import io
import uuid
from datetime import UTC, date, datetime

from contracts.enums import PracticeCategory, RegistrationStatus
from institutions.api.roster_csv import HEADER, roster_csv
from institutions.domain.roster import RosterEntry, RosterRole


def entry(**changes) -> RosterEntry:
    fields = {
        "institution_id": uuid.uuid4(), "account_id": uuid.uuid4(), "role": RosterRole.MAIN,
        "physician_name": "欧阳·明", "id_number_masked": "110105********0011", "certificate_number": "110105202500001",
        "category": PracticeCategory.CLINICAL, "registration_status": RegistrationStatus.VALID,
        "since": datetime(2025, 3, 1, 2, 0, tzinfo=UTC), **changes,
    }  # fmt: skip
    return RosterEntry(**fields)


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_utf8_with_a_byte_order_mark_and_a_chinese_header():
    data = roster_csv([])
    assert data.startswith(b"\xef\xbb\xbf")
    assert rows(data) == [list(HEADER)]
    assert HEADER[:3] == ("姓名", "身份证号（脱敏）", "执业证书编码")


def test_each_physician_in_words_a_person_reads():
    multi = entry(role=RosterRole.MULTI_SITE, starts_on=date(2025, 3, 1), ends_on=date(2026, 2, 28))
    data = roster_csv([entry(), multi])
    assert b"\r\n" in data  # Excel's line ends
    _, main_row, multi_row = rows(data)
    assert main_row == [
        "欧阳·明", "110105********0011", "110105202500001", "临床", "主要执业机构", "有效", "", "",
        "2025-03-01T02:00:00+00:00",
    ]  # fmt: skip
    assert multi_row[4:8] == ["多点执业", "有效", "2025-03-01", "2026-02-28"]


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_kept_as_text():
    _, row = rows(roster_csv([entry(physician_name='=HYPERLINK("http://x")')]))
    assert row[0] == '\'=HYPERLINK("http://x")'
