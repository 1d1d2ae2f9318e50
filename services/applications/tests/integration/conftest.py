from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from applications.adapters.tables import messaging
from devstack.stack import Stack
from regsys_runtime.db import UnitOfWork, create_engine


@pytest.fixture
async def uow_factory(prepared_stack: Stack) -> AsyncIterator:
    engine = create_engine(prepared_stack.database_url("applications"), pool_size=2)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    yield lambda: UnitOfWork(sessions, producer="applications", messaging=messaging)
    await engine.dispose()
