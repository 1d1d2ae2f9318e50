"""What identity's audit trail records: the operators' actions on accounts, the registry and the signing keys."""

from __future__ import annotations

from enum import StrEnum


class OperatorAction(StrEnum):
    ACCOUNT_CREATED = "account.created"
    ACCOUNT_DISABLED = "account.disabled"
    ACCOUNT_ENABLED = "account.enabled"
    ACCOUNT_UNLOCKED = "account.unlocked"
    QUALIFICATION_ADDED = "qualification.added"
    TOKEN_KEY_ROTATED = "token_key.rotated"  # noqa: S105 (an action's name, not a secret)
