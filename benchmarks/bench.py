"""regsys performance benchmark (issue 19): one command, one table, each figure beside a ceiling from the same run.

Starts the infrastructure and the five services as local processes (libs/devstack), seeds people over HTTP,
drives every row from a separate load-generator process (benchmarks/load.py, spawned per row, loopback only,
bounded in count and time) and measures each ceiling in the same run on the same machine
(benchmarks/ceilings.py, benchmarks/bare_app.py).

    make bench                                   # moderate sizes
    uv run --frozen python benchmarks/bench.py --smoke   # every row, tiny sizes, well under 2 minutes
    uv run --frozen python benchmarks/bench.py --help    # the sizes and durations

A loaded machine gives noisy figures: compare ratios, not absolute numbers, and run on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import ceilings  # noqa: E402
import load  # noqa: E402

from contracts.topics import SERVICES  # noqa: E402
from devstack.infra import start_infra  # noqa: E402
from devstack.processes import ManagedProcess, free_port, wait_until  # noqa: E402
from devstack.stack import Stack, generate_secrets  # noqa: E402

VERIFY_PATH = "/licences/verifications"


_WORKER: list[ProcessPoolExecutor] = []


def in_subprocess(function: Callable[..., Any], *args: Any) -> Any:
    """Run one load or ceiling in the load-generator process (spawned once, so imports are paid once)."""
    if not _WORKER:
        _WORKER.append(ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")))
    return _WORKER[0].submit(function, *args).result()


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str]] = []

    def add(self, row: str, figure: str, ceiling: str, ratio: float, goal: str) -> None:
        self.rows.append((row, figure, ceiling, f"{ratio:.2f}x", goal))

    def render(self) -> str:
        head = ("row", "regsys", "ceiling (same run)", "ratio", "goal")
        widths = [max(len(r[i]) for r in [head, *self.rows]) for i in range(5)]
        line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
        out = [line, "| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |", line]
        out += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in self.rows]
        return "\n".join([*out, line])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_services(stack: Stack, timeout: float = 180) -> None:
    """The five services as `make dev` serves them (uvicorn, one worker each), without the gateway."""
    stack.start_mail_catcher()
    env = stack.env()
    for service in SERVICES:
        stack.services[service] = ManagedProcess(
            service, stack.serve_command(service), env=env, log_path=stack.workdir / "logs" / f"{service}.log"
        )
    for service, process in stack.services.items():
        wait_until(partial(stack.ready, service), timeout=timeout, what=f"{service} /readyz", process=process)


def serve_bare(stack: Stack, workdir: Path) -> tuple[ManagedProcess, int]:
    """benchmarks/bare_app.py under the very uvicorn settings the stack serves licensing with."""
    port = free_port()
    argv = stack.serve_command("licensing")
    argv[argv.index("licensing.main:create_app")] = "bare_app:app"
    argv.remove("--factory")
    argv[argv.index("--port") + 1] = str(port)
    argv[argv.index("--root-path") + 1] = ""
    argv[3:3] = ["--app-dir", str(HERE)]
    process = ManagedProcess("bare", argv, env=stack.env(), log_path=workdir / "logs" / "bare.log")

    def ready() -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(ready, timeout=90, what="the bare app", process=process)
    return process, port


def sizes(args: argparse.Namespace) -> argparse.Namespace:
    if args.smoke:
        args.seconds, args.connections, args.signin_seconds, args.signin_concurrency = 2.0, 8, 2.0, 2
        args.submissions, args.handoffs, args.journeys, args.journey_concurrency, args.seed_parallel = 3, 3, 2, 2, 4
    args.handoffs = min(args.handoffs, args.submissions, 150)
    return args


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="every row with tiny sizes (the CI smoke run)")
    parser.add_argument("--seconds", type=float, default=10.0, help="licence verification: measured seconds")
    parser.add_argument("--connections", type=int, default=32, help="licence verification: keep-alive connections")
    parser.add_argument("--signin-seconds", type=float, default=10.0)
    parser.add_argument("--signin-concurrency", type=int, default=4)
    parser.add_argument("--submissions", type=int, default=40, help="physicians who submit at once (row 3)")
    parser.add_argument("--submission-concurrency", type=int, default=16)
    parser.add_argument("--handoffs", type=int, default=20, help="decisions timed one by one (row 4)")
    parser.add_argument("--journeys", type=int, default=40, help="complete initial registrations (row 5)")
    parser.add_argument("--journey-concurrency", type=int, default=40)
    parser.add_argument("--seed-parallel", type=int, default=8, help="physicians seeded at once over HTTP")
    parser.add_argument(
        "--profile", type=Path, help="py-spy record licensing during row 1 (.svg: a flame graph, else collapsed stacks)"
    )
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = sizes(parser.parse_args())
    os.environ.setdefault("REGSYS_TEST_INFRA", "local")
    t0 = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="regsys-bench-"))
    infra = start_infra(workdir)
    settings = {
        "REGSYS_ENVIRONMENT": "test",  # a known captcha answer for the seeding, as the e2e stack has
        "IDENTITY_CAPTCHA_TEST_ANSWER": f"T{secrets.token_hex(2).upper()}",
        "LOG_LEVEL": "WARNING",
        # one load generator is one client: the per-client limits of the public endpoints would refuse it
        "LICENSING_VERIFICATION_BURST": "100000000",
        "LICENSING_VERIFICATION_PER_HOUR": "100000000",
    }
    stack = Stack.with_free_ports(
        infra=infra, database=f"regsys_bench_{uuid.uuid4().hex[:8]}", workdir=workdir, secrets=generate_secrets(),
        settings=settings,
    )  # fmt: skip
    table, raw = Table(), {}
    try:
        stack.prepare()
        start_services(stack)
        print(f"stack up in {time.monotonic() - t0:.0f} s (logs in {workdir / 'logs'})", flush=True)
        time.sleep(2)
        idle = {s: rss_mb(p.popen.pid) for s, p in stack.services.items()}
        urls = {s: stack.url(s) for s in SERVICES}
        groups = {
            "submit": {"region": "110105", "count": args.submissions},
            "journey": {"region": "440305", "count": args.journeys},
        }
        seeded = in_subprocess(
            load.seed, urls, stack.secrets["IDENTITY_BOOTSTRAP_ADMIN_PASSWORD"],
            settings["IDENTITY_CAPTCHA_TEST_ANSWER"], str(stack.sms_sink_path), groups, args.seed_parallel,
        )  # fmt: skip
        print(f"seeded {args.submissions + args.journeys} physicians in {time.monotonic() - t0:.0f} s", flush=True)

        # 2. sign-in storm (before the others: a quiet database), /healthz p99 meanwhile
        someone = seeded["submit"]["physicians"][0]
        argon = in_subprocess(ceilings.argon2_verify, args.signin_seconds)
        quiet = in_subprocess(load.sign_in_storm, urls["identity"], someone["login"], someone["password"], 2.0, 0)
        storm = in_subprocess(
            load.sign_in_storm, urls["identity"], someone["login"], someone["password"],
            args.signin_seconds, args.signin_concurrency,
        )  # fmt: skip
        raw["sign-in"] = {"argon2": argon, "storm": {k: v for k, v in storm.items() if k != "probes"}}
        rate, ceiling = storm["ok"] / storm["elapsed"], argon["ok"] / argon["elapsed"]
        table.add(f"2 sign-in/s ({args.signin_concurrency} at once)", f"{rate:.1f}/s ({storm['failed']} failed)",
                  f"raw Argon2id verify, 1 thread: {ceiling:.1f}/s", rate / ceiling, ">= 0.9x")  # fmt: skip
        p99, quiet99 = pct(storm["probes"], 99), pct(quiet["probes"], 99)
        table.add("2 identity /healthz p99 in the storm", ms(p99), f"/healthz p99 at rest: {ms(quiet99)}",
                  p99 / quiet99, "< 20 ms")  # fmt: skip

        # 3. submissions, and the same rows by asyncpg alone
        submitted = in_subprocess(load.submissions, urls["applications"], seeded["submit"]["physicians"],
                                  args.submission_concurrency)  # fmt: skip
        admin_db = infra.postgres_admin_url.rsplit("/", 1)[0] + f"/{stack.database}"
        rows = in_subprocess(ceilings.submission_rows, admin_db, max(args.submissions, 20), args.submission_concurrency)
        rate, ceiling = submitted["ok"] / submitted["elapsed"], rows["ok"] / rows["elapsed"]
        table.add(f"3 submissions/s ({args.submission_concurrency} at once)",
                  f"{rate:.1f}/s p99 {ms(pct(submitted['latencies'], 99))} ({submitted['failed']} failed)",
                  f"same rows + outbox, asyncpg: {ceiling:.0f}/s p99 {ms(pct(rows['latencies'], 99))}",
                  rate / ceiling, ">= 0.5x")  # fmt: skip

        # 4. hand-off latency, one decision at a time
        handed = in_subprocess(load.hand_offs, urls, seeded["submit"], args.handoffs, 60.0)
        bare_trip = in_subprocess(ceilings.produce_consume, admin_db, infra.kafka_bootstrap, max(args.handoffs, 10))
        lat, base = handed["latencies"], bare_trip["latencies"]
        table.add("4 hand-off: decision -> authority task",
                  f"p50 {ms(pct(lat, 50))} p99 {ms(pct(lat, 99))} (n={len(lat)})",
                  f"commit+produce->consume+commit: p50 {ms(pct(base, 50))} p99 {ms(pct(base, 99))}",
                  pct(lat, 99) / pct(base, 99), "p99 <= 3x")  # fmt: skip

        # 5. whole journeys
        done = in_subprocess(load.journeys, urls, seeded["journey"], args.journey_concurrency, 120.0)
        raw["journeys"] = {"ok": done["ok"], "failures": done["failures"][:5], "elapsed": done["elapsed"]}
        rate = done["ok"] / done["elapsed"]
        table.add(f"5 initial registrations/s ({args.journey_concurrency} at once)",
                  f"{rate:.2f}/s p99 {pct(done['latencies'], 99):.2f} s ({len(done['failures'])} failed)",
                  "goal 50/s (no bare ceiling)", rate / 50, ">= 50/s")  # fmt: skip

        # 1. licence verification, then the bare endpoint under the same server settings
        holder = seeded["journey"]["physicians"][0]
        document = in_subprocess(load.a_licence, urls["licensing"], holder["token"])
        body = json.dumps({"licence": document}).encode()
        profiler = None
        if args.profile:
            pid = stack.services["licensing"].popen.pid
            profiler = subprocess.Popen(  # noqa: S603
                [str(Path(sys.executable).with_name("py-spy")), "record", "-p", str(pid), "-o", str(args.profile), "-d",
                 str(int(args.seconds + 2)), "--nonblocking",
                 "--format", "flamegraph" if args.profile.suffix == ".svg" else "raw"],
            )  # fmt: skip
        port = stack.ports["licensing"]
        checked = in_subprocess(load.raw_load, port, VERIFY_PATH, body, args.seconds, args.connections, b'"valid"')
        if profiler is not None:
            profiler.wait(timeout=120)
        bare, bare_port = serve_bare(stack, workdir)
        try:
            yard = in_subprocess(
                load.raw_load, bare_port, VERIFY_PATH, body, args.seconds, args.connections, b'"valid"'
            )
        finally:
            bare.stop()
        rate, ceiling = checked["ok"] / checked["elapsed"], yard["ok"] / yard["elapsed"]
        table.rows.insert(0, (
            f"1 licence verification ({args.connections} conns)",
            f"{rate:.0f} req/s p50 {ms(pct(checked['latencies'], 50))} p99 {ms(pct(checked['latencies'], 99))}"
            f" ({checked['failed']} failed)",
            f"bare FastAPI: {ceiling:.0f} req/s p99 {ms(pct(yard['latencies'], 99))}",
            f"{rate / ceiling:.2f}x", ">= 0.5x",
        ))  # fmt: skip

        # 7. memory: each service idle and after all of the above
        after = {s: rss_mb(p.popen.pid) for s, p in stack.services.items()}
        for service in SERVICES:
            table.add(f"7 RSS {service}", f"{after[service]:.0f} MB after load", f"idle: {idle[service]:.0f} MB",
                      after[service] / idle[service], "no growth (soak not run)")  # fmt: skip
        raw["memory"] = {"idle": idle, "after": after}
    finally:
        for worker in _WORKER:
            worker.shutdown(cancel_futures=True)
        stack.stop()
        stack.drop()
        infra.stop()
    load_avg = os.getloadavg()
    print(f"\nregsys benchmark: {os.cpu_count()} CPUs, load average {load_avg[0]:.1f} at the end, "
          f"{time.monotonic() - t0:.0f} s in all{' (smoke sizes)' if args.smoke else ''}")  # fmt: skip
    print(table.render(), flush=True)
    print("6 scale (10 thousand vs millions of physicians): not measured yet")
    if args.json:
        args.json.write_text(json.dumps({"table": table.rows, "raw": raw}, indent=2, default=str))
    _ = statistics  # kept for callers that post-process --json


if __name__ == "__main__":
    main()
