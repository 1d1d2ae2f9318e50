"""The one shape of every service (STYLE.md, "Inside a service"), held by the suite rather than by memory."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("identity", "applications", "institutions", "notifications", "licensing")
BELOW_API = ("service", "domain", "adapters", "messaging")
MAX_FUNCTION_LINES = 40


def sources(*globs: str) -> list[Path]:
    return sorted(p for g in globs for p in ROOT.glob(g) if "/tests/" not in str(p))


def layer_modules(service: str, layer: str) -> list[Path]:
    return sources(f"services/{service}/src/{service}/{layer}/**/*.py")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


@pytest.mark.parametrize("service", SERVICES)
def test_use_cases_run_no_sql_themselves(service: str) -> None:
    offenders = [str(p) for p in layer_modules(service, "service") if re.search(r"\.execute\(", p.read_text())]
    assert offenders == [], "SQL belongs in a repository under adapters/"


@pytest.mark.parametrize("service", SERVICES)
def test_nothing_below_the_api_speaks_http(service: str) -> None:
    offenders = [
        f"{p}: {name}"
        for layer in BELOW_API
        for p in layer_modules(service, layer)
        for name in imported_modules(p)
        if name == "fastapi" or name.startswith("fastapi.") or name.startswith("regsys_runtime.problems")
    ]
    assert offenders == [], "raise regsys_runtime.errors below the API; the problem handlers map them"


@pytest.mark.parametrize("service", SERVICES)
def test_no_untyped_rows_reach_the_api(service: str) -> None:
    offenders = [str(p) for p in layer_modules(service, "api") if "RowMapping" in p.read_text()]
    assert offenders == [], "repositories return domain objects"


@pytest.mark.parametrize("tree", ["libs", *SERVICES])
def test_functions_are_short_and_control_flow_has_no_assert(tree: str) -> None:
    paths = sources("libs/*/src/**/*.py") if tree == "libs" else sources(f"services/{tree}/src/**/*.py")
    long_functions, asserts = [], []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long_functions.append(f"{path}:{node.lineno} {node.name} ({length} lines)")
            elif isinstance(node, ast.Assert):
                asserts.append(f"{path}:{node.lineno}")
    assert long_functions == [], f"functions over {MAX_FUNCTION_LINES} lines"
    assert asserts == [], "assert vanishes under python -O; raise instead"


REFUSALS = {"NotFound", "Conflict", "InvalidFields", "InvalidField", "Forbidden", "Unauthenticated", "Gone",
            "TooManyAttempts", "Unavailable"}  # fmt: skip


SENTENCE = re.compile(r"[A-Za-z]+ [a-z]+")  # two words at least: a code such as "not-found" is no sentence


def english_only_words(call: ast.Call) -> list[str]:
    """Sentences a refusal carries as a bare string, outside any Message(en, zh=...)."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Message":
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SENTENCE.search(node.value):
            found.append(node.value)
        for child in ast.iter_child_nodes(node):
            visit(child)

    for argument in [*call.args, *(keyword.value for keyword in call.keywords)]:
        visit(argument)
    return found


def refusal_calls(tree: ast.AST) -> list[ast.Call]:
    """Calls that build a refusal: its class named, or `super().__init__` inside a subclass of one."""
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and {getattr(b, "id", None) for b in node.bases} & REFUSALS:
            calls += [
                c for c in ast.walk(node) if isinstance(c, ast.Call) and getattr(c.func, "attr", "") == "__init__"
            ]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) in REFUSALS:
            calls.append(node)
    return calls


@pytest.mark.parametrize("service", SERVICES)
def test_every_refusal_a_person_reads_has_its_chinese(service: str) -> None:
    offenders = [
        f"{p}:{call.lineno}: {words}"
        for p in sources(f"services/{service}/src/**/*.py")
        for call in refusal_calls(ast.parse(p.read_text()))
        for words in english_only_words(call)
    ]
    assert offenders == [], "write refusals as Message(en, zh=...): callers read them in Chinese by default"
