"""The portal's figures of issue 14: Lighthouse scores on three pages and the first page's JavaScript, gzipped.

Starts the infrastructure, the five services and the gateway serving the built portal (libs/devstack), seeds over
HTTP what the pages need (a physician signed in, for the business form; a licence, for /verify), then runs
Lighthouse (the portal's devDependency, `node portal/node_modules/lighthouse/cli/index.js`) against Debian's
Chromium on

- the sign-in page (`/sign-in`),
- a business form (`/me/apply/initial_registration`, the initial registration's first step, signed in),
- the public licence check (`/V/RL1:…`, the QR code's address, showing its verdict).

Each figure is printed beside its ceiling from the issue, with the ratio:

- performance >= 90 and accessibility >= 95 per page (the median of `--runs` Lighthouse runs);
- the sign-in page's JavaScript <= 250 KB gzipped: every script the browser loaded for it (from Lighthouse's
  network requests), each file gzipped here (level 9) from portal/dist, since the gateway may send zstd.

Lighthouse's mobile preset (its default: a mid-range phone, simulated slow 4G, CPU slowed 4x) unless
`--preset desktop`: the portal is used on phones, and the browser tests hold it to a 390 px screen.

    make bench-portal                                        # 3 runs per page
    uv run --frozen python benchmarks/portal.py --smoke      # 1 run per page (CI, tests/bench)
    uv run --frozen python benchmarks/portal.py --help

The scores are the page's, not the machine's only in part: a loaded machine lowers performance (simulated
throttling still scales the CPU work it measured). Run on a quiet machine, compare ratios.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import load  # noqa: E402

from contracts.topics import SERVICES  # noqa: E402
from devstack.infra import start_infra  # noqa: E402
from devstack.portal import DIST, PORTAL, ensure_built, node_env  # noqa: E402
from devstack.stack import Stack, generate_secrets  # noqa: E402

LIGHTHOUSE = PORTAL / "node_modules" / "lighthouse" / "cli" / "index.js"
PERFORMANCE, ACCESSIBILITY, FIRST_PAGE_JS_KB = 90, 95, 250  # the ceilings of issue 14
SESSION_COOKIE = "regsys_refresh"


def chromium() -> str:
    """$REGSYS_CHROMIUM, else Debian's chromium (as the browser tests find it)."""
    found = os.environ.get("REGSYS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise SystemExit("no Chromium: `make browser` installs Debian's (or set REGSYS_CHROMIUM)")
    return found


def browser_session(gateway: str, login: str, password: str) -> str:
    """A fresh browser session's refresh token (the cookie the portal restores itself from on page load)."""
    done = httpx.post(
        f"{gateway}/api/identity/tokens", json={"login_name": login, "password": password},
        headers={"X-Regsys-Session": "cookie"}, timeout=30,
    )  # fmt: skip
    done.raise_for_status()
    token = done.cookies.get(SESSION_COOKIE)
    if not token:
        raise RuntimeError(f"sign-in set no {SESSION_COOKIE} cookie")
    return token


def session_cookie(gateway: str, physician: Mapping[str, str]) -> dict[str, str]:
    """The Cookie header of a new browser session: one per Lighthouse run, as a refresh token is spent once."""
    return {"Cookie": f"{SESSION_COOKIE}={browser_session(gateway, physician['login'], physician['password'])}"}


def lighthouse(
    url: str, out: Path, *, preset: str, headers: Callable[[], Mapping[str, str]] | None = None
) -> dict[str, Any]:
    """One Lighthouse run (performance and accessibility) against Chromium; returns its JSON report. A run that
    fails to record (now and then NO_NAVSTART on a loaded machine) is run again, at most twice; `headers` gives
    each attempt its own (a session's refresh token is spent by the page that presents it)."""
    argv = [
        str(Path(sys.executable).with_name("node")), str(LIGHTHOUSE), url,
        "--only-categories=performance,accessibility", "--output=json", f"--output-path={out}", "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu", "--max-wait-for-load=60000",
    ]  # fmt: skip
    if preset == "desktop":
        argv.append("--preset=desktop")
    env = {**node_env(), "CHROME_PATH": chromium()}
    failures = []
    for _attempt in range(3):
        out.unlink(missing_ok=True)
        extra = [f"--extra-headers={json.dumps(dict(headers()))}"] if headers else []
        done = subprocess.run(argv + extra, env=env, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
        if done.returncode == 0 and out.exists():
            report: dict[str, Any] = json.loads(out.read_text())
            if not report.get("runtimeError"):
                return report
            failures.append(str(report["runtimeError"]))
        else:
            failures.append(f"exit {done.returncode}: {done.stderr[-1500:]}")
        print(f"  (lighthouse {urlsplit(url).path}: {failures[-1][:200].strip()}; again)", flush=True)
    raise RuntimeError(f"lighthouse {url} failed three times:\n" + "\n".join(failures))


def score(report: Mapping[str, Any], category: str) -> float:
    value = report["categories"][category]["score"]
    if value is None:
        raise RuntimeError(f"{report['finalDisplayedUrl']}: no {category} score")
    return float(value) * 100


def scripts_loaded(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    items = report["audits"]["network-requests"]["details"]["items"]
    return [i for i in items if i.get("resourceType") == "Script"]


def gzipped_kb(report: Mapping[str, Any]) -> tuple[float, float, list[str]]:
    """The scripts the page loaded: gzipped from portal/dist (KB), as sent (KB, Lighthouse's transfer sizes)."""
    gzipped, sent, names = 0, 0, []
    for item in scripts_loaded(report):
        path = urlsplit(item["url"]).path.lstrip("/")
        built = DIST / path
        if not built.is_file():
            raise RuntimeError(f"a script not in portal/dist: {item['url']}")
        gzipped += len(gzip.compress(built.read_bytes(), compresslevel=9))
        sent += int(item.get("transferSize") or 0)
        names.append(path)
    return gzipped / 1000, sent / 1000, names


def failing_audits(report: Mapping[str, Any], category: str) -> list[str]:
    """The audits that cost the category points (for the note: why a score is below its ceiling)."""
    audits = report["audits"]
    out = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 0.9:
            out.append(f"{ref['id']} ({audit['score']:.2f}: {audit.get('displayValue', '')})".replace(": )", ")"))
    return out


class Table:
    head = ("page", "figure", "regsys", "ceiling", "ratio")

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str]] = []

    def add(self, page: str, figure: str, value: float, ceiling: float, unit: str = "", at_most: bool = False) -> None:
        ratio = value / ceiling
        bound = "<=" if at_most else ">="
        self.rows.append((page, figure, f"{value:.1f}{unit}", f"{bound} {ceiling}{unit}", f"{ratio:.2f}x"))

    def render(self) -> str:
        widths = [max(len(r[i]) for r in [self.head, *self.rows]) for i in range(5)]
        line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
        out = [line, "| " + " | ".join(h.ljust(w) for h, w in zip(self.head, widths, strict=True)) + " |", line]
        out += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in self.rows]
        return "\n".join([*out, line])


def seed(stack: Stack, captcha_answer: str, with_licence: bool) -> tuple[dict[str, str], str | None]:
    """An active physician (for the business form) and, if asked, a licence (another physician's, registered)."""
    urls = {s: stack.url(s) for s in SERVICES}
    admin_password = stack.secrets["IDENTITY_BOOTSTRAP_ADMIN_PASSWORD"]
    groups = {"pages": {"region": "110105", "count": 2 if with_licence else 1}}
    seeded = load.seed(urls, admin_password, captcha_answer, str(stack.sms_sink_path), groups, 2)["pages"]
    physician = seeded["physicians"][0]
    if not with_licence:
        return physician, None
    holder = seeded["physicians"][1]
    done = load.journeys(urls, {**seeded, "physicians": [holder]}, 1, 120.0)
    if done["failures"] or not done["ok"]:
        raise RuntimeError(f"the licence holder's journey failed: {done['failures'][:3]}")
    return physician, qr_address(urls["licensing"], holder["token"])


def qr_address(licensing: str, token: str) -> str:
    """The path of what the holder's licence QR code holds (`/V/RL1:…`), as a phone camera opens it."""
    claimed = httpx.post(f"{licensing}/licences/me", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    claimed.raise_for_status()
    return urlsplit(claimed.json()["verification_url"]).path


def measure(stack: Stack, args: argparse.Namespace, workdir: Path) -> tuple[Table, dict[str, Any]]:
    captcha_answer = stack.settings["IDENTITY_CAPTCHA_TEST_ANSWER"]
    physician, licence = seed(stack, captcha_answer, with_licence=True)
    gateway = stack.gateway_url
    pages: dict[str, tuple[str, bool]] = {  # name: (path, signed in)
        "sign-in": ("/sign-in", False),
        "business form (initial registration)": ("/me/apply/initial_registration", True),
        "/verify (a licence's QR address)": (licence or "/verify", False),
    }
    table, raw = Table(), {"preset": args.preset, "runs": args.runs, "pages": {}}
    first_page: dict[str, Any] | None = None
    for name, (path, signed_in) in pages.items():
        runs = []
        for run in range(args.runs):
            headers = partial(session_cookie, gateway, physician) if signed_in else None
            report = lighthouse(gateway + path, workdir / f"lh-{len(raw['pages'])}-{run}.json", preset=args.preset,
                                headers=headers)  # fmt: skip
            landed = urlsplit(report["finalDisplayedUrl"]).path
            if landed != urlsplit(path).path:
                raise RuntimeError(f"{name}: Lighthouse landed on {report['finalDisplayedUrl']}, not {path}")
            runs.append(report)
            print(f"  {name} run {run + 1}: performance {score(report, 'performance'):.0f}, "
                  f"accessibility {score(report, 'accessibility'):.0f}", flush=True)  # fmt: skip
        perf = statistics.median(score(r, "performance") for r in runs)
        a11y = statistics.median(score(r, "accessibility") for r in runs)
        median = min(runs, key=lambda r: abs(score(r, "performance") - perf))
        table.add(name, "performance", perf, PERFORMANCE)
        table.add(name, "accessibility", a11y, ACCESSIBILITY)
        raw["pages"][name] = {
            "path": path.split("?")[0], "performance": [score(r, "performance") for r in runs],
            "accessibility": [score(r, "accessibility") for r in runs],
            "metrics": {k: median["audits"][k].get("numericValue") for k in
                        ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                         "cumulative-layout-shift", "speed-index")},
            # Lighthouse's CPU benchmark of this machine at the time (its simulated throttling assumes ~1000+)
            "benchmark_index": [r["environment"]["benchmarkIndex"] for r in runs],
            "losing": {"performance": failing_audits(median, "performance"),
                       "accessibility": failing_audits(median, "accessibility")},
        }  # fmt: skip
        first_page = first_page or median
    assert first_page is not None
    kb, sent, scripts = gzipped_kb(first_page)
    table.add("sign-in (the first page)", "JavaScript, gzipped", kb, FIRST_PAGE_JS_KB, " KB", at_most=True)
    raw["first_page_javascript"] = {"gzip_kb": kb, "transferred_kb": sent, "scripts": scripts}
    return table, raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="one Lighthouse run per page (the CI smoke run)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the median is shown")
    parser.add_argument("--preset", choices=("mobile", "desktop"), default="mobile")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if args.smoke:
        args.runs = 1
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"no {LIGHTHOUSE}: `make portal` installs the portal's devDependencies")
    chromium()
    os.environ.setdefault("REGSYS_TEST_INFRA", "local")
    t0 = time.monotonic()
    ensure_built()
    workdir = Path(tempfile.mkdtemp(prefix="regsys-bench-portal-"))
    infra = start_infra(workdir)
    settings = {
        "REGSYS_ENVIRONMENT": "test",  # a known captcha answer for the seeding, as the e2e stack has
        "IDENTITY_CAPTCHA_TEST_ANSWER": f"T{secrets.token_hex(2).upper()}",
        "LOG_LEVEL": "WARNING",
    }
    stack = Stack.with_free_ports(
        infra=infra, database=f"regsys_bench_{uuid.uuid4().hex[:8]}", workdir=workdir, secrets=generate_secrets(),
        settings=settings,
    )  # fmt: skip
    try:
        stack.prepare()
        stack.start_services(timeout=180)
        print(f"stack up in {time.monotonic() - t0:.0f} s (logs in {workdir / 'logs'})", flush=True)
        table, raw = measure(stack, args, workdir)
    finally:
        stack.stop()
        stack.drop()
        infra.stop()
    load_avg = os.getloadavg()
    print(f"\nregsys portal benchmark: Lighthouse {args.preset} preset, median of {args.runs} run(s) per page, "
          f"{os.cpu_count()} CPUs, load average {load_avg[0]:.1f} at the end, {time.monotonic() - t0:.0f} s in all"
          f"{' (smoke)' if args.smoke else ''}")  # fmt: skip
    print(table.render(), flush=True)
    indices = [i for page in raw["pages"].values() for i in page["benchmark_index"]]
    print(f"Lighthouse's benchmark index of this machine during the runs: {min(indices):.0f}-{max(indices):.0f}")
    for name, page in raw["pages"].items():
        for category, losing in page["losing"].items():
            if losing:
                print(f"{name}, {category} loses points on: {'; '.join(losing)}")
    print(f"Lighthouse's reports: {workdir}/lh-*.json")
    if args.json:
        args.json.write_text(json.dumps({"table": table.rows, "raw": raw}, indent=2, default=str))


if __name__ == "__main__":
    main()
