"""The HTTP API of institutions, one router per area."""

from institutions.api import activation, audit, institutions, reviews, roster

ROUTERS = [institutions.router, activation.router, reviews.router, roster.router, audit.router]
