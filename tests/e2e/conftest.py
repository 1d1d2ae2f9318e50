import pytest

from devstack.stack import Stack
from e2e.journeys import Client, sign_in


@pytest.fixture(scope="session")
def admin(running_stack: Stack) -> Client:
    return sign_in(running_stack, "admin", running_stack.secrets["IDENTITY_BOOTSTRAP_ADMIN_PASSWORD"])
