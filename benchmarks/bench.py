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
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import ceilings  # noqa: E402
import load  # noqa: E402
import scale  # noqa: E402

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


ALL_ROWS = "1234567"


def sizes(args: argparse.Namespace) -> argparse.Namespace:
    if args.smoke:
        args.seconds, args.connections, args.signin_seconds, args.signin_concurrency = 2.0, 8, 2.0, 2
        args.submissions, args.handoffs, args.journeys, args.journey_concurrency, args.seed_parallel = 3, 3, 2, 2, 4
        args.scale_small, args.scale_large, args.scale_seconds = 300, 1200, 2.0
    if args.scale_large <= args.scale_small:
        raise SystemExit("--scale-large must be more than --scale-small")
    if not set(args.rows) & set("34"):
        args.submissions = 1  # one physician to sign in with
    if "5" not in args.rows:
        args.journeys = 1  # one licence to verify
    args.handoffs = min(args.handoffs, args.submissions, 150)
    return args


@dataclass
class Run:
    """What every row works with: the stack, the seeded people and the table they add to."""

    args: argparse.Namespace
    stack: Stack
    infra: Any
    settings: dict[str, str]
    table: Table = field(default_factory=Table)
    raw: dict[str, Any] = field(default_factory=dict)
    seeded: dict[str, Any] = field(default_factory=dict)
    idle: dict[str, float] = field(default_factory=dict)
    submitted: bool = False

    @property
    def urls(self) -> dict[str, str]:
        return {s: self.stack.url(s) for s in SERVICES}

    @property
    def admin_db(self) -> str:
        return self.infra.postgres_admin_url.rsplit("/", 1)[0] + f"/{self.stack.database}"


def sign_in_row(run: Run) -> None:
    """2. A sign-in storm (before the others: a quiet database), /healthz p99 meanwhile."""
    args, identity = run.args, run.urls["identity"]
    someone = run.seeded["submit"]["physicians"][0]
    argon = in_subprocess(ceilings.argon2_verify, args.signin_seconds)
    quiet = in_subprocess(load.sign_in_storm, identity, someone["login"], someone["password"], 2.0, 0)
    storm = in_subprocess(load.sign_in_storm, identity, someone["login"], someone["password"],
                          args.signin_seconds, args.signin_concurrency)  # fmt: skip
    run.raw["sign-in"] = {"argon2": argon, "storm": {k: v for k, v in storm.items() if k != "probes"}}
    rate, ceiling = storm["ok"] / storm["elapsed"], argon["ok"] / argon["elapsed"]
    run.table.add(f"2 sign-in/s ({args.signin_concurrency} at once)", f"{rate:.1f}/s ({storm['failed']} failed)",
                  f"raw Argon2id verify, 1 thread: {ceiling:.1f}/s", rate / ceiling, ">= 0.9x")  # fmt: skip
    p99, quiet99 = pct(storm["probes"], 99), pct(quiet["probes"], 99)
    run.table.add("2 identity /healthz p99 in the storm", ms(p99), f"/healthz p99 at rest: {ms(quiet99)}",
                  p99 / quiet99, "< 20 ms")  # fmt: skip


def submission_row(run: Run) -> None:
    """3. Submissions, and the same rows by asyncpg alone."""
    args = run.args
    submitted = in_subprocess(load.submissions, run.urls["applications"], run.seeded["submit"]["physicians"],
                              args.submission_concurrency)  # fmt: skip
    run.submitted = True
    rows = in_subprocess(ceilings.submission_rows, run.admin_db, max(args.submissions, 20), args.submission_concurrency)
    rate, ceiling = submitted["ok"] / submitted["elapsed"], rows["ok"] / rows["elapsed"]
    run.table.add(f"3 submissions/s ({args.submission_concurrency} at once)",
                  f"{rate:.1f}/s p99 {ms(pct(submitted['latencies'], 99))} ({submitted['failed']} failed)",
                  f"same rows + outbox, asyncpg: {ceiling:.0f}/s p99 {ms(pct(rows['latencies'], 99))}",
                  rate / ceiling, ">= 0.5x")  # fmt: skip


def hand_off_row(run: Run) -> None:
    """4. Hand-off latency, one decision at a time."""
    if not run.submitted:
        in_subprocess(load.submissions, run.urls["applications"], run.seeded["submit"]["physicians"], 8)
    handed = in_subprocess(load.hand_offs, run.urls, run.seeded["submit"], run.args.handoffs, 60.0)
    bare_trip = in_subprocess(ceilings.produce_consume, run.admin_db, run.infra.kafka_bootstrap,
                              max(run.args.handoffs, 10))  # fmt: skip
    lat, base = handed["latencies"], bare_trip["latencies"]
    run.table.add("4 hand-off: decision -> authority task",
                  f"p50 {ms(pct(lat, 50))} p99 {ms(pct(lat, 99))} (n={len(lat)})",
                  f"commit+produce->consume+commit: p50 {ms(pct(base, 50))} p99 {ms(pct(base, 99))}",
                  pct(lat, 99) / pct(base, 99), "p99 <= 3x")  # fmt: skip


def journey_row(run: Run) -> None:
    """5. Whole journeys (row 1 verifies the licence the first one ends with)."""
    args = run.args
    done = in_subprocess(load.journeys, run.urls, run.seeded["journey"], args.journey_concurrency, 120.0)
    run.raw["journeys"] = {"ok": done["ok"], "failures": done["failures"][:5], "elapsed": done["elapsed"]}
    if "5" not in args.rows:
        return
    rate = done["ok"] / done["elapsed"]
    run.table.add(f"5 initial registrations/s ({args.journey_concurrency} at once)",
                  f"{rate:.2f}/s p99 {pct(done['latencies'], 99):.2f} s ({len(done['failures'])} failed)",
                  "goal 50/s (no bare ceiling)", rate / 50, ">= 50/s")  # fmt: skip


def profiling(run: Run, service: str, seconds: float) -> subprocess.Popen[bytes] | None:
    """py-spy recording `service` for `seconds`, when --profile asked for it."""
    if not run.args.profile or service != run.args.profile_service:
        return None
    return subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).with_name("py-spy")), "record", "-p", str(run.stack.services[service].popen.pid),
         "-o", str(run.args.profile), "-d", str(int(seconds + 2)), "--nonblocking",
         "--format", "flamegraph" if run.args.profile.suffix == ".svg" else "raw"],
    )  # fmt: skip


def verification_body(run: Run) -> bytes:
    holder = run.seeded["journey"]["physicians"][0]
    return json.dumps({"licence": in_subprocess(load.a_licence, run.urls["licensing"], holder["token"])}).encode()


def verification_row(run: Run) -> None:
    """1. Licence verification, then the bare endpoint under the same server settings."""
    args, body = run.args, verification_body(run)
    profiler = profiling(run, "licensing", args.seconds)
    port = run.stack.ports["licensing"]
    checked = in_subprocess(load.raw_load, port, VERIFY_PATH, body, args.seconds, args.connections, b'"valid"')
    if profiler is not None:
        profiler.wait(timeout=120)
    bare, bare_port = serve_bare(run.stack, run.stack.workdir)
    try:
        yard = in_subprocess(load.raw_load, bare_port, VERIFY_PATH, body, args.seconds, args.connections, b'"valid"')
    finally:
        bare.stop()
    rate, ceiling = checked["ok"] / checked["elapsed"], yard["ok"] / yard["elapsed"]
    run.table.rows.insert(0, (
        f"1 licence verification ({args.connections} conns)",
        f"{rate:.0f} req/s p50 {ms(pct(checked['latencies'], 50))} p99 {ms(pct(checked['latencies'], 99))}"
        f" ({checked['failed']} failed)",
        f"bare FastAPI: {ceiling:.0f} req/s p99 {ms(pct(yard['latencies'], 99))}",
        f"{rate / ceiling:.2f}x", ">= 0.5x",
    ))  # fmt: skip


def scale_paths(run: Run) -> dict[str, tuple[str, str]]:
    """The reads row 6 times: the physician's own, the first page of each queue (all of it, and the open tasks)."""
    group, u = run.seeded["journey"], run.urls
    physician = group["physicians"][0]["token"]
    paths = load.read_paths(run.urls, group)
    del paths["physician's inbox"]  # the notifications' inbox is not loaded (benchmarks/scale.py)
    paths["physician's licence"] = (f"{u['licensing']}/licences/me", physician)
    paths["review queue, all"] = (f"{u['institutions']}/review-tasks?limit=50", group["staff"]["token"])
    paths["authority queue, all"] = (f"{u['licensing']}/authority-tasks?limit=50", group["officer"]["token"])
    return paths


def scale_reads(run: Run, body: bytes) -> dict[str, float]:
    """p99 of each of row 6's reads, after a second of warm-up."""
    args, paths = run.args, scale_paths(run)
    in_subprocess(load.reads, paths, 1.0, args.scale_concurrency)
    read = in_subprocess(load.reads, paths, args.scale_seconds, args.scale_concurrency)
    if read["failed"]:
        raise RuntimeError(f"row 6: {read['failed']} reads failed")
    port = run.stack.ports["licensing"]
    checked = in_subprocess(load.raw_load, port, VERIFY_PATH, body, args.scale_seconds, args.scale_concurrency,
                            b'"valid"')  # fmt: skip
    if checked["failed"]:
        raise RuntimeError(f"row 6: {checked['failed']} verifications failed")
    return {**{name: pct(lat, 99) for name, lat in read["latencies"].items()},
            "licence verification": pct(checked["latencies"], 99)}  # fmt: skip


def scale_row(run: Run) -> None:
    """6. The same reads with --scale-small and then --scale-large registered physicians bulk-loaded (COPY) beside
    the seeded ones (benchmarks/scale.py); the seeded institution's and region's queues keep their length."""
    args, group, body = run.args, run.seeded["journey"], verification_body(run)
    template = {"application_id": group["physicians"][0]["application_id"], "institution": group["institution"],
                "region": group["region"]}  # fmt: skip
    figures: dict[int, dict[str, float]] = {}
    loaded = 0
    for size in (args.scale_small, args.scale_large):
        started, added = time.monotonic(), size - loaded
        report = in_subprocess(scale.load_physicians, run.admin_db, template, loaded, added)
        report["seconds"], loaded = time.monotonic() - started, size
        print(f"row 6: {size:,} physicians loaded ({report['seconds']:.0f} s for {added:,} more; database "
              f"{report['database_bytes'] / 1e9:.1f} GB)", flush=True)  # fmt: skip
        run.raw.setdefault("scale", {})[size] = {"load": report}
        figures[size] = scale_reads(run, body)
        run.raw["scale"][size]["p99"] = figures[size]
    small, large = figures[args.scale_small], figures[args.scale_large]
    rows = [(f"6 {name} p99 ({args.scale_large:,} physicians)", ms(large[name]),
             f"with {args.scale_small:,}: {ms(small[name])}", f"{large[name] / small[name]:.2f}x", "<= 1.5x")
            for name in small]  # fmt: skip
    memory = next((i for i, row in enumerate(run.table.rows) if row[0].startswith("7 ")), len(run.table.rows))
    run.table.rows[memory:memory] = rows


def soak(run: Run) -> None:
    """7. Minutes of mixed load (verifications, sign-ins, every service's reads), each service's RSS sampled once a
    minute; the memory row then compares the last sample with the first."""
    body, minutes = verification_body(run), run.args.soak
    someone, identity = run.seeded["submit"]["physicians"][0], run.urls["identity"]
    paths = load.read_paths(run.urls, run.seeded["journey"])
    samples: list[dict[str, float]] = []
    ends = time.monotonic() + minutes * 60
    while time.monotonic() < ends:
        in_subprocess(load.raw_load, run.stack.ports["licensing"], VERIFY_PATH, body, 25.0, 8, b'"valid"')
        in_subprocess(load.sign_in_storm, identity, someone["login"], someone["password"], 8.0, 2)
        in_subprocess(load.reads, paths, 25.0, 8)
        samples.append({s: rss_mb(p.popen.pid) for s, p in run.stack.services.items()})
        print(f"soak: minute {len(samples)}, RSS {', '.join(f'{s} {v:.0f}' for s, v in samples[-1].items())} MB",
              flush=True)  # fmt: skip
    run.raw["soak"] = {"minutes": minutes, "rss": samples}


def memory_row(run: Run) -> None:
    """7. Each service's RSS idle and after all of the above (and after the soak, when --soak ran one)."""
    after = {s: rss_mb(p.popen.pid) for s, p in run.stack.services.items()}
    soaked = run.raw.get("soak")
    for service in SERVICES:
        if soaked:
            first, last = soaked["rss"][0][service], soaked["rss"][-1][service]
            run.table.add(f"7 RSS {service}", f"{last:.0f} MB after a {soaked['minutes']:.0f}-minute soak",
                          f"soak's first minute: {first:.0f} MB (idle {run.idle[service]:.0f})", last / first,
                          "no growth")  # fmt: skip
        else:
            run.table.add(f"7 RSS {service}", f"{after[service]:.0f} MB after load",
                          f"idle: {run.idle[service]:.0f} MB", after[service] / run.idle[service],
                          "no growth (soak not run)")  # fmt: skip
    run.raw["memory"] = {"idle": run.idle, "after": after}


def seed(run: Run) -> None:
    args = run.args
    groups = {
        "submit": {"region": "110105", "count": args.submissions},
        "journey": {"region": "440305", "count": args.journeys},
    }
    run.seeded = in_subprocess(
        load.seed, run.urls, run.stack.secrets["IDENTITY_BOOTSTRAP_ADMIN_PASSWORD"],
        run.settings["IDENTITY_CAPTCHA_TEST_ANSWER"], str(run.stack.sms_sink_path), groups, args.seed_parallel,
    )  # fmt: skip
    for name, group in groups.items():
        run.seeded[name]["region"] = group["region"]


def measure(run: Run, started: float) -> None:
    """The rows asked for, in an order where each finds what it needs (row 1 a licence row 5 issued)."""
    rows = run.args.rows
    run.stack.prepare()
    start_services(run.stack)
    print(f"stack up in {time.monotonic() - started:.0f} s (logs in {run.stack.workdir / 'logs'})", flush=True)
    time.sleep(2)
    run.idle = {s: rss_mb(p.popen.pid) for s, p in run.stack.services.items()}
    seed(run)
    print(f"seeded {run.args.submissions + run.args.journeys} physicians in {time.monotonic() - started:.0f} s")
    steps: list[tuple[bool, Callable[[Run], None]]] = [
        ("2" in rows, sign_in_row), ("3" in rows, submission_row), ("4" in rows, hand_off_row),
        ("5" in rows or "1" in rows or "6" in rows, journey_row), ("1" in rows, verification_row),
        ("7" in rows and run.args.soak > 0, soak), ("7" in rows, memory_row),
        ("6" in rows, scale_row),  # last: the others measure a small database
    ]  # fmt: skip
    for wanted, step in steps:
        if wanted:
            step(run)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="every row with tiny sizes (the CI smoke run)")
    parser.add_argument("--rows", default=ALL_ROWS, help="which rows to measure, e.g. 12 or 4 (default: all)")
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
    parser.add_argument("--scale-small", type=int, default=10_000,
                        help="row 6: registered physicians bulk-loaded for the small figure")  # fmt: skip
    parser.add_argument("--scale-large", type=int, default=5_000_000,
                        help="row 6: registered physicians for the large figure ")  # fmt: skip
    parser.add_argument("--scale-seconds", type=float, default=10.0, help="row 6: measured seconds per size")
    parser.add_argument("--scale-concurrency", type=int, default=4, help="row 6: clients reading at once")
    parser.add_argument("--soak", type=float, default=0.0,
                        help="row 7: minutes of mixed load with each service's RSS sampled (0: no soak)")  # fmt: skip
    parser.add_argument("--profile", type=Path,
                        help="py-spy record a service in its row (.svg: a flame graph, else raw stacks)")  # fmt: skip
    parser.add_argument("--profile-service", default="licensing", choices=SERVICES)
    parser.add_argument("--keep-database", action="store_true",
                        help="leave the database (to EXPLAIN the reads on it); drop it afterwards")  # fmt: skip
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    return sizes(parser.parse_args())


def main() -> None:
    args = arguments()
    os.environ.setdefault("REGSYS_TEST_INFRA", "local")
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="regsys-bench-"))
    infra = start_infra(workdir)
    settings = {
        "REGSYS_ENVIRONMENT": "test",  # a known captcha answer for the seeding, as the e2e stack has
        "IDENTITY_CAPTCHA_TEST_ANSWER": f"T{secrets.token_hex(2).upper()}",
        "LOG_LEVEL": "WARNING",
        # one load generator is one client: the per-client limits of the public endpoints would refuse it
        "LICENSING_VERIFICATION_BURST": "100000000",
        "LICENSING_VERIFICATION_PER_HOUR": "100000000",
        "IDENTITY_ACCESS_TOKEN_MINUTES": "240",  # the seeded people's tokens last through a long run and a soak
    }
    stack = Stack.with_free_ports(
        infra=infra, database=f"regsys_bench_{uuid.uuid4().hex[:8]}", workdir=workdir, secrets=generate_secrets(),
        settings=settings,
    )  # fmt: skip
    run = Run(args=args, stack=stack, infra=infra, settings=settings)
    try:
        measure(run, started)
    finally:
        for worker in _WORKER:
            worker.shutdown(cancel_futures=True)
        stack.stop()
        if args.keep_database:
            print(f"kept database {stack.database} (DROP DATABASE {stack.database} WITH (FORCE) when done)")
        else:
            stack.drop()
        infra.stop()
    load_avg = os.getloadavg()
    print(f"\nregsys benchmark: {os.cpu_count()} CPUs, load average {load_avg[0]:.1f} at the end, "
          f"{time.monotonic() - started:.0f} s in all{' (smoke sizes)' if args.smoke else ''}")  # fmt: skip
    print(run.table.render(), flush=True)
    if args.json:
        args.json.write_text(json.dumps({"table": run.table.rows, "raw": run.raw}, indent=2, default=str))


if __name__ == "__main__":
    main()
