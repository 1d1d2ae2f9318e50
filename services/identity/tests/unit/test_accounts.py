"""The steps of an account, in words: checked against the registry, then secured by a code, then activated."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from contracts.enums import AccountStatus, Channel, PracticeCategory, Role
from identity.domain.accounts import (
    ID_NOT_FOUND,
    NAME_DIFFERS,
    Account,
    awaits_qualification_check,
    check_against_registry,
    contact,
    expect_secured,
    expect_verified,
    verified_contact,
)
from identity.domain.registry import RegistryEntry, category_of, certificate_code_matches
from identity.domain.rules import RuleViolation
from identity.domain.tokens import RefreshToken
from regsys_runtime.errors import Conflict

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def an_account(status: AccountStatus = AccountStatus.REGISTERED, **values: object) -> Account:
    fields: dict = {
        "id": uuid.uuid4(), "role": Role.PHYSICIAN, "status": status, "login_name": "doc", "password_hash": "x",
        "real_name": "欧阳·明", "created_at": NOW, "phone": "13900000000", "email": "doc@example.cn",
    } | values  # fmt: skip
    return Account(**fields)


def an_entry(real_name: str = "欧阳·明", code: str = "Q123") -> RegistryEntry:
    return RegistryEntry(b"lookup", real_name, code, PracticeCategory.DENTAL)


@pytest.mark.parametrize("status", list(AccountStatus))
def test_only_a_registered_or_unmatched_account_is_checked_against_the_registry(status):
    expected = status in (AccountStatus.REGISTERED, AccountStatus.UNVERIFIED)
    assert awaits_qualification_check(an_account(status)) is expected


def test_an_id_number_missing_from_the_registry_leaves_the_account_unverified_and_says_why():
    check = check_against_registry(an_account(), None)
    assert (check.status, check.reason, check.category, check.matched) == (
        AccountStatus.UNVERIFIED, ID_NOT_FOUND, None, False,
    )  # fmt: skip


def test_another_name_in_the_registry_leaves_the_account_unverified_and_says_why():
    check = check_against_registry(an_account(), an_entry(real_name="欧阳·亮"))
    assert (check.status, check.reason, check.category) == (AccountStatus.UNVERIFIED, NAME_DIFFERS, None)


def test_a_match_verifies_the_account_with_the_registry_category():
    check = check_against_registry(an_account(), an_entry())
    assert (check.status, check.reason, check.category, check.matched) == (
        AccountStatus.VERIFIED, None, PracticeCategory.DENTAL, True,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("status", "refusal"),
    [
        (AccountStatus.REGISTERED, "not-verified"),
        (AccountStatus.UNVERIFIED, "not-verified"),
        (AccountStatus.VERIFIED, None),
        (AccountStatus.SECURED, "already-secured"),
        (AccountStatus.ACTIVE, "already-secured"),
        (AccountStatus.DISABLED, "already-secured"),
    ],
)
def test_the_security_step_follows_a_passed_check_once(status, refusal):
    if refusal is None:
        expect_verified(an_account(status))
        return
    with pytest.raises(Conflict) as refused:
        expect_verified(an_account(status))
    assert refused.value.code == refusal


@pytest.mark.parametrize(
    ("status", "refusal"),
    [
        (AccountStatus.REGISTERED, "not-secured"),
        (AccountStatus.UNVERIFIED, "not-secured"),
        (AccountStatus.VERIFIED, "not-secured"),
        (AccountStatus.SECURED, None),
        (AccountStatus.ACTIVE, "already-active"),
        (AccountStatus.DISABLED, "not-secured"),
    ],
)
def test_activation_follows_the_security_step_once(status, refusal):
    if refusal is None:
        expect_secured(an_account(status))
        return
    with pytest.raises(Conflict) as refused:
        expect_secured(an_account(status))
    assert refused.value.code == refusal


def test_a_code_goes_to_the_phone_by_sms_and_to_the_email_otherwise():
    account = an_account()
    assert contact(account, Channel.SMS) == "13900000000"
    assert contact(account, Channel.EMAIL) == "doc@example.cn"
    with pytest.raises(Conflict, match="no e-mail") as refused:
        contact(an_account(email=None), Channel.EMAIL)
    assert refused.value.code == "no-contact"


def test_recovery_goes_only_to_a_verified_contact_of_a_physician():
    unverified = an_account()
    verified = an_account(phone_verified_at=NOW, email_verified_at=NOW)
    assert verified_contact(unverified, Channel.SMS) is None and verified_contact(unverified, Channel.EMAIL) is None
    assert verified_contact(verified, Channel.SMS) == "13900000000"
    assert verified_contact(verified, Channel.EMAIL) == "doc@example.cn"
    assert verified_contact(an_account(role=Role.OFFICER, phone_verified_at=NOW), Channel.SMS) is None
    assert verified_contact(None, Channel.SMS) is None


def test_the_certificate_code_matches_in_any_case_and_nothing_matches_without_an_entry():
    assert certificate_code_matches(an_entry(code="Q123AB"), " q123ab ")
    assert not certificate_code_matches(an_entry(code="Q123AB"), "Q123AC")
    assert not certificate_code_matches(None, "Q123AB")


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("临床", PracticeCategory.CLINICAL), ("中医", PracticeCategory.TCM),
        ("中医(专长)", PracticeCategory.TCM_SPECIALTY), ("中医（专长）", PracticeCategory.TCM_SPECIALTY),
        ("口腔", PracticeCategory.DENTAL), ("公共卫生", PracticeCategory.PUBLIC_HEALTH),
        (" dental ", PracticeCategory.DENTAL),
    ],
)  # fmt: skip
def test_a_registry_category_is_read_by_its_chinese_name_or_its_value(name, category):
    assert category_of(name) is category


def test_an_unknown_category_lists_the_names_to_use():
    with pytest.raises(RuleViolation, match="use one of 临床, 中医, 中医\\(专长\\), 口腔, 公共卫生"):
        category_of("外科")


def test_a_refresh_token_ends_when_revoked_or_expired_and_is_spent_once_used():
    token = RefreshToken(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), expires_at=NOW + timedelta(days=1))
    assert not token.ended(NOW) and not token.spent
    assert token.ended(NOW + timedelta(days=1))
    assert RefreshToken(token.id, token.family_id, token.account_id, token.expires_at, revoked_at=NOW).ended(NOW)
    assert RefreshToken(token.id, token.family_id, token.account_id, token.expires_at, used_at=NOW).spent
