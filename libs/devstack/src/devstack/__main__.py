"""`make dev`: the whole system on this machine, no Docker. Ctrl-C stops all of it."""

from __future__ import annotations

import argparse
import json
import secrets
import signal
import sys
import time
from pathlib import Path
from types import FrameType

from contracts.topics import SERVICES
from devstack.infra import start_infra
from devstack.portal import ensure_built
from devstack.stack import Stack, generate_secrets

DEV_DATABASE = "regsys"
KAFKA_PORT = 9092


def load_secrets(path: Path) -> dict[str, str]:
    """Secrets of the development stack, made once and kept so restarts can read earlier data."""
    # and a captcha answer of the development stack's own (its pictures show it), so `make demo` can register physicians
    fresh = generate_secrets() | {"IDENTITY_CAPTCHA_TEST_ANSWER": f"D{secrets.token_hex(2).upper()}"}
    kept = json.loads(path.read_text()) if path.exists() else {}
    merged = {**fresh, **{k: v for k, v in kept.items() if k in fresh}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged, indent=2))
    path.chmod(0o600)
    return merged


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="regsys-dev", description=__doc__)
    parser.add_argument("--workdir", type=Path, default=Path(".dev"))
    parser.add_argument(
        "--embedded", action="store_true", help="start embedded Postgres and Redis even if local ones answer"
    )
    return parser.parse_args()


def stop_on_signals() -> None:
    """The first Ctrl-C or TERM stops; repeats (`uv run` forwards them) must not cut the shutdown short."""
    stopping = False

    def interrupt(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)


def main() -> None:
    args = arguments()
    workdir = args.workdir.resolve()
    stop_on_signals()
    infra = None
    stack = None
    try:
        print("building the portal (when its sources changed) ...", flush=True)
        ensure_built()
        print("starting Postgres, Redis and the broker ...", flush=True)
        infra = start_infra(workdir, prefer_local=not args.embedded, kafka_port=KAFKA_PORT)
        stack = Stack(
            infra=infra, database=DEV_DATABASE, workdir=workdir, secrets=load_secrets(workdir / "secrets.json")
        )
        print("creating topics, roles and schemas; migrating ...", flush=True)
        stack.prepare()
        print("starting the services and the gateway ...", flush=True)
        stack.start_services()
        print_summary(stack)
        processes = {**stack.services, "gateway": stack.gateway} if stack.gateway else dict(stack.services)
        while all(p.alive for p in processes.values()):
            time.sleep(1)
        dead = [name for name, p in processes.items() if not p.alive]
        print(f"stopped: {', '.join(dead)} exited; see {workdir / 'logs'}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("\nstopping ...", flush=True)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if stack is not None:
            stack.stop()
        if infra is not None:
            infra.stop()


def print_summary(stack: Stack) -> None:
    infra = stack.infra
    print(f"\nregsys is running: open {stack.gateway_url}\n")
    print(f"  {'API docs':<14} {stack.gateway_url}/api/docs")
    for service in SERVICES:
        print(f"  {service:<14} {stack.gateway_url}/api/{service}/   (directly {stack.url(service)})")
    print(f"  {'postgres':<14} {infra.postgres_admin_url.rsplit('@', 1)[-1]}  database {stack.database}")
    print(f"  {'redis':<14} {infra.redis_url}")
    print(f"  {'kafka':<14} {infra.kafka_bootstrap}")
    for note in infra.notes:
        print(f"  - {note}")
    print(f"  {'mail':<14} SMTP 127.0.0.1:{stack.smtp_port}, every message kept in {stack.mail_directory}")
    print(f"  {'sms':<14} one JSON line per text in {stack.sms_sink_path}")
    print(f"  logs in {stack.workdir / 'logs'}\nCtrl-C stops everything.", flush=True)


if __name__ == "__main__":
    main()
