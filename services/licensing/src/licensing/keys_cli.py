"""`python -m licensing licence-keys rotate`: the operator's rotation of the licence-signing key, the same use case
as `POST /admin/licence-keys/rotations`, audited as the command line's user."""

from __future__ import annotations

import argparse

from licensing.adapters.tables import messaging
from licensing.bootstrap import bootstrap
from licensing.service import licences
from licensing.settings import Settings
from regsys_runtime.audit import Actor
from regsys_runtime.cli import Command, run_on_stores
from regsys_runtime.runtime import Runtime


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_subparsers(dest="licence_keys_command", required=True).add_parser(
        "rotate", help="sign licences with a new key from now on; the retired keys stay published on the register"
    )


def _run(_: argparse.Namespace) -> int:
    settings = Settings()

    async def rotate(runtime: Runtime) -> int:
        deps = bootstrap(runtime, settings)
        kid = await licences.rotate_signing_key(
            uow=deps.uow(), office=deps.office, actor=Actor.command_line(), now=deps.clock.now()
        )
        print(kid)
        return 0

    return run_on_stores(settings, messaging, rotate)


LICENCE_KEYS = Command(help="the key that signs licences: rotate it", add_arguments=_arguments, run=_run)
