"""The reliability campaign: nothing lost, nothing done twice, nothing stuck, under faults.

Starts the whole system as local processes (its own database, broker and proxies), runs concurrent journeys of
physicians through every application type with races on purpose (a withdrawal against a decision, two reviewers
deciding one task at once, a register change under a pending application), and meanwhile, one after another at
random moments: SIGKILLs a service and restarts it, cuts the broker or one service's database off through a proxy,
has a replica of a service join or leave (two or three running), produces already-consumed events again to every
topic, sends poison messages to every topic. Then it heals everything and checks (reliability/checks.py).

Prints a table and exits 1 when a goal is missed: 0 lost, 0 divergent, 0 duplicate effects, 0 stuck, 0 lag, every
poison message dead-lettered and nothing else, recovery (last fault healed → every outbox empty and lag zero) < 30 s.

    make campaign CAMPAIGN_ARGS="--journeys 2000 --concurrency 12 --minutes 30 --fault-every 5"
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the e2e suite's journey steps; this package

from reliability import checks  # noqa: E402
from reliability.faults import Chaos  # noqa: E402
from reliability.journeys import Desks, Journey, Ledger, Person, StepFailed  # noqa: E402
from reliability.system import System  # noqa: E402


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="campaign", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--journeys", type=int, default=200, help="physicians to take through (default 200)")
    parser.add_argument("--concurrency", type=int, default=8, help="journeys at once (default 8)")
    parser.add_argument("--minutes", type=float, default=10.0, help="no new journey or fault after this (default 10)")
    parser.add_argument("--fault-every", type=float, default=8.0, help="seconds between faults, on average (8)")
    parser.add_argument("--outage", type=float, default=8.0, help="longest cut of the broker or a database (8 s)")
    parser.add_argument("--institutions", type=int, default=0, help="institutions (default: concurrency / 2)")
    parser.add_argument("--seed", type=int, default=None, help="the random seed (printed; repeat a run's plan with it)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep logs here (default: a temporary directory)")
    return parser.parse_args(argv)


def drive(system: System, args: argparse.Namespace, rng: random.Random) -> tuple[Ledger, Chaos, float | None]:
    """Journeys under faults until they are done or the time is up; then everything healed, and the recovery."""
    stack = system.stack
    admin = Person(stack, "admin", stack.secrets["IDENTITY_BOOTSTRAP_ADMIN_PASSWORD"])
    desks = Desks.open(stack, admin, args.institutions or max(3, args.concurrency // 2))
    ledger, deadline = Ledger(), time.monotonic() + args.minutes * 60
    chaos = Chaos(system, every=args.fault_every, outage=args.outage, rng=random.Random(rng.random()))
    chaos.start()

    def journey(seed: float) -> None:
        if time.monotonic() > deadline:
            return
        try:
            Journey(stack, admin, desks, ledger, random.Random(seed)).run()
        except StepFailed as failed:
            ledger.record(failed_steps=str(failed))
        ledger.record(journeys_done=1)

    with ThreadPoolExecutor(max_workers=args.concurrency, thread_name_prefix="journey") as pool:
        futures = [pool.submit(journey, rng.random()) for _ in range(args.journeys)]
        wait(futures, timeout=max(0.0, deadline - time.monotonic()))
        chaos.stopping.set()
        chaos.join()
        system.heal_everything()
        healed = time.monotonic()
        print(f"faults over; {ledger.journeys_done} journeys done, the rest finishing", flush=True)
        recovery = checks.wait_for_recovery(stack, healed)
        wait(futures)
        for future in futures:
            future.result()  # a journey's own bug ends the campaign
    return ledger, chaos, recovery


def report(findings: checks.Findings, ledger: Ledger, chaos: Chaos, seconds: float) -> str:
    log = chaos.log
    faults = ", ".join(f"{kind} {n}" for kind, n in log.counts.items())
    compared = ", ".join(f"{n} {what}" for what, n in findings.compared.items())
    letters = "; ".join(f"{s}: {dict(c)}" for s, c in findings.dead_letters.items() if c) or "none"
    rows = [
        ("journeys done", f"{ledger.journeys_done} in {seconds:.0f} s", ""),
        ("applications submitted", str(len(ledger.submitted)), ""),
        ("faults", f"{faults}; {log.replayed} events replayed, {len(log.poison)} poison messages", ""),
        ("steps that gave up", str(len(ledger.failed_steps)), "(see lost)"),
        ("applications lost", str(len(findings.lost)), "0"),
        ("divergent records", f"{len(findings.divergent)} (compared {compared})", "0"),
        ("duplicate effects", str(len(findings.duplicates) + len(ledger.double_decisions)), "0"),
        ("events stuck (outbox, parked)", str(sum(findings.stuck.values())), "0"),
        ("consumer lag", str(sum(findings.lag.values())), "0"),
        ("dead letters by reason", letters, "poison only"),
        ("poison not dead-lettered", str(len(findings.poison_missing)), "0"),
        ("dead letters not poison", str(len(findings.unexpected_dead_letters)), "0"),
        ("recovery (healed → lag 0)", "never" if findings.recovery_seconds is None
         else f"{findings.recovery_seconds:.1f} s", f"< {checks.RECOVERY_GOAL_SECONDS:.0f} s"),
    ]  # fmt: skip
    width = max(len(r[0]) for r in rows)
    lines = [f"{'':{width}}  {'found':<40} goal", *(f"{n:{width}}  {v:<40} {g}" for n, v, g in rows)]
    details = [*findings.lost, *findings.divergent, *findings.duplicates, *ledger.double_decisions,
               *findings.poison_missing, *findings.unexpected_dead_letters, *ledger.failed_steps,
               *log.errors]  # fmt: skip
    outcomes = ", ".join(f"{k} {n}" for k, n in sorted(findings.applications.items()))
    return "\n".join([*lines, f"\napplications: {outcomes}", *(f"  - {d}" for d in details[:60])])


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    rng = random.Random(seed)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="campaign-"))
    os.environ.pop("REGSYS_KAFKA_BOOTSTRAP", None)  # the campaign's broker is its own, behind its proxy
    print(f"campaign: seed {seed}, logs in {workdir / 'logs'}", flush=True)
    started = time.monotonic()
    system = System.start(workdir)
    try:
        ledger, chaos, recovery = drive(system, args, rng)
        checks.wait_for_recovery(system.stack, time.monotonic())  # what the last journeys sent, settled
        findings = asyncio.run(checks.inspect(system.stack, ledger.submitted, chaos.log.poison))
        findings.recovery_seconds = recovery
    finally:
        system.stop()
    print(report(findings, ledger, chaos, time.monotonic() - started))
    goals = {"applications went through (none: nothing proved)": bool(ledger.submitted), **findings.goals()}
    print("\n".join(f"  {'met   ' if ok else 'MISSED'} {goal}" for goal, ok in goals.items()), flush=True)
    if all(goals.values()) and args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if all(goals.values()) and not ledger.double_decisions else 1


if __name__ == "__main__":
    sys.exit(main())
