"""Tables of the applications schema."""

from regsys_runtime.db import schema_metadata
from regsys_runtime.messaging_tables import messaging_tables

metadata = schema_metadata("applications")
messaging = messaging_tables(metadata)
