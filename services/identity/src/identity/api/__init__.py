"""Identity's HTTP API, one router per area."""

from fastapi import APIRouter

from identity.api import admin, me, registration, security, sessions

ROUTERS: list[APIRouter] = [sessions.router, registration.router, me.router, security.router, admin.router]
