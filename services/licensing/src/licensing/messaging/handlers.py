"""Events the licensing service consumes, and what each one changes."""

from regsys_runtime.consumer import Handlers

HANDLERS: Handlers = {}
