import pytest
from stdnum.cn import ric

from contracts.id_numbers import IdNumberFault, id_number_fault, is_resident_id_number


def with_check(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def test_a_resident_id_number_has_no_fault():
    assert id_number_fault("11010519491231002X") is None
    assert is_resident_id_number(with_check("44030519950101123"))


@pytest.mark.parametrize(
    ("number", "fault"),
    [
        ("1101051949123100", IdNumberFault.FORMAT),
        ("11010519491231002Y", IdNumberFault.FORMAT),
        ("110105194912310021", IdNumberFault.CHECK_CHARACTER),
        (with_check("11010519491301002"), IdNumberFault.BIRTH_DATE),
        (with_check("99010519491231002"), IdNumberFault.BIRTH_PLACE),
        # codes under a known prefecture with no county in python-stdnum's table: its validate raised KeyError
        (with_check("11000119491231002"), IdNumberFault.BIRTH_PLACE),
        (with_check("54010519491231002"), IdNumberFault.BIRTH_PLACE),
    ],
)
def test_each_fault_is_named(number, fault):
    assert id_number_fault(number) is fault
    assert not is_resident_id_number(number)
