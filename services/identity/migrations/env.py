from identity.adapters.tables import metadata
from identity.settings import Settings
from regsys_runtime.migrations import run_alembic_env

run_alembic_env(metadata, Settings().database_url.get_secret_value())  # type: ignore[call-arg]
