"""Each endpoint's OpenAPI entry declares its error responses."""

from identity.main import create_app
from identity.settings import Settings
from regsys_runtime.openapi import undeclared_errors


def test_every_identity_endpoint_declares_its_errors():
    settings = Settings(
        database_url="postgresql+asyncpg://identity:not-used-here@db/regsys",
        secret_key="a-test-key-for-the-schema-only",
        id_number_key="another-test-key-for-the-schema",
    )
    app = create_app(settings)
    assert undeclared_errors(app) == []
    assert len(app.openapi()["paths"]) > 15
