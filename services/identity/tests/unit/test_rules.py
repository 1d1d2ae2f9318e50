import pytest

from identity.domain.rules import (
    RuleViolation,
    check_new_password,
    check_password,
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
        ("WOAINI1314", "most often used"),
        ("1qaz2wsx", "most often used"),
        ("123456zhang", "most often used"),
    ],
)
def test_password_policy(password, message):
    with pytest.raises(RuleViolation, match=message):
        check_password(password)


def test_password_confirmation_must_match():
    with pytest.raises(RuleViolation) as differs:
        check_new_password("Qy7kz2mw", "Qy7kz2mW")
    assert differs.value.field == "password_confirmation"


def test_password_accepted():
    check_password("Qy7kz2")
    check_password("a" * 15 + "1")
