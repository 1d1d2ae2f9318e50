"""Issue 13's standing test: every operation of every service, fuzzed by schemathesis from the service's own OpenAPI
document, with positive and negative data and a token of each role: no server error, no status code or content
type the document does not declare, no response outside its schema, no invalid request accepted.

Each service's test signs each role in afresh (an operation that ends the caller's sessions then ends only that
test's), and each (service, role) calls from an address of its own, as the gateway would tell the service, so one
client's rate limits are not another's. Generation is derandomized: the same cases every run.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import AcceptedNegativeData
from schemathesis.core.parameters import ParameterLocation
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from devstack.stack import Stack
from e2e.journeys import Client, active_physician, new_institution, new_staff, sign_in

pytestmark = pytest.mark.e2e

SERVICES = ("identity", "applications", "institutions", "notifications", "licensing")
ROLES = ("physician", "institution_staff", "officer", "admin")
ANONYMOUS = "anonymous"  # an operation with no security requirement is called once, with no token
REGION = "310101"
EXAMPLES = 8  # per operation, role and mode: enough to find what is undeclared, few enough for CI on two cores
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)

# excluded: none. Run after the others, so that the others run signed in:
LAST = {("identity", "POST", "/tokens/revoke-all"): "ends every session of the caller"}


@dataclass
class Report:
    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    answers: Counter[tuple[str, str, int]] = field(default_factory=Counter)  # (operation, role/mode, status)
    failures: dict[tuple[str, str, str, int], tuple[int, str]] = field(default_factory=dict)
    not_negatable: int = 0  # (operation, role)s with nothing to make invalid: no parameters, no body, no token
    refused_by_server: int = 0
    valid_as_sent: int = 0  # negative cases whose query string, as sent, was valid text
    seconds: float = 0.0

    def fail(self, operation: str, role: str, check: str, status: int, example: str) -> None:
        count, first = self.failures.get((operation, role, check, status), (0, example))
        self.failures[(operation, role, check, status)] = (count + 1, first)

    def lines(self) -> list[str]:
        return [
            f"{operation} as {role}: {check} (status {status}, {count}×)\n    {example}"
            for (operation, role, check, status), (count, example) in sorted(self.failures.items())
        ]


@pytest.fixture(scope="module")
def accounts(running_stack: Stack, admin: Client) -> dict[str, tuple[str, str]]:
    """Login and password of one account of each role; an admin of its own, so the session's admin is not fuzzed."""
    institution = new_institution(admin, REGION)
    physician = active_physician(running_stack, admin, institution)
    return {
        "physician": (physician.login, physician.password),
        "institution_staff": new_staff(admin, "institution_staff", institution_id=institution),
        "officer": new_staff(admin, "officer", region_code=REGION),
        "admin": new_staff(admin, "admin"),
    }


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_answers_every_role_as_documented(
    running_stack: Stack, accounts: dict[str, tuple[str, str]], service: str
):
    tokens = {role: sign_in(running_stack, *account).token or "" for role, account in accounts.items()}
    report = fuzz(running_stack, service, tokens)
    print(
        f"{service}: {report.cases} cases in {report.seconds:.0f}s, statuses {dict(sorted(report.statuses.items()))}"
        f", {report.not_negatable} without negative cases, {report.refused_by_server} refused by the HTTP server"
        f", {report.valid_as_sent} negative cases valid as sent"
    )
    assert report.statuses[429] < report.cases / 10, "the rate limits answered instead of the service"
    assert report.failures == {}, f"{len(report.failures)} failures:\n" + "\n".join(report.lines())


def fuzz(stack: Stack, service: str, tokens: dict[str, str]) -> Report:
    """Every operation of `service`'s document in both modes, as each role of `tokens`, or anonymously where the
    operation asks for no token."""
    started, report = time.monotonic(), Report()
    document = httpx.get(f"{stack.url(service)}/openapi.json", timeout=10).json()
    operations = [result.ok() for result in schemathesis.openapi.from_dict(document).get_all_operations()]
    components = document.get("components", {})
    operations.sort(key=lambda op: (service, op.method.upper(), op.path) in LAST)
    for operation in operations:
        for role in list(tokens) if operation.definition.raw.get("security") else [ANONYMOUS]:
            headers = {"X-Forwarded-For": address(service, role)}
            if role != ANONYMOUS:
                headers["Authorization"] = f"Bearer {tokens[role]}"
            for mode in MODES:
                fuzz_one(operation, mode, stack.url(service), headers, role, report, components)
    report.seconds = time.monotonic() - started
    return report


def fuzz_one(
    operation: APIOperation,
    mode: GenerationMode,
    base_url: str,
    headers: dict[str, str],
    role: str,
    report: Report,
    components: dict[str, Any],
) -> None:
    label, who = f"{operation.method.upper()} {operation.path}", f"{role}/{mode.value}"

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],  # each failure is reported, not shrunk: the run stays bounded
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def one(case: Case) -> None:
        sent = headers
        if case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER):
            # the negative header is the bearer token (the only header any operation takes): schemathesis dropped
            # or garbled it, and the role's own token must not put it back
            sent = {name: value for name, value in headers.items() if name != "Authorization"}
        response = case.call(base_url=base_url, headers=sent, timeout=10)
        report.cases += 1
        report.statuses[response.status_code] += 1
        report.answers[(label, who, response.status_code)] += 1
        if refused_by_the_http_server(response):
            report.refused_by_server += 1
            return
        try:
            case.validate_response(response, checks=CHECKS, headers=sent)
        except FailureGroup as group:
            for failure in group.exceptions:
                if isinstance(failure, AcceptedNegativeData) and query_as_sent_is_valid(case, response, components):
                    report.valid_as_sent += 1
                    continue
                message = " | ".join(failure.message.splitlines()[:6])
                example = f"{message}\n    {shorten(case.as_curl_command(headers=sent))}"
                report.fail(label, who, failure.title, response.status_code, example)

    try:
        one()
    except Unsatisfiable:
        if mode is not GenerationMode.NEGATIVE:
            raise
        report.not_negatable += 1


def query_as_sent_is_valid(case: Case, response: schemathesis.Response, components: dict[str, Any]) -> bool:
    """Whether a case negative only in its query string was valid after all, as sent: schemathesis makes a text
    parameter invalid by giving it a number (`physician_name=-4.69e+16`), which a query string carries as text
    the parameter's schema accepts. A false positive of negative_data_rejection, told apart here, narrowly: every
    query parameter sent once and valid as text against its schema, nothing else negative."""
    others = (ParameterLocation.PATH, ParameterLocation.HEADER, ParameterLocation.COOKIE, ParameterLocation.BODY)
    if case.meta is None or any(case.meta.is_negative_at(location) for location in others):
        return False
    sent = parse_qs(urlsplit(response.request.url or "").query, keep_blank_values=True)
    for parameter in case.operation.definition.raw.get("parameters", []):
        values = sent.get(parameter["name"]) if parameter["in"] == "query" else [None]
        if values is None and not parameter.get("required"):
            continue
        schema = {**parameter["schema"], "components": components}
        if values is None or len(values) != 1 or not jsonschema_rs.validator_for(schema).is_valid(values[0]):
            return False
    return True


def refused_by_the_http_server(response: schemathesis.Response) -> bool:
    """uvicorn's own 400, or the gateway's 431 (composed, every request passes it), for a request line longer than
    they parse (a negative case's query string of over 64 KiB of percent-escapes): the service never sees the
    request, so its document cannot speak of the answer."""
    uvicorn = response.status_code == 400 and response.content == b"Invalid HTTP request received."
    gateway = response.status_code == 431
    return (
        (uvicorn or gateway)
        and response.headers.get("content-type", [""])[0].startswith("text/plain")
        and len(response.request.url or "") > 16 * 1024
    )


def address(service: str, role: str) -> str:
    """A client address of its own for each (service, role), in TEST-NET-2."""
    return f"198.51.{SERVICES.index(service) + 1}.{((ANONYMOUS, *ROLES)).index(role) + 1}"


def shorten(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"
