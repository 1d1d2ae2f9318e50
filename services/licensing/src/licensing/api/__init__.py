"""HTTP API of licensing, one router per area."""

from licensing.api import audit, licences, register, tasks, verification

ROUTERS = [tasks.router, register.router, licences.router, verification.router, audit.router]
