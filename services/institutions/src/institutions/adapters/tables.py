"""Tables of the institutions schema."""

from regsys_runtime.db import schema_metadata
from regsys_runtime.messaging_tables import messaging_tables

metadata = schema_metadata("institutions")
messaging = messaging_tables(metadata)
