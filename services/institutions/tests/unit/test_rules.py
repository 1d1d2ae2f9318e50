import pytest

from institutions.domain.rules import credit_code_is_valid


@pytest.mark.parametrize("code", ["91350100M000100Y43"])
def test_published_credit_codes_are_valid(code):
    assert credit_code_is_valid(code)


@pytest.mark.parametrize("code", ["91350100M000100Y44", "91350100M000100Y4", "91350100M000100I43", ""])
def test_wrong_credit_codes(code):
    assert not credit_code_is_valid(code)
