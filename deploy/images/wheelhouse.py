"""The wheelhouse: every third-party wheel each image needs, downloaded on the host from the lock file.

Images install from it with no index (an air-gapped build: pip inside a container never reaches out).

    python3 deploy/images/wheelhouse.py [--out .wheelhouse]

makes OUT/<image>/requirements.txt (pinned, with the lock's hashes) and OUT/<image>/*.whl for each
service and for `channels` (the development mail catcher and SMS sink). Wheels are kept in a pool under
$REGSYS_CACHE (default /var/cache/regsys) keyed by the lock's hash, so an unchanged lock downloads nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("identity", "applications", "institutions", "notifications", "licensing")
CHANNELS_ROOTS = ("aiosmtpd",)  # what devstack's channel modules need at run time; nothing else of devstack
FORMAT = "3"  # bump when the layout below changes
# the images' platform, whatever the host's: CPython 3.11 on Debian bookworm (glibc 2.36)
ARCH = {"arm64": "aarch64", "amd64": "x86_64"}.get(
    os.environ.get("WHEELHOUSE_ARCH", ""), os.environ.get("WHEELHOUSE_ARCH") or "x86_64"
)
GLIBC = ("2014", "_2_17", "_2_24", "_2_27", "_2_28", "_2_31", "_2_34", "_2_35", "_2_36")
UV = shutil.which("uv") or "uv"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def export(package: str) -> list[str]:
    """The lock's pinned third-party requirements of one workspace package, with hashes, one per entry."""
    argv = [UV, "export", "--frozen", "--no-dev", "--package", package, "--no-emit-workspace"]
    argv += ["--no-header", "--no-annotate", "--format", "requirements-txt"]
    text = subprocess.run(argv, cwd=ROOT, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return [entry.strip() for entry in re.split(r"\n(?=\S)", text) if entry.strip()]


def entry_name(entry: str) -> str:
    return normalise(re.split(r"[=<>;\s\[]", entry, maxsplit=1)[0])


def closure(lock: dict, roots: tuple[str, ...]) -> set[str]:
    """Names of the packages `roots` need according to the lock (their run-time dependencies)."""
    packages = {normalise(p["name"]): p for p in lock["package"]}
    seen: set[str] = set()
    todo = [normalise(r) for r in roots]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += [normalise(d["name"]) for d in packages[name].get("dependencies", [])]
    return seen


def wanted(lock: dict) -> dict[str, list[str]]:
    """Each image's requirement entries."""
    images = {s: export(f"regsys-{s}") for s in SERVICES}
    devstack = {entry_name(e): e for e in export("regsys-devstack")}
    images["channels"] = [devstack[n] for n in sorted(closure(lock, CHANNELS_ROOTS))]
    return images


def fill_pool(pool: Path, images: dict[str, list[str]]) -> None:
    union = {entry_name(e): e for entries in images.values() for e in entries}
    pool.mkdir(parents=True, exist_ok=True)
    requirements = pool / "requirements.txt"
    requirements.write_text("\n".join(union.values()) + "\n")
    print(f"[wheelhouse] downloading {len(union)} wheels into {pool}", file=sys.stderr, flush=True)
    argv = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--require-hashes", "--only-binary=:all:"]
    argv += ["--python-version", "3.11", "--implementation", "cp"]
    argv += [a for g in GLIBC for a in ("--platform", f"manylinux{g}_{ARCH}")]
    subprocess.run([*argv, "-r", str(requirements), "-d", str(pool)], check=True)  # noqa: S603
    (pool / ".complete").write_text("ok\n")


def lay_out(out: Path, pool: Path, images: dict[str, list[str]]) -> None:
    wheels = {normalise(w.name.split("-", 1)[0]): w for w in pool.glob("*.whl")}
    shutil.rmtree(out, ignore_errors=True)
    for image, entries in images.items():
        target = out / image
        target.mkdir(parents=True)
        (target / "requirements.txt").write_text("\n".join(entries) + "\n")
        for entry in entries:
            wheel = wheels[entry_name(entry)]
            try:
                os.link(wheel, target / wheel.name)
            except OSError:
                shutil.copy2(wheel, target / wheel.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / ".wheelhouse")
    args = parser.parse_args()
    lock_bytes = (ROOT / "uv.lock").read_bytes()
    key = hashlib.sha256(lock_bytes + FORMAT.encode() + ARCH.encode()).hexdigest()[:16]
    pool = Path(os.environ.get("REGSYS_CACHE", "/var/cache/regsys")) / "wheelhouse" / key
    images = wanted(tomllib.loads(lock_bytes.decode()))
    if (pool / ".complete").exists():
        print(f"[wheelhouse] lock unchanged: wheels from {pool}", file=sys.stderr)
    else:
        fill_pool(pool, images)
    lay_out(args.out, pool, images)
    print(f"[wheelhouse] {args.out}: " + ", ".join(f"{i} {len(e)}" for i, e in images.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
