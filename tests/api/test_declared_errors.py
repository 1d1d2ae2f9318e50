"""Each endpoint of every service declares, in its OpenAPI entry, the problem responses it can give."""

import importlib

import pytest

from contracts.topics import SERVICES
from regsys_runtime.openapi import undeclared_errors

SETTINGS = {
    "IDENTITY_SECRET_KEY": "a-key-for-building-the-schema",
    "IDENTITY_ID_NUMBER_KEY": "another-key-for-the-schema",
    "LICENSING_SECRET_KEY": "a-third-key-for-the-schema",
}


@pytest.mark.parametrize("service", SERVICES)
def test_every_endpoint_declares_its_errors(service, monkeypatch):
    monkeypatch.setenv(f"{service.upper()}_DATABASE_URL", f"postgresql+asyncpg://{service}:unused-here@db/regsys")
    for name, value in SETTINGS.items():
        monkeypatch.setenv(name, value)
    app = importlib.import_module(f"{service}.main").create_app()
    assert undeclared_errors(app) == []
    assert app.openapi()["paths"], "the service has endpoints"
