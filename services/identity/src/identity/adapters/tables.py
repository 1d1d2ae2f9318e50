"""Tables of the identity schema."""

from regsys_runtime.db import schema_metadata
from regsys_runtime.messaging_tables import messaging_tables

metadata = schema_metadata("identity")
messaging = messaging_tables(metadata)
