"""What the campaign checks once the last fault is healed, read from the services' own databases and the broker.

- lost: applications submitted (by the journeys, or any the applications service holds) that never became final;
- divergent: a service disagreeing with another, record by record: each application against its institution
  review task and its authority task, each registration in licensing against its copies in applications,
  institutions (the roster) and notifications, each application status change against the physician's inbox;
- duplicate effects: a second register entry, multi-site filing, licence edition, inbox message or delivery for
  one cause, and two reviewers both told they decided one task;
- stuck: outbox rows still unpublished and events still parked;
- lag: what each consumer group has not committed yet;
- dead letters: every one with its reason; each poison message must be there for every group reading its topic,
  and none but the poison.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import asyncpg

from contracts.topics import SERVICES
from devstack.stack import Stack
from regsys_runtime.admin import DeadLetter, group_lag, list_dead_letters

FINAL = ("approved", "rejected", "withdrawn", "closed")
INSTITUTION_ONLY = ("photo_update",)
RECOVERY_GOAL_SECONDS = 30.0


@dataclass
class Findings:
    lost: list[str] = field(default_factory=list)
    divergent: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    stuck: dict[str, int] = field(default_factory=dict)
    lag: dict[str, int] = field(default_factory=dict)
    dead_letters: dict[str, Counter[str]] = field(default_factory=dict)
    poison_missing: list[str] = field(default_factory=list)
    unexpected_dead_letters: list[str] = field(default_factory=list)
    recovery_seconds: float | None = None
    applications: Counter[str] = field(default_factory=Counter)
    compared: Counter[str] = field(default_factory=Counter)  # records each check read: none read, nothing proved

    def goals(self) -> dict[str, bool]:
        recovered = self.recovery_seconds is not None and self.recovery_seconds < RECOVERY_GOAL_SECONDS
        return {
            "0 lost": not self.lost,
            "0 divergent": not self.divergent,
            "0 duplicate effects": not self.duplicates,
            "0 stuck": not any(self.stuck.values()),
            "0 lag": not any(self.lag.values()),
            "every poison message dead-lettered, nothing else": not self.poison_missing
            and not self.unexpected_dead_letters,
            f"recovery < {RECOVERY_GOAL_SECONDS:.0f} s": recovered,
        }


def connect(stack: Stack) -> asyncpg.Connection:
    base = stack.infra.postgres_admin_url.rsplit("/", 1)[0]
    return asyncpg.connect(f"{base}/{stack.database}")


async def backlog(stack: Stack) -> tuple[dict[str, int], dict[str, int]]:
    """Per service: outbox rows not yet published and events parked; and per consumer group, its lag."""
    connection = await connect(stack)
    try:
        stuck = {}
        for service in SERVICES:
            unpublished = await connection.fetchval(f"SELECT count(*) FROM {service}.outbox WHERE published_at IS NULL")
            parked = await connection.fetchval(f"SELECT count(*) FROM {service}.parked_events")
            stuck[f"{service} outbox"], stuck[f"{service} parked"] = unpublished, parked
    finally:
        await connection.close()
    lag = {}
    for service in SERVICES:
        lag[service] = sum(p.lag for p in await group_lag(stack.infra.kafka_bootstrap, service))
    return stuck, lag


def wait_for_recovery(stack: Stack, healed_at: float, timeout: float = 300.0) -> float | None:
    """Seconds from the last fault healed until every outbox is empty and every group's lag is zero; every few
    seconds until then it prints what is still behind (the outboxes and groups not at zero)."""
    said = healed_at
    while time.monotonic() < healed_at + timeout:
        try:
            stuck, lag = asyncio.run(backlog(stack))
        except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
            print(f"recovery: not measurable yet ({exc!r})", flush=True)
        else:
            behind = {p: n for p, n in stuck.items() if p.endswith("outbox") and n} | {
                f"{g} lag": n for g, n in lag.items() if n
            }
            if not behind:
                return time.monotonic() - healed_at
            if time.monotonic() - said >= 5:
                said = time.monotonic()
                print(f"recovery: {said - healed_at:.0f} s, still behind: {behind}", flush=True)
        time.sleep(0.5)
    return None


async def inspect(stack: Stack, submitted: Iterable[str], poison: list[tuple[str, str]]) -> Findings:
    findings = Findings()
    connection = await connect(stack)
    try:
        await _lost(connection, list(submitted), findings)
        findings.divergent += await _applications_against_tasks(connection, findings.compared)
        findings.divergent += await _registrations_against_copies(connection, findings.compared)
        findings.divergent += await _status_changes_against_inboxes(connection, findings.compared)
        findings.duplicates += await _duplicates(connection)
    finally:
        await connection.close()
    findings.stuck, findings.lag = await backlog(stack)
    await _dead_letters(stack, poison, findings)
    return findings


async def _lost(connection: asyncpg.Connection, submitted: list[str], findings: Findings) -> None:
    rows = await connection.fetch(
        "SELECT id::text, application_type, status, id::text = ANY($1::text[]) AS ours"
        " FROM applications.applications WHERE submitted_at IS NOT NULL OR id::text = ANY($1::text[])",
        submitted,
    )
    findings.applications = Counter(f"{r['application_type']} {r['status']}" for r in rows)
    findings.lost = [f"{r['id']} {r['application_type']} still {r['status']}" for r in rows if r["status"] not in FINAL]
    known = {r["id"] for r in rows}
    findings.lost += [f"{a} submitted but unknown to applications" for a in submitted if a not in known]


async def _applications_against_tasks(connection: asyncpg.Connection, compared: Counter[str]) -> list[str]:
    rows = await connection.fetch(
        "SELECT a.id::text, a.application_type, a.status, r.status AS institution, t.status AS authority"
        " FROM applications.applications a"
        " LEFT JOIN institutions.review_tasks r ON r.application_id = a.id"
        " LEFT JOIN licensing.authority_tasks t ON t.application_id = a.id"
        " WHERE a.submitted_at IS NOT NULL"
    )
    compared["applications and their tasks"] = len(rows)
    return [f"{r['id']} {r['application_type']}: {why}" for r in rows if (why := _disagreement(r))]


def _disagreement(row: asyncpg.Record) -> str | None:
    """Why an application's status and its reviewers' tasks cannot all be true; None when they agree."""
    status, institution, authority = row["status"], row["institution"], row["authority"]
    seen = f"application {status}, institution task {institution}, authority task {authority}"
    if status not in FINAL:
        return None  # counted as lost
    if institution is None or "open" in (institution, authority):
        return seen
    authority_step = row["application_type"] not in INSTITUTION_ONLY
    finally_approved = institution == "approved" and (not authority_step or authority == "approved")
    agrees = {
        "approved": finally_approved,
        "rejected": "rejected" in (institution, authority),
        "withdrawn": institution == "withdrawn" and authority in (None, "withdrawn"),
        "closed": not finally_approved and institution in ("closed", "rejected", "approved"),
    }[status]
    return None if agrees else seen


async def _registrations_against_copies(connection: asyncpg.Connection, compared: Counter[str]) -> list[str]:
    rows = await connection.fetch(
        "SELECT l.account_id::text, l.status, l.certificate_number, l.main_institution_id::text AS main, l.version,"
        " l.photo_sha256, (SELECT coalesce(array_agg(m.institution_id::text ORDER BY m.institution_id), '{}')"
        "   FROM licensing.multi_site_filings m WHERE m.account_id = l.account_id AND m.status = 'valid') AS sites,"
        " a.status AS a_status, a.main_institution_id::text AS a_main, a.register_version AS a_version,"
        " a.photo_sha256 AS a_photo, a.certificate_number AS a_certificate,"
        " (SELECT coalesce(array_agg(s->>'institution_id' ORDER BY s->>'institution_id'), '{}')"
        "   FROM jsonb_array_elements(a.multi_sites) s) AS a_sites,"
        " v.register_version AS i_version,"
        " (SELECT coalesce(array_agg(r.role || ' ' || r.institution_id::text ORDER BY r.role, r.institution_id), '{}')"
        "   FROM institutions.roster r WHERE r.account_id = l.account_id) AS roster,"
        " n.status AS n_status, n.certificate_number AS n_certificate,"
        " (SELECT coalesce(array_agg(x::text ORDER BY x::text), '{}') FROM unnest(n.institution_ids) x) AS n_sites"
        " FROM licensing.registrations l"
        " LEFT JOIN applications.registrations a ON a.account_id = l.account_id"
        " LEFT JOIN institutions.roster_versions v ON v.account_id = l.account_id"
        " LEFT JOIN notifications.registrations n ON n.account_id = l.account_id"
    )
    compared["registrations and their copies"] = len(rows)
    return [f"registration of {r['account_id']}: {', '.join(why)}" for r in rows if (why := _register_copies(r))]


def _register_copies(row: asyncpg.Record) -> list[str]:
    """The copies that differ from licensing's register (the one place the register changes)."""
    sites = list(row["sites"])
    differ = []
    expected = (row["status"], row["main"], row["version"], row["photo_sha256"], row["certificate_number"], sites)
    copy = (row["a_status"], row["a_main"], row["a_version"], row["a_photo"], row["a_certificate"],
            list(row["a_sites"]))  # fmt: skip
    if copy != expected:
        differ.append(f"applications holds {copy}, licensing {expected}")
    if row["i_version"] != row["version"]:
        differ.append(f"institutions holds version {row['i_version']}, licensing {row['version']}")
    if row["status"] != "deregistered":
        roster = sorted([f"main {row['main']}", *(f"multi_site {s}" for s in sites)])
        if list(row["roster"]) != roster and row["status"] == "valid":
            differ.append(f"the roster holds {list(row['roster'])}, the register {roster}")
    elif list(row["roster"]):
        differ.append(f"a deregistered physician still on the roster {list(row['roster'])}")
    notified = (row["n_status"], row["n_certificate"], sorted(row["n_sites"]))
    if notified != (row["status"], row["certificate_number"], sorted([row["main"], *sites])):
        differ.append(f"notifications holds {notified}")
    return differ


async def _status_changes_against_inboxes(connection: asyncpg.Connection, compared: Counter[str]) -> list[str]:
    """Every status change applications published reached the physician's inbox (the outbox keeps what it
    published for an hour, longer than a campaign)."""
    rows = await connection.fetch(
        "SELECT o.envelope->>'event_id' AS event_id, o.envelope->'payload'->>'application_id' AS application_id,"
        " EXISTS (SELECT 1 FROM notifications.inbox_messages m WHERE m.cause_event_id::text = o.envelope->>'event_id')"
        " AS told FROM applications.outbox o WHERE o.event_type = 'applications.application_status_changed'"
    )
    compared["status changes and inboxes"] = len(rows)
    missing = [r for r in rows if not r["told"]]
    return [f"status change {r['event_id']} of {r['application_id']} not in the physician's inbox" for r in missing]


DUPLICATES = {
    "register entries for one application": "SELECT account_id::text, cause_application_id::text, count(*)"
    " FROM licensing.registration_history WHERE cause_application_id IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1",
    "multi-site filings for one application": "SELECT cause_application_id::text, count(*)"
    " FROM licensing.multi_site_filings WHERE cause_application_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1",
    "licences of one edition": "SELECT account_id::text, edition, count(*) FROM licensing.licences"
    " GROUP BY 1, 2 HAVING count(*) > 1",
    "inbox messages for one event": "SELECT account_id::text, cause_event_id::text, kind, count(*)"
    " FROM notifications.inbox_messages GROUP BY 1, 2, 3 HAVING count(*) > 1",
    "deliveries for one event": "SELECT cause_event_id::text, channel, template, count(*)"
    " FROM notifications.deliveries GROUP BY cause_event_id, channel, recipient, template HAVING count(*) > 1",
}


async def _duplicates(connection: asyncpg.Connection) -> list[str]:
    found = []
    for what, query in DUPLICATES.items():
        for row in await connection.fetch(query):
            found.append(f"{what}: {' '.join(str(v) for v in row.values())}")
    return found


async def _dead_letters(stack: Stack, poison: list[tuple[str, str]], findings: Findings) -> None:
    bootstrap = stack.infra.kafka_bootstrap
    for service in SERVICES:
        letters = await list_dead_letters(bootstrap, service)
        findings.dead_letters[service] = Counter(d.reason_class or "?" for d in letters)
        reads = {p.topic for p in await group_lag(bootstrap, service)}
        marks = {_mark_of(d) for d in letters}
        findings.poison_missing += [f"{service} never dead-lettered {m} from {t}" for t, m in poison
                                    if t in reads and m not in marks]  # fmt: skip
        findings.unexpected_dead_letters += [
            f"{service} {d.source_topic} {d.event_type}: {d.reason[:200]}" for d in letters if _mark_of(d) is None
        ]


def _mark_of(letter: DeadLetter) -> str | None:
    value = (letter.record.value or b"").decode(errors="replace")
    start = value.find("campaign-poison-")
    return value[start : start + len("campaign-poison-") + 12] if start >= 0 else None
