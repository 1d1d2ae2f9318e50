"""What loading an institution requires: a valid credit code (stdnum.cn.uscc), a GB/T 2260 region, a real name."""

import uuid

import pytest

from institutions.domain.institutions import (
    Institution,
    InvalidCreditCode,
    InvalidName,
    checked,
    checked_credit_code,
    checked_name,
)
from institutions.domain.regions import UnknownRegion, checked_region_code, divisions
from regsys_runtime.errors import InvalidFields


def institution(**changes) -> Institution:
    fields = {
        "id": uuid.uuid4(), "name": "福州市第一医院", "credit_code": "91350100M000100Y43", "licence_number": "PDY001",
        "region_code": "350100", **changes,
    }  # fmt: skip
    return Institution(**fields)


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "12100000400000624D"])
def test_published_credit_codes_are_valid(code):
    assert checked_credit_code(code) == code


def test_a_credit_code_is_stored_in_capitals_without_blanks():
    assert checked_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y44", "The check character (the last one) does not match: please check the code."),
        ("91350100M000100Y4", "A unified social credit code has 18 characters."),
        ("", "A unified social credit code has 18 characters."),
        ("91350100M000100I43", "The first 8 characters are digits, the others digits or capital letters except I, "
                               "O, S, V, Z."),
        # the hand-written checksum took this one: its check character is right, but the region part has letters
        ("9AB50100M000100Y4W", "The first 8 characters are digits, the others digits or capital letters except I, "
                               "O, S, V, Z."),
    ],
)  # fmt: skip
def test_wrong_credit_codes_say_what_is_wrong(code, message):
    with pytest.raises(InvalidCreditCode) as refused:
        checked_credit_code(code)
    assert refused.value.fields == {"credit_code": message}


@pytest.mark.parametrize("code", ["110000", "110105", "350100", "440305", "310101", "650000"])
def test_real_division_codes_are_regions(code):
    assert checked_region_code(code) == code


@pytest.mark.parametrize("code", ["000000", "999999", "110100", "350199", "123456"])
def test_codes_that_name_no_division_are_refused(code):
    with pytest.raises(UnknownRegion) as refused:
        checked_region_code(code)
    assert refused.value.code == "unknown-region"
    assert list(refused.value.fields) == ["region_code"]


def test_the_division_list_is_whole():
    codes = divisions()
    provinces = {c for c in codes if c.endswith("0000")}
    assert len(provinces) == 34
    assert all(c[:2] + "0000" in provinces for c in codes), "every division lies in a province"
    assert codes["110105"] == "朝阳区" and codes["350100"] == "福州市"
    assert all(len(name) >= 2 for name in codes.values())


@pytest.mark.parametrize("name", ["00", "A", "医", "--", "12345", " 0 ", "·1"])
def test_names_that_are_no_names_are_refused(name):
    with pytest.raises(InvalidName):
        checked_name(name)


@pytest.mark.parametrize(
    "name", ["福州市第一医院", "北京协和医院", "Peking Union Medical College Hospital", "第3人民医院"]
)
def test_real_names_are_kept_without_surrounding_blanks(name):
    assert checked_name(f" {name} ") == name


def test_one_bad_field_is_refused_by_its_own_rule():
    with pytest.raises(UnknownRegion):
        checked(institution(region_code="000000"))


def test_every_bad_field_is_named_at_once():
    with pytest.raises(InvalidFields) as refused:
        checked(institution(name="00", credit_code="91350100M000100Y44", region_code="000000"))
    assert set(refused.value.fields) == {"name", "credit_code", "region_code"}


def test_a_valid_institution_is_stored_as_normalised():
    stored = checked(institution(name=" 福州市第一医院 ", credit_code="91350100m000100y43"))
    assert (stored.name, stored.credit_code) == ("福州市第一医院", "91350100M000100Y43")
