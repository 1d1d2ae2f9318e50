from applications.adapters.tables import metadata
from applications.settings import Settings
from regsys_runtime.migrations import run_alembic_env

run_alembic_env(metadata, Settings().database_url.get_secret_value())  # type: ignore[call-arg]
