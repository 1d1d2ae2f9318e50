"""`python -m identity accounts create|list|disable|enable|unlock` and `python -m identity token-keys rotate`: the
operator's account and key commands, the same use cases as the admin API, audited as the command line's user."""

from __future__ import annotations

import argparse
import getpass
import json
from collections.abc import Awaitable, Callable
from uuid import UUID

from contracts.enums import AccountStatus, Role
from identity.adapters.tables import messaging
from identity.bootstrap import Dependencies, bootstrap
from identity.domain.accounts import AccountFilter
from identity.service import accounts
from identity.service.keys import TokenIssuer
from identity.settings import Settings
from regsys_runtime.audit import Actor
from regsys_runtime.cli import Command, run_on_stores
from regsys_runtime.paging import MAX_LIMIT, Window
from regsys_runtime.runtime import Runtime

Work = Callable[[Dependencies, argparse.Namespace], Awaitable[int]]


def _on_stores(work: Work) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        settings = Settings()
        issuer = TokenIssuer(settings)

        async def with_deps(runtime: Runtime) -> int:
            return await work(bootstrap(runtime, settings=settings, issuer=issuer), args)

        return run_on_stores(settings, messaging, with_deps)

    return run


async def _create(deps: Dependencies, args: argparse.Namespace) -> int:
    password = getpass.getpass(f"password for {args.login_name}: ")
    account_id = await accounts.create_staff_account(
        uow=deps.uow(), actor=Actor.command_line(), role=Role(args.role), login_name=args.login_name,
        password=password, real_name=args.real_name, institution_id=args.institution_id,
        region_code=args.region_code, now=deps.clock.now(),
    )  # fmt: skip
    print(account_id)
    return 0


async def _list(deps: Dependencies, args: argparse.Namespace) -> int:
    wanted = AccountFilter(
        role=Role(args.role) if args.role else None,
        status=AccountStatus(args.status) if args.status else None,
        search=args.search,
    )
    page = await accounts.list_accounts(deps=deps, wanted=wanted, window=Window(limit=args.limit, offset=args.offset))
    for account, locked in page.items:
        shown = {
            "account_id": str(account.id), "role": account.role.value, "status": account.status.value,
            "login_name": account.login_name, "real_name": account.real_name, "locked_seconds": locked,
        }  # fmt: skip
        print(json.dumps(shown, ensure_ascii=False) if args.json else "  ".join(str(v) for v in shown.values()))
    if not args.json:
        print(f"{len(page.items)} of {page.total} accounts")
    return 0


async def _disable(deps: Dependencies, args: argparse.Namespace) -> int:
    await accounts.disable_account(
        deps=deps, actor=Actor.command_line(), account_id=args.account_id, reason=args.reason, now=deps.clock.now()
    )
    return 0


async def _enable(deps: Dependencies, args: argparse.Namespace) -> int:
    status = await accounts.enable_account(
        deps=deps, actor=Actor.command_line(), account_id=args.account_id, now=deps.clock.now()
    )
    print(f"enabled; status {status.value}")
    return 0


async def _unlock(deps: Dependencies, args: argparse.Namespace) -> int:
    actor, now = Actor.command_line(), deps.clock.now()
    await accounts.unlock_account(deps=deps, actor=actor, account_id=args.account_id, now=now)
    return 0


async def _rotate(deps: Dependencies, _: argparse.Namespace) -> int:
    print(await deps.issuer.rotate(uow=deps.uow(), actor=Actor.command_line(), now=deps.clock.now()))
    return 0


def _account_arguments(parser: argparse.ArgumentParser) -> None:
    own = parser.add_subparsers(dest="accounts_command", required=True)
    create = own.add_parser("create", help="create a staff, officer or operator account (asks for its password)")
    create.add_argument("role", choices=[r.value for r in Role if r is not Role.PHYSICIAN])
    create.add_argument("login_name")
    create.add_argument("real_name")
    create.add_argument("--institution-id", type=UUID, help="institution staff: their institution")
    create.add_argument("--region-code", help="officers: their region (six digits)")
    create.set_defaults(work=_create)
    listing = own.add_parser("list", help="list accounts, newest first, with how long each is locked")
    listing.add_argument("--role", choices=[r.value for r in Role])
    listing.add_argument("--status", choices=[s.value for s in AccountStatus])
    listing.add_argument("--search", help="a part of the login or real name")
    listing.add_argument("--limit", type=int, default=50, choices=range(1, MAX_LIMIT + 1), metavar="N")
    listing.add_argument("--offset", type=int, default=0)
    listing.add_argument("--json", action="store_true", help="one JSON object per account")
    listing.set_defaults(work=_list)
    disable = own.add_parser("disable", help="disable an account: it signs in nowhere, its tokens stop holding")
    disable.add_argument("account_id", type=UUID)
    disable.add_argument("--reason", required=True, help="why (the account's owner is told)")
    disable.set_defaults(work=_disable)
    for name, work, text in (
        ("enable", _enable, "enable a disabled account again, back at the step it was at"),
        ("unlock", _unlock, "lift the lock that too many wrong passwords put on an account"),
    ):
        one = own.add_parser(name, help=text)
        one.add_argument("account_id", type=UUID)
        one.set_defaults(work=work)


def _key_arguments(parser: argparse.ArgumentParser) -> None:
    own = parser.add_subparsers(dest="token_keys_command", required=True)
    own.add_parser(
        "rotate", help="sign access tokens with a new key from now on; the old keys stay in the JWKS"
    ).set_defaults(work=_rotate)


def _run(args: argparse.Namespace) -> int:
    return _on_stores(args.work)(args)


ACCOUNTS = Command(help="staff, officer and operator accounts: create, list, disable, enable, unlock",
                   add_arguments=_account_arguments, run=_run)  # fmt: skip
TOKEN_KEYS = Command(help="the key that signs access tokens: rotate it", add_arguments=_key_arguments, run=_run)
