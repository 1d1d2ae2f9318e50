"""The HTTP API of applications, one router per area."""

from fastapi import APIRouter

from applications.api import applications, forms, photos

ROUTERS: list[APIRouter] = [applications.router, photos.router, forms.router]
