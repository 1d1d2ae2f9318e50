"""The authorization matrix (tests/e2e/authz_matrix.py) has one row for every operation of every service, and none
for an operation that is gone: a new endpoint cannot ship without someone saying who may call it."""

import importlib

import pytest

from contracts.topics import SERVICES
from e2e.authz_matrix import coverage_gaps, operations

SETTINGS = {
    "IDENTITY_SECRET_KEY": "a-key-for-building-the-schema",
    "IDENTITY_ID_NUMBER_KEY": "another-key-for-the-schema",
    "LICENSING_SECRET_KEY": "a-third-key-for-the-schema",
}


@pytest.fixture
def declared(monkeypatch) -> set[tuple[str, str, str]]:
    for name, value in SETTINGS.items():
        monkeypatch.setenv(name, value)
    found: set[tuple[str, str, str]] = set()
    for service in SERVICES:
        monkeypatch.setenv(f"{service.upper()}_DATABASE_URL", f"postgresql+asyncpg://{service}:unused-here@db/regsys")
        found |= operations(service, importlib.import_module(f"{service}.main").create_app().openapi())
    return found


def test_every_operation_has_a_row_and_every_row_an_operation(declared):
    assert coverage_gaps(declared) == {gap: [] for gap in coverage_gaps(declared)}


def test_a_new_operation_without_a_row_is_found(declared):
    gaps = coverage_gaps(declared | {("licensing", "DELETE", "/licences/me")})
    assert gaps["operations with no row in the matrix"] == ["licensing DELETE /licences/me"]
