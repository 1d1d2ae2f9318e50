"""Pure rules: nested regions (GB/T 2260), what a physician lookup asks for."""

import pytest

from contracts.regions import covers, prefix_of
from licensing.domain.physicians import mask_id_number, wanted
from regsys_runtime.errors import InvalidFields


@pytest.mark.parametrize(
    ("officer", "region", "decides"),
    [
        ("110000", "110105", True),  # a province, its district
        ("110000", "110100", True),  # a province, its prefecture
        ("110100", "110105", True),  # a prefecture, its district
        ("110105", "110105", True),  # a district, itself
        ("110105", "110106", False),  # a district, its neighbour
        ("110100", "110200", False),
        ("110000", "120105", False),  # another province
        ("000000", "000105", False),  # no real code
        (None, "110105", False),
        ("1101", "110105", False),
    ],
)
def test_an_officer_decides_for_their_region_and_every_region_below(officer, region, decides):
    assert covers(officer, region) is decides


def test_a_region_is_a_prefix_of_codes():
    assert [prefix_of(c) for c in ("110000", "110100", "110105", "11010", "00000x", None)] == [
        "11", "1101", "110105", None, None, None,
    ]  # fmt: skip


def test_a_lookup_needs_something_to_look_for_and_a_real_id_number():
    with pytest.raises(InvalidFields):
        wanted(name=" ", certificate_number=None, id_number=None)
    for impossible in ("11010519491332002X", "110105194912310021", "1101051949123100"):  # month 13, check, short
        with pytest.raises(InvalidFields):
            wanted(name=None, certificate_number=None, id_number=impossible)
    found = wanted(name=" 欧阳·明 ", certificate_number=None, id_number="11010519491231002x")
    assert (found.name, found.id_number_masked) == ("欧阳·明", "110105********002X")
    assert mask_id_number("11010519491231002X") == "110105********002X"
