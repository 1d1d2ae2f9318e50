"""`make demo`: a living demo data set on the running `make dev` stack, made only through the services' public HTTP
interfaces (as the admin, the staff, the officers and the physicians would), then a list of the sign-in names to try
in the portal.

Institutions in two regions (Beijing Chaoyang, Shanghai Huangpu), their staff and the regions' officers; physicians
in every account state; applications in every state; registrations valid, filed and deregistered, and so licences
valid, suspended and revoked. Every demo account shares one password, made at the first run and kept with the list
in `.dev/demo.json`. A second run changes nothing: it says the data is there and prints the list again.

The physicians' self-registration answers the captcha with the development stack's captcha answer
(`IDENTITY_CAPTCHA_TEST_ANSWER` in `.dev/secrets.json`; the picture shows it too) and reads the SMS codes from the
development SMS sink (`.dev/sms.jsonl`), as a person would read them from the phone.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import secrets
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from PIL import Image
from stdnum.cn import ric, uscc

from devstack.channels import read_sms

DEV_PORTS = {"identity": 8001, "applications": 8002, "institutions": 8003, "notifications": 8004, "licensing": 8005}
PREFIX = "demo"  # every demo account's login name starts with it
BEIJING, SHANGHAI = "110105", "310101"
FORM = {
    "education": "本科", "graduated_from": "北京大学医学部", "major": "临床医学", "contact_phone": "13912345678",
    "mailing_address": "北京市朝阳区建国路1号", "work_history": "2015–2020 住院医师",
}  # fmt: skip
CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")


ROLES = ("physician", "institution_staff", "officer")


class DemoRefused(Exception):
    """The demo cannot be made here (already made, or made in part); the message says what to do."""


@dataclass(frozen=True)
class Target:
    """Where the demo goes: the services' addresses, the admin's password, the captcha answer, the SMS sink."""

    urls: dict[str, str]
    admin_password: str
    captcha_answer: str
    sms_messages: Callable[[str], list[str]]  # the texts a phone number received, oldest first
    workdir: Path  # where demo.json is kept

    @classmethod
    def dev(cls, workdir: Path) -> Target:
        """The `make dev` stack whose secrets and sinks are in `workdir` (`.dev`)."""
        path = workdir / "secrets.json"
        if not path.exists():
            raise DemoRefused(f"no {path}: start the stack with `make dev` first (in another terminal)")
        kept = json.loads(path.read_text())
        if "IDENTITY_CAPTCHA_TEST_ANSWER" not in kept:
            raise DemoRefused("the running `make dev` predates `make demo`: stop it and start it again")
        urls = {service: f"http://127.0.0.1:{port}" for service, port in DEV_PORTS.items()}
        sink = workdir / "sms.jsonl"
        return cls(urls, kept["IDENTITY_BOOTSTRAP_ADMIN_PASSWORD"], kept["IDENTITY_CAPTCHA_TEST_ANSWER"],
                   lambda phone: read_sms(sink, phone), workdir)  # fmt: skip


@dataclass(frozen=True)
class SignIn:
    """One line of the printed list."""

    login_name: str
    role: str
    portal: str
    what: str


def eventually(fetch: Callable[[], Any], accept: Callable[[Any], bool], *, timeout: float = 120.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if accept(value):
            return value
        if time.monotonic() > deadline:
            raise RuntimeError(f"the demo waited {timeout:.0f} s in vain; last answer: {value!r}")
        time.sleep(0.2)


HTTP = httpx.Client(timeout=30, limits=httpx.Limits(max_connections=20))  # one pool for everyone (thread-safe)


class Client:
    """One person's calls to the services; a 429 is waited out as its Retry-After says, and an access token that
    expired (15 minutes; a loaded machine may take longer than that) is renewed by signing in again."""

    def __init__(self, target: Target, sign_in: tuple[str, str] | None = None) -> None:
        self.target, self.credentials = target, sign_in
        self.token: str | None = None
        if sign_in:
            self.renew()

    def renew(self) -> None:
        login_name, password = self.credentials or ("", "")
        body = Client(self.target).ok("POST", "identity", "/tokens", json={"login_name": login_name,
                                                                              "password": password})  # fmt: skip
        self.token = body["access_token"]

    def call(self, method: str, service: str, path: str, **kwargs: Any) -> httpx.Response:
        given = kwargs.pop("headers", {})
        for _ in range(60):
            headers = {**given, **({"Authorization": f"Bearer {self.token}"} if self.token else {})}
            response = HTTP.request(method, f"{self.target.urls[service]}{path}", headers=headers, **kwargs)
            if response.status_code == 401 and self.credentials:
                self.renew()
            elif response.status_code == 429:
                time.sleep(min(float(response.headers.get("Retry-After", "1")), 10.0))
            else:
                return response
        return response

    def ok(self, method: str, service: str, path: str, **kwargs: Any) -> Any:
        response = self.call(method, service, path, **kwargs)
        if response.status_code >= 300:
            raise RuntimeError(f"{method} {service}{path}: {response.status_code} {response.text}")
        return response.json() if response.content else None


def sign_in(target: Target, login_name: str, password: str) -> Client:
    return Client(target, (login_name, password))


def an_id_number(rng: random.Random) -> str:
    first17 = f"110105{rng.randint(1965, 1995)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}{rng.randint(100, 999)}"
    return first17 + ric.calc_check_digit(first17 + "0")  # it reads the first 17 of 18


def a_credit_code(rng: random.Random, region: str) -> str:
    body = f"12{region}" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body)


def a_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (413, 579), (random.randint(0, 255), 200, 220)).save(buffer, "JPEG")  # noqa: S311
    return buffer.getvalue()


class Demo:
    """The demo's people and places as they are made; `made` is the printed list."""

    def __init__(self, target: Target, password: str) -> None:
        self.target, self.password = target, password
        self.admin = sign_in(target, "admin", target.admin_password)
        self.rng = random.Random()  # noqa: S311 - demo data, not secrets
        self.made: list[SignIn] = []
        self.lock = threading.Lock()
        self.institutions: dict[str, str] = {}  # login suffix -> institution id
        self.staff: dict[str, Client] = {}  # institution id -> its staff
        self.officers: dict[str, Client] = {}  # region code -> its officer

    def note(self, made: SignIn) -> None:
        with self.lock:
            self.made.append(made)

    def institution(self, key: str, name: str, region: str) -> str:
        body = {"name": name, "credit_code": a_credit_code(self.rng, region), "licence_number": f"PDY{key.upper()}",
                "region_code": region, "level": "三级甲等", "auto_activation": True}  # fmt: skip
        institution_id = str(self.admin.ok("POST", "institutions", "/admin/institutions", json=body)["institution_id"])
        self.institutions[key] = institution_id
        self.bj, self.sh = self.institutions.get("bj1", ""), self.institutions.get("sh1", "")
        login = self.operator("institution_staff", f"staff{key}", f"{name}的审核员", institution_id=institution_id)
        self.staff[institution_id] = login
        return institution_id

    def operator(self, role: str, suffix: str, what: str, **binding: str) -> Client:
        login = f"{PREFIX}{suffix}"
        body = {"role": role, "login_name": login, "password": self.password, "real_name": "演示审核员", **binding}
        self.admin.ok("POST", "identity", "/admin/accounts", json=body)
        portal = "机构端 (institution)" if role == "institution_staff" else "卫生健康行政部门 (authority)"
        self.note(SignIn(login, role, portal, what))
        return sign_in(self.target, login, self.password)

    def physician(self, suffix: str, name: str, what: str, *, until: str, in_registry: bool = True,
                  institution: str | None = None) -> Client:  # fmt: skip
        """A physician registered by themselves, taken `until` one of registered, unverified, verified, secured,
        active (activated by `institution`, whose activation is automatic)."""
        login, id_number = f"{PREFIX}{suffix}", an_id_number(self.rng)
        certificate = f"Q{self.rng.randint(10**11, 10**12 - 1)}"
        if in_registry:
            qualification = {"real_name": name, "id_number": id_number, "certificate_code": certificate,
                             "category": "clinical", "qualified_on": "2016-08-01"}  # fmt: skip
            self.admin.ok("POST", "identity", "/admin/qualifications", json=qualification)
        phone = f"139{self.rng.randint(10**7, 10**8 - 1)}"
        self.register(name, id_number, login, phone)
        self.note(SignIn(login, "physician", "个人端 (personal)", what))
        me = sign_in(self.target, login, self.password)
        steps = ("registered", "checked", "secured", "active")
        wanted = steps.index("checked" if until in ("unverified", "verified") else until)
        if wanted >= 1:
            me.ok("POST", "identity", "/me/qualification-check")
        if wanted >= 2:
            self.prove_phone(me, phone)
        if wanted >= 3:
            me.ok("POST", "identity", "/me/activation-requests", json={"institution_id": institution})
            eventually(lambda: me.ok("GET", "identity", "/me"), lambda m: m["status"] == "active")
        return me

    def register(self, name: str, id_number: str, login: str, phone: str) -> None:
        anonymous = Client(self.target)
        captcha = anonymous.ok("POST", "identity", "/captchas")
        step1 = {"real_name": name, "id_number": id_number, "privacy_consent": True,
                 "captcha_id": captcha["captcha_id"], "captcha_answer": self.target.captcha_answer}  # fmt: skip
        ticket = anonymous.ok("POST", "identity", "/registrations", json=step1)["registration_id"]
        step2 = {"phone": phone, "email": f"{login}@example.cn", "login_name": login, "password": self.password,
                 "password_confirmation": self.password}  # fmt: skip
        anonymous.ok("POST", "identity", f"/registrations/{ticket}/account", json=step2)

    def prove_phone(self, me: Client, phone: str) -> None:
        seen = len(self.target.sms_messages(phone))
        me.ok("POST", "identity", "/me/security-codes", json={"channel": "sms"})
        texts = eventually(lambda: self.target.sms_messages(phone), lambda ts: len(ts) > seen)
        found = CODE.search(texts[seen])
        if found is None:
            raise RuntimeError(f"no code in the SMS {texts[seen]!r}")
        me.ok("POST", "identity", "/me/security-verification", json={"channel": "sms", "code": found.group()})


def draft(me: Client, body: dict[str, Any], photo: bool = False) -> str:
    created = eventually(lambda: me.call("POST", "applications", "/applications", json=body),
                         lambda r: r.status_code != 409 or "account-" not in r.text)  # fmt: skip
    if created.status_code != 201:
        raise RuntimeError(f"the draft was refused: {created.text}")
    application_id = str(created.json()["application_id"])
    if photo:
        path = f"/applications/{application_id}/photo"
        put = me.call("PUT", "applications", path, content=a_photo(), headers={"Content-Type": "image/jpeg"})
        if put.status_code != 200:
            raise RuntimeError(f"the photo was refused: {put.text}")
    return application_id


def submitted(me: Client, body: dict[str, Any], photo: bool = False) -> str:
    application_id = draft(me, body, photo)
    me.ok("POST", "applications", f"/applications/{application_id}/submission")
    return application_id


def status_is(me: Client, application_id: str, status: str) -> None:
    eventually(lambda: me.ok("GET", "applications", f"/applications/{application_id}"), lambda a: a["status"] == status)


def decide(reviewer: Client, service: str, tasks: str, application_id: str, outcome: str) -> None:
    listed = eventually(lambda: reviewer.ok("GET", service, f"/{tasks}?status=open&limit=200"),
                        lambda ts: any(t["application_id"] == application_id for t in ts))  # fmt: skip
    task = next(t for t in listed if t["application_id"] == application_id)
    body = {"outcome": outcome, "reason": None if outcome == "approved" else "材料不全，请补充后重新申请"}
    reviewer.ok("POST", service, f"/{tasks}/{task['task_id']}/decision", json=body)


def initial(institution_id: str) -> dict[str, Any]:
    return {"application_type": "initial_registration", "institution_id": institution_id,
            "practice_scope": "内科专业", "form": FORM}  # fmt: skip


def approved(demo: Demo, me: Client, institution_id: str, region: str, body: dict[str, Any],
             photo: bool = False) -> str:  # fmt: skip
    """Filed, approved by the institution and the region's officer."""
    application_id = submitted(me, body, photo)
    decide(demo.staff[institution_id], "institutions", "review-tasks", application_id, "approved")
    decide(demo.officers[region], "licensing", "authority-tasks", application_id, "approved")
    status_is(me, application_id, "approved")
    return application_id


def licensed(demo: Demo, suffix: str, name: str, what: str, institution_id: str, region: str) -> Client:
    """Registered at `institution_id` and holding the electronic licence."""
    me = demo.physician(suffix, name, what, until="active", institution=institution_id)
    approved(demo, me, institution_id, region, initial(institution_id), photo=True)
    eventually(lambda: me.call("POST", "licensing", "/licences/me"), lambda r: r.status_code < 300)
    return me


def licence_is(me: Client, status: str) -> None:
    eventually(lambda: me.ok("GET", "licensing", "/licences/me"), lambda licence: licence["status"] == status)


def registered(demo: Demo) -> None:
    demo.physician("registered", "赵一", "账户已注册，未做资格核验 (account registered)", until="registered")


def unverified(demo: Demo) -> None:
    demo.physician("unverified", "钱二", "资格核验未通过 (unverified: not in the registry)", until="unverified",
                   in_registry=False)  # fmt: skip


def verified(demo: Demo) -> None:
    demo.physician("verified", "孙三", "资格已核验，手机未验证 (verified)", until="verified")


def secured(demo: Demo) -> None:
    demo.physician("secured", "李四", "手机已验证，等待激活 (secured, awaiting activation)", until="secured")


def disabled(demo: Demo) -> None:
    gone = demo.physician("disabled", "吴六", "账户已停用 (disabled)", until="active", institution=demo.bj)
    account_id = gone.ok("GET", "identity", "/me")["account_id"]
    demo.admin.ok("POST", "identity", f"/admin/accounts/{account_id}/disable", json={"reason": "演示：停用账户"})


def in_review(demo: Demo) -> None:
    what = "已激活；执业注册待机构审核，另有一份草稿 (active; institution review; a draft)"
    me = demo.physician("review", "郑七", what, until="active", institution=demo.sh)
    status_is(me, submitted(me, initial(demo.sh), photo=True), "institution_review")
    draft(me, initial(demo.sh))


def at_authority(demo: Demo) -> None:
    what = "执业注册待卫生健康行政部门审批 (authority review)"
    me = demo.physician("authority", "王八", what, until="active", institution=demo.bj)
    application_id = submitted(me, initial(demo.bj), photo=True)
    decide(demo.staff[demo.bj], "institutions", "review-tasks", application_id, "approved")
    status_is(me, application_id, "authority_review")


def rejected_and_withdrawn(demo: Demo) -> None:
    what = "执业注册一份被机构退回，一份已撤回 (one rejected, one withdrawn)"
    me = demo.physician("rejected", "冯九", what, until="active", institution=demo.bj)
    application_id = submitted(me, initial(demo.bj), photo=True)
    decide(demo.staff[demo.bj], "institutions", "review-tasks", application_id, "rejected")
    status_is(me, application_id, "rejected")
    application_id = submitted(me, initial(demo.bj), photo=True)
    me.ok("POST", "applications", f"/applications/{application_id}/withdrawal", json={"reason": "演示：撤回"})
    status_is(me, application_id, "withdrawn")


def valid_licence(demo: Demo) -> None:
    licensed(demo, "licensed", "褚明", "注册有效，电子证照有效 (approved; licence valid)", demo.sh, SHANGHAI)


def suspended_licence(demo: Demo) -> None:
    me = licensed(demo, "filed", "卫东", "执业备案，证照暂停 (filed; licence suspended)", demo.bj, BEIJING)
    filing = {"application_type": "practice_filing", "reason": "retired", "remark": "年满退休"}
    approved(demo, me, demo.bj, BEIJING, filing)
    licence_is(me, "suspended")


def revoked_licence(demo: Demo) -> None:
    what = "已注销，证照吊销；多点执业备案被系统关闭 (deregistered; licence revoked; a multi-site filing closed)"
    me = licensed(demo, "deregistered", "蒋华", what, demo.bj, BEIJING)
    today = date.today()
    multi_site = {"application_type": "multi_site_filing", "institution_id": demo.institutions["bj2"], "form": FORM,
                  "starts_on": str(today + timedelta(days=1)), "ends_on": str(today + timedelta(days=180))}  # fmt: skip
    pending = submitted(me, multi_site)
    leaving = {"application_type": "deregistration", "reason": "health", "remark": "因病"}
    approved(demo, me, demo.bj, BEIJING, leaving)
    status_is(me, pending, "closed")
    licence_is(me, "revoked")


PHYSICIANS = (registered, unverified, verified, secured, disabled, in_review, at_authority, rejected_and_withdrawn,
              valid_licence, suspended_licence, revoked_licence)  # fmt: skip


def physicians(demo: Demo) -> None:
    """Every physician's story, a few at a time (most of each is waiting for the services' events)."""
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        stories = {pool.submit(story, demo): story.__name__ for story in PHYSICIANS}
        for done in as_completed(stories):
            done.result()
            print(f"  {stories[done]}: done at {time.monotonic() - started:.0f} s", flush=True)


def seed(target: Target) -> list[SignIn]:
    """Make the demo data set on `target`, or DemoRefused if it is there (or was begun) already; the sign-ins."""
    kept = target.workdir / "demo.json"
    admin = sign_in(target, "admin", target.admin_password)
    there = admin.ok("GET", "identity", "/admin/accounts", params={"q": PREFIX, "limit": 100})
    if any(a["login_name"].startswith(PREFIX) for a in there):
        if kept.exists() and json.loads(kept.read_text()).get("complete"):
            raise DemoRefused("the demo data is there already; nothing was changed")
        raise DemoRefused(
            f"an earlier `make demo` stopped part way (its accounts exist, {kept} does not say it "
            "finished): start from a fresh database, e.g. `make dev` with another database"
        )
    demo = Demo(target, f"Demo{secrets.token_hex(4)}")
    _keep(kept, demo, complete=False)
    demo.institution("bj1", "北京市朝阳区演示医院", BEIJING)
    demo.institution("bj2", "北京市朝阳区演示社区卫生服务中心", BEIJING)
    demo.institution("sh1", "上海市黄浦区演示医院", SHANGHAI)
    demo.officers[BEIJING] = demo.operator("officer", "officerbj", "北京市朝阳区卫生健康委审批", region_code=BEIJING)
    demo.officers[SHANGHAI] = demo.operator("officer", "officersh", "上海市黄浦区卫生健康委审批", region_code=SHANGHAI)
    physicians(demo)
    demo.made.sort(key=lambda s: ROLES.index(s.role))
    _keep(kept, demo, complete=True)
    return demo.made


def _keep(path: Path, demo: Demo, *, complete: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    made = [asdict(s) for s in demo.made]
    path.write_text(json.dumps({"complete": complete, "password": demo.password, "sign_ins": made},
                               ensure_ascii=False, indent=2))  # fmt: skip
    path.chmod(0o600)


def kept_sign_ins(workdir: Path) -> tuple[str, list[SignIn]]:
    """The password and sign-ins the finished demo wrote down."""
    kept = json.loads((workdir / "demo.json").read_text())
    return kept["password"], [SignIn(**s) for s in kept["sign_ins"]]


def print_sign_ins(gateway: str, password: str, made: list[SignIn], workdir: Path) -> None:
    print(f"\nDemo sign-in names (open {gateway}; every one's password: {password}, kept in {workdir / 'demo.json'}):")
    for s in made:
        print(f"  {s.login_name:<20} {s.role:<18} {s.portal:<26} {s.what}")
    print(
        "The admin is `admin`, with IDENTITY_BOOTSTRAP_ADMIN_PASSWORD from "
        f"{workdir / 'secrets.json'}; SMS codes are in {workdir / 'sms.jsonl'}, e-mails in {workdir / 'mail'}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="devstack.demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--workdir", type=Path, default=Path(".dev"), help="the `make dev` work directory")
    parser.add_argument("--gateway", default="http://127.0.0.1:8080", help="the address people open")
    args = parser.parse_args()
    try:
        target = Target.dev(args.workdir.resolve())
        print("making the demo data through the services' APIs (a minute or two) ...", flush=True)
        made, password = seed(target), kept_sign_ins(target.workdir)[0]
    except DemoRefused as refused:
        print(f"make demo: {refused}", file=sys.stderr)
        if not (args.workdir / "demo.json").exists() or "already" not in str(refused):
            sys.exit(1)
        password, made = kept_sign_ins(args.workdir.resolve())
    except httpx.ConnectError:
        print("make demo: the services do not answer; start them with `make dev` first", file=sys.stderr)
        sys.exit(1)
    print_sign_ins(args.gateway, password, made, args.workdir.resolve())


if __name__ == "__main__":
    main()
