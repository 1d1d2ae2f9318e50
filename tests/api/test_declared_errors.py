"""Each endpoint of every service declares, in its OpenAPI entry, the problem responses it can give, and its
documented patterns mean to a client what they mean to the service."""

import importlib

import pytest

from contracts.topics import SERVICES
from regsys_runtime.openapi import undeclared_errors

SETTINGS = {
    "IDENTITY_SECRET_KEY": "a-key-for-building-the-schema",
    "IDENTITY_ID_NUMBER_KEY": "another-key-for-the-schema",
    "LICENSING_SECRET_KEY": "a-third-key-for-the-schema",
}


def service_app(service, monkeypatch):
    monkeypatch.setenv(f"{service.upper()}_DATABASE_URL", f"postgresql+asyncpg://{service}:unused-here@db/regsys")
    for name, value in SETTINGS.items():
        monkeypatch.setenv(name, value)
    return importlib.import_module(f"{service}.main").create_app()


@pytest.mark.parametrize("service", SERVICES)
def test_every_endpoint_declares_its_errors(service, monkeypatch):
    app = service_app(service, monkeypatch)
    assert undeclared_errors(app) == []
    assert app.openapi()["paths"], "the service has endpoints"


@pytest.mark.parametrize("service", SERVICES)
def test_no_documented_pattern_says_digit_as_backslash_d(service, monkeypatch):
    """pydantic's regex engine reads \\d as any Unicode digit (full-width １２３, Arabic-Indic ١٢٣), a client's JSON
    Schema as 0-9: a pattern says [0-9], or the service accepts what its document refuses."""
    patterns = patterns_in(service_app(service, monkeypatch).openapi())
    assert [p for p in patterns if "\\d" in p] == []


def patterns_in(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from [value] if key == "pattern" and isinstance(value, str) else patterns_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from patterns_in(value)
