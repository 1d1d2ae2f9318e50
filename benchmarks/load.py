# ruff: noqa: S311, ASYNC109 - repeatable sample people, not secrets; deadlines are explicit arguments
"""The load generator: everything that drives the stack over HTTP, run in a process of its own.

Each public function here is called by benchmarks/bench.py in a spawned subprocess (so the load never shares
a CPU-bound event loop with the orchestrator) and returns plain data: counts, durations and latencies.
Every loop is bounded by a count and a deadline; all traffic goes to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from stdnum.cn import uscc

from devstack.channels import read_sms
from identity.domain.rules import id_check_character

CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
FORM = {
    "education": "本科",
    "graduated_from": "北京大学医学部",
    "major": "临床医学",
    "contact_phone": "13912345678",
    "mailing_address": "北京市朝阳区建国路1号",
    "work_history": "2015–2020 住院医师",
}
APPROVED_TITLE = "您的执业注册申请已批准"
POLL = 0.02  # seconds between polls of a queue or a status


class BenchError(RuntimeError):
    pass


@dataclass(frozen=True)
class Urls:
    identity: str
    applications: str
    institutions: str
    licensing: str
    notifications: str

    @classmethod
    def of(cls, urls: dict[str, str]) -> Urls:
        return cls(**urls)


def _forwarded() -> dict[str, str]:
    """A client address of its own per simulated person, so per-address limits see many people (the
    services trust X-Forwarded-For from 127.0.0.1, as behind the gateway)."""
    return {"X-Forwarded-For": f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"}


async def _ok(client: httpx.AsyncClient, method: str, url: str, token: str | None = None, **kw: Any) -> Any:
    headers = dict(kw.pop("headers", {}))
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = await client.request(method, url, headers=headers, **kw)
    if response.status_code >= 300:
        raise BenchError(f"{method} {url}: {response.status_code} {response.text[:300]}")
    return response.json() if response.content else None


async def _until(fetch: Any, accept: Any, *, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = await fetch()
        if accept(value):
            return value
        if time.monotonic() > deadline:
            raise BenchError(f"timed out; last value: {str(value)[:300]}")
        await asyncio.sleep(POLL)


def _id_number() -> str:
    first17 = (
        f"110105{random.randint(1960, 1999)}0{random.randint(1, 9)}1{random.randint(0, 9)}{random.randint(100, 999)}"
    )
    return first17 + id_check_character(first17)


def _credit_code() -> str:
    """A unified social credit code institutions accepts: type and region digits, 9 characters, the check."""
    body = f"{random.choice('123456789')}{random.choice('123')}110105" + "".join(
        random.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9)
    )
    return body + uscc.calc_check_digit(body)


def _photo() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (413, 579), tuple(random.randint(0, 255) for _ in range(3))).save(buffer, "JPEG")
    return buffer.getvalue()


# --- seeding -----------------------------------------------------------------------------------------------


async def _sign_in(client: httpx.AsyncClient, u: Urls, login: str, password: str) -> str:
    body = await _ok(client, "POST", f"{u.identity}/tokens", json={"login_name": login, "password": password})
    return str(body["access_token"])


async def _staff(client: httpx.AsyncClient, u: Urls, admin: str, role: str, **binding: str) -> dict[str, str]:
    login, password = f"{role[:4]}{uuid.uuid4().hex[:8]}", "Review2026x"
    body = {"role": role, "login_name": login, "password": password, "real_name": "审核员", **binding}
    await _ok(client, "POST", f"{u.identity}/admin/accounts", admin, json=body)
    return {"login": login, "password": password, "token": await _sign_in(client, u, login, password)}


async def _physician(
    client: httpx.AsyncClient, u: Urls, admin: str, institution: str, captcha_answer: str, sms_sink: Path
) -> dict[str, str]:
    """A physician made active over HTTP, with a draft initial registration and its photo: ready to submit."""
    name, id_number, login = "欧阳·明", _id_number(), f"doc{uuid.uuid4().hex[:10]}"
    fwd = _forwarded()
    qualification = {
        "real_name": name, "id_number": id_number, "certificate_code": f"Q{random.randint(10**9, 10**10)}",
        "category": "clinical", "qualified_on": "2020-08-01",
    }  # fmt: skip
    await _ok(client, "POST", f"{u.identity}/admin/qualifications", admin, json=qualification)
    captcha = await _ok(client, "POST", f"{u.identity}/captchas", headers=fwd)
    step1 = {
        "real_name": name, "id_number": id_number, "privacy_consent": True,
        "captcha_id": captcha["captcha_id"], "captcha_answer": captcha_answer,
    }  # fmt: skip
    ticket = (await _ok(client, "POST", f"{u.identity}/registrations", json=step1, headers=fwd))["registration_id"]
    phone, password = f"139{random.randint(10**7, 10**8 - 1)}", "Practice2026"
    step2 = {
        "phone": phone, "email": f"{login}@example.cn", "login_name": login,
        "password": password, "password_confirmation": password,
    }  # fmt: skip
    await _ok(client, "POST", f"{u.identity}/registrations/{ticket}/account", json=step2, headers=fwd)
    token = await _sign_in(client, u, login, password)
    await _ok(client, "POST", f"{u.identity}/me/qualification-check", token, headers=fwd)
    await _ok(client, "POST", f"{u.identity}/me/security-codes", token, json={"channel": "sms"}, headers=fwd)

    async def texts() -> list[str]:
        return read_sms(sms_sink, phone)

    code = CODE.search((await _until(texts, bool, timeout=60))[0])
    if code is None:
        raise BenchError("no code in the SMS")
    body = {"channel": "sms", "code": code.group()}
    await _ok(client, "POST", f"{u.identity}/me/security-verification", token, json=body, headers=fwd)
    await _ok(client, "POST", f"{u.identity}/me/activation-requests", token, json={"institution_id": institution})

    async def me() -> Any:
        return await _ok(client, "GET", f"{u.identity}/me", token)

    await _until(me, lambda m: m["status"] == "active", timeout=60)
    submit = {
        "application_type": "initial_registration", "institution_id": institution,
        "practice_scope": "内科专业", "form": FORM,
    }  # fmt: skip

    async def draft() -> httpx.Response:
        return await client.post(
            f"{u.applications}/applications", json=submit, headers={"Authorization": f"Bearer {token}"}
        )

    made = await _until(draft, lambda r: r.status_code != 409 or "account-" not in r.text, timeout=60)
    if made.status_code != 201:
        raise BenchError(f"draft: {made.status_code} {made.text[:300]}")
    application_id = made.json()["application_id"]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "image/jpeg"}
    photo = await client.put(f"{u.applications}/applications/{application_id}/photo", content=_photo(), headers=headers)
    if photo.status_code != 200:
        raise BenchError(f"photo: {photo.status_code} {photo.text[:300]}")
    return {"login": login, "password": password, "token": token, "application_id": application_id}


async def _seed(
    urls: dict[str, str],
    admin_password: str,
    captcha_answer: str,
    sms_sink: str,
    groups: dict[str, dict[str, Any]],
    parallel: int,
) -> dict[str, Any]:
    """For each group: an institution in its region, its staff, the region's officer and `count` physicians
    with a draft ready to submit."""
    u, sink = Urls.of(urls), Path(sms_sink)
    limits = httpx.Limits(max_connections=parallel * 2)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        admin = await _sign_in(client, u, "admin", admin_password)
        out: dict[str, Any] = {}
        gate = asyncio.Semaphore(parallel)

        async def one(institution: str) -> dict[str, str]:
            async with gate:
                return await _physician(client, u, admin, institution, captcha_answer, sink)

        for name, group in groups.items():
            institution_body = {
                "name": f"第{random.randint(1, 999)}人民医院", "credit_code": _credit_code(),
                "licence_number": "PDY-001", "region_code": group["region"], "level": "三级甲等",
                "auto_activation": True,
            }  # fmt: skip
            made = await _ok(client, "POST", f"{u.institutions}/admin/institutions", admin, json=institution_body)
            institution = made["institution_id"]
            staff = await _staff(client, u, admin, "institution_staff", institution_id=institution)
            officer = await _staff(client, u, admin, "officer", region_code=group["region"])
            physicians = await asyncio.gather(*(one(institution) for _ in range(group["count"])))
            out[name] = {"institution": institution, "staff": staff, "officer": officer, "physicians": physicians}
        return out


def seed(*args: Any) -> dict[str, Any]:
    return asyncio.run(_seed(*args))


# --- raw keep-alive HTTP load (licence verification and its ceiling) ---------------------------------------


async def _raw_connection(
    port: int, request: bytes, stop_at: float, expect: bytes, latencies: list[float], failed: list[int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length")
            )
            payload = await reader.readexactly(length)
            if head.startswith(b"HTTP/1.1 200") and expect in payload:
                latencies.append(time.perf_counter() - started)
            else:
                failed[0] += 1
    finally:
        writer.close()


async def _raw_load(
    port: int, path: str, body: bytes, seconds: float, connections: int, expect: bytes
) -> dict[str, Any]:
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    results: dict[str, Any] = {}
    for phase, duration in (("warm-up", min(2.0, seconds)), ("measured", seconds)):
        latencies: list[float] = []
        failed = [0]
        started = time.monotonic()
        await asyncio.gather(
            *(_raw_connection(port, request, started + duration, expect, latencies, failed) for _ in range(connections))
        )
        results[phase] = {"ok": len(latencies), "failed": failed[0], "elapsed": time.monotonic() - started,
                          "latencies": latencies}  # fmt: skip
    return dict(results["measured"])


def raw_load(port: int, path: str, body: bytes, seconds: float, connections: int, expect: bytes) -> dict[str, Any]:
    return asyncio.run(_raw_load(port, path, body, seconds, connections, expect))


# --- sign-in storm, with a prober of /healthz --------------------------------------------------------------


async def _sign_in_storm(identity: str, login: str, password: str, seconds: float, concurrency: int) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=concurrency + 2)) as client:
        # warm-up
        await _sign_in(client, Urls(identity, "", "", "", ""), login, password)
        stop_at = time.monotonic() + seconds
        ok, failed, probes = [0], [0], []

        async def storm() -> None:
            while time.monotonic() < stop_at:
                response = await client.post(f"{identity}/tokens", json={"login_name": login, "password": password})
                (ok if response.status_code == 200 else failed)[0] += 1

        async def probe() -> None:
            async with httpx.AsyncClient(timeout=30) as own:
                while time.monotonic() < stop_at:
                    started = time.perf_counter()
                    response = await own.get(f"{identity}/healthz")
                    if response.status_code == 200:
                        probes.append(time.perf_counter() - started)
                    await asyncio.sleep(0.01)

        started = time.monotonic()
        await asyncio.gather(probe(), *(storm() for _ in range(concurrency)))
        return {"ok": ok[0], "failed": failed[0], "elapsed": time.monotonic() - started, "probes": probes}


def sign_in_storm(*args: Any) -> dict[str, Any]:
    return asyncio.run(_sign_in_storm(*args))


# --- submissions -------------------------------------------------------------------------------------------


async def _submissions(applications: str, physicians: list[dict[str, str]], concurrency: int) -> dict[str, Any]:
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    failed = [0]
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=concurrency)) as client:

        async def one(p: dict[str, str]) -> None:
            async with gate:
                started = time.perf_counter()
                response = await client.post(
                    f"{applications}/applications/{p['application_id']}/submission",
                    headers={"Authorization": f"Bearer {p['token']}"},
                )
                if response.status_code == 200:
                    latencies.append(time.perf_counter() - started)
                else:
                    failed[0] += 1

        started = time.monotonic()
        await asyncio.gather(*(one(p) for p in physicians))
        return {
            "ok": len(latencies),
            "failed": failed[0],
            "elapsed": time.monotonic() - started,
            "latencies": latencies,
        }


def submissions(*args: Any) -> dict[str, Any]:
    return asyncio.run(_submissions(*args))


# --- hand-off: institution decision committed -> authority task visible -------------------------------------


async def _tasks(client: httpx.AsyncClient, url: str, token: str) -> list[dict[str, Any]]:
    return list(await _ok(client, "GET", url, token))


async def _hand_offs(urls: dict[str, str], group: dict[str, Any], count: int, timeout: float) -> dict[str, Any]:
    u = Urls.of(urls)
    staff, officer = group["staff"]["token"], group["officer"]["token"]
    wanted = [p["application_id"] for p in group["physicians"][:count]]
    latencies: list[float] = []
    async with httpx.AsyncClient(timeout=30) as client:
        review_url = f"{u.institutions}/review-tasks?status=open&limit=200"
        open_tasks = await _until(
            lambda: _tasks(client, review_url, staff),
            lambda ts: set(wanted) <= {t["application_id"] for t in ts},
            timeout=timeout,
        )
        by_application = {t["application_id"]: t["task_id"] for t in open_tasks}
        authority_url = f"{u.licensing}/authority-tasks?status=open&limit=200"
        for application_id in wanted:
            body = {"outcome": "approved", "reason": None}
            await _ok(client, "POST", f"{u.institutions}/review-tasks/{by_application[application_id]}/decision",
                      staff, json=body)  # fmt: skip
            committed = time.perf_counter()
            deadline = time.monotonic() + timeout
            while True:
                tasks = await _tasks(client, authority_url, officer)
                if any(t["application_id"] == application_id for t in tasks):
                    latencies.append(time.perf_counter() - committed)
                    break
                if time.monotonic() > deadline:
                    raise BenchError(f"no authority task for {application_id} after {timeout} s")
                await asyncio.sleep(0.005)
    return {"latencies": latencies}


def hand_offs(*args: Any) -> dict[str, Any]:
    return asyncio.run(_hand_offs(*args))


# --- whole journeys ----------------------------------------------------------------------------------------


async def _journeys(urls: dict[str, str], group: dict[str, Any], concurrency: int, timeout: float) -> dict[str, Any]:
    """submit -> institution approves -> authority approves -> registered -> licence claimed -> notification."""
    u = Urls.of(urls)
    staff, officer = group["staff"]["token"], group["officer"]["token"]
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    failures: list[str] = []
    limits = httpx.Limits(max_connections=concurrency * 2 + 4)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:

        async def task_of(url: str, token: str, application_id: str) -> str:
            tasks = await _until(
                lambda: _tasks(client, url, token),
                lambda ts: any(t["application_id"] == application_id for t in ts),
                timeout=timeout,
            )
            return str(next(t["task_id"] for t in tasks if t["application_id"] == application_id))

        async def one(p: dict[str, str]) -> None:
            token, application_id = p["token"], p["application_id"]
            async with gate:
                started = time.perf_counter()
                try:
                    await _ok(client, "POST", f"{u.applications}/applications/{application_id}/submission", token)
                    review = await task_of(
                        f"{u.institutions}/review-tasks?status=open&limit=200", staff, application_id
                    )
                    approve = {"outcome": "approved", "reason": None}
                    await _ok(client, "POST", f"{u.institutions}/review-tasks/{review}/decision", staff, json=approve)
                    authority = await task_of(f"{u.licensing}/authority-tasks?status=open&limit=200", officer,
                                              application_id)  # fmt: skip
                    await _ok(client, "POST", f"{u.licensing}/authority-tasks/{authority}/decision", officer,
                              json=approve)  # fmt: skip
                    await _until(
                        lambda: _ok(client, "GET", f"{u.licensing}/registrations/me", token, headers={}),
                        lambda r: r.get("status") == "valid",
                        timeout=timeout,
                    )

                    async def claim() -> httpx.Response:
                        return await client.post(
                            f"{u.licensing}/licences/me", headers={"Authorization": f"Bearer {token}"}
                        )

                    await _until(claim, lambda r: r.status_code in (200, 201), timeout=timeout)
                    await _until(
                        lambda: _ok(client, "GET", f"{u.notifications}/inbox", token),
                        lambda ms: APPROVED_TITLE in [m["title"] for m in ms],
                        timeout=timeout,
                    )
                except BenchError as error:
                    failures.append(str(error))
                    return
                latencies.append(time.perf_counter() - started)

        started = time.monotonic()
        await asyncio.gather(*(one(p) for p in group["physicians"]))
        return {"ok": len(latencies), "failures": failures, "elapsed": time.monotonic() - started,
                "latencies": latencies}  # fmt: skip


def journeys(*args: Any) -> dict[str, Any]:
    return asyncio.run(_journeys(*args))


async def _a_licence(licensing: str, token: str) -> str:
    async with httpx.AsyncClient(timeout=30) as client:
        return str((await _ok(client, "POST", f"{licensing}/licences/me", token))["document"])


def a_licence(licensing: str, token: str) -> str:
    return asyncio.run(_a_licence(licensing, token))


# --- reads: each person's own pages and the work queues (the soak, and row 6's figures) ----------------------


def read_paths(urls: dict[str, str], group: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """What a physician, a reviewer and an officer read most, each with the token it needs."""
    u = Urls.of(urls)
    physician = group["physicians"][0]["token"]
    return {
        "physician's registration": (f"{u.licensing}/registrations/me", physician),
        "physician's applications": (f"{u.applications}/applications", physician),
        "physician's inbox": (f"{u.notifications}/inbox", physician),
        "review queue": (f"{u.institutions}/review-tasks?status=open&limit=50", group["staff"]["token"]),
        "authority queue": (f"{u.licensing}/authority-tasks?status=open&limit=50", group["officer"]["token"]),
    }


async def _reads(paths: dict[str, tuple[str, str]], seconds: float, concurrency: int) -> dict[str, Any]:
    """Each path read over and over by `concurrency` clients for `seconds`; the latencies of each."""
    latencies: dict[str, list[float]] = {name: [] for name in paths}
    failed = [0]
    stop_at = time.monotonic() + seconds
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=concurrency)) as client:

        async def reader(offset: int) -> None:
            names = list(paths)
            n = offset
            while time.monotonic() < stop_at:
                name = names[n % len(names)]
                url, token = paths[name]
                started = time.perf_counter()
                response = await client.get(url, headers={"Authorization": f"Bearer {token}"})
                if response.status_code == 200:
                    latencies[name].append(time.perf_counter() - started)
                else:
                    failed[0] += 1
                n += 1

        await asyncio.gather(*(reader(i) for i in range(concurrency)))
    return {"latencies": latencies, "failed": failed[0]}


def reads(paths: dict[str, tuple[str, str]], seconds: float, concurrency: int) -> dict[str, Any]:
    return asyncio.run(_reads(paths, seconds, concurrency))
