import pytest

from identity.domain.common_passwords import common_passwords
from identity.domain.rules import (
    RuleViolation,
    check_new_password,
    check_password,
    id_check_character,
    mask_id_number,
    normalize_id_number,
    normalize_phone,
    normalize_real_name,
)


@pytest.mark.parametrize("number", ["11010519491231002X", "11010519491231002x", " 11010519491231002X "])
def test_a_valid_id_number_is_normalized(number):
    assert normalize_id_number(number) == "11010519491231002X"


def test_a_wrong_check_character_is_refused():
    with pytest.raises(RuleViolation, match="check character"):
        normalize_id_number("110105194912310021")


@pytest.mark.parametrize("number", ["", "1101051949123100", "11010519491231002Y", "A1010519491231002X"])
def test_malformed_id_numbers(number):
    with pytest.raises(RuleViolation) as caught:
        normalize_id_number(number)
    assert caught.value.field == "id_number"


def test_mask_keeps_first_six_and_last_four():
    assert mask_id_number("11010519491231002X") == "110105********002X"


@pytest.mark.parametrize("name", ["张三", "欧阳·娜娜", "阿卜杜·热合曼"])
def test_real_names(name):
    assert normalize_real_name(f" {name} ") == name


@pytest.mark.parametrize("name", ["", "Zhang San", "张3", "张_三", "·张"])
def test_not_real_names(name):
    with pytest.raises(RuleViolation):
        normalize_real_name(name)


@pytest.mark.parametrize(("phone", "ok"), [("13912345678", True), ("12912345678", False), ("1391234567", False)])
def test_phone(phone, ok):
    if ok:
        assert normalize_phone(phone) == phone
    else:
        with pytest.raises(RuleViolation):
            normalize_phone(phone)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("a1b2", "6 to 16"),
        ("a" * 16 + "1", "6 to 16"),
        ("abcdefgh", "letters and digits"),
        ("12345678", "letters and digits"),
        ("Abc123", "most often used"),
        ("1qaz2wsx", "most often used"),
        ("Passw0rd", "most often used"),
        ("QQ123456", "most often used"),
    ],
)
def test_password_policy(password, message):
    with pytest.raises(RuleViolation, match=message):
        check_password(password)


def test_passw0rd_is_refused_with_a_chinese_reason_a_person_can_act_on():
    with pytest.raises(RuleViolation) as caught:
        check_password("Passw0rd")
    assert caught.value.field == "password"
    assert "最常用" in caught.value.message.zh and "换一个" in caught.value.message.zh  # type: ignore[attr-defined]


def test_the_common_password_list_is_a_real_top_list_of_at_least_100000():
    listed = common_passwords()
    assert len(listed) >= 95_000  # 100,000 lines, fewer once case is folded
    assert {"123456", "password", "qwerty", "passw0rd", "iloveyou"} <= listed


@pytest.mark.parametrize(
    "number",
    [
        "110105194913010023",  # month 13
        "110105194912320021",  # day 32
        "110105194902300004",  # 30 February
        "110105190002290005",  # 1900 was no leap year
    ],
)
def test_id_numbers_with_impossible_birth_dates_are_refused(number):
    number = number[:17] + id_check_character(number[:17])  # a right check character: only the date is wrong
    with pytest.raises(RuleViolation, match="birth date") as caught:
        normalize_id_number(number)
    assert "出生日期" in caught.value.message.zh  # type: ignore[attr-defined]


def test_an_unknown_region_code_is_refused():
    number = "99010519491231002"
    with pytest.raises(RuleViolation, match="region code"):
        normalize_id_number(number + id_check_character(number))


@pytest.mark.parametrize("first17", ["11000119491231002", "54010519491231002"])
def test_a_district_code_the_region_table_has_no_county_for_is_refused_not_a_crash(first17):
    with pytest.raises(RuleViolation, match="region code"):  # python-stdnum raised a KeyError here: a 500
        normalize_id_number(first17 + id_check_character(first17))


def test_password_confirmation_must_match():
    with pytest.raises(RuleViolation) as differs:
        check_new_password("Qy7kz2mw", "Qy7kz2mW")
    assert differs.value.field == "password_confirmation"


def test_password_accepted():
    check_password("Qy7kz2")
    check_password("a" * 15 + "1")
