import time
import uuid

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Depends, FastAPI
from jwt.algorithms import OKPAlgorithm
from pydantic import BaseModel

from contracts.enums import Role
from regsys_runtime.app import single_valued_query
from regsys_runtime.auth import CurrentPrincipal, Principal, TokenVerifier, http_jwks, require_role
from regsys_runtime.problems import Problem, install_problem_handlers


def signing_key():
    private = Ed25519PrivateKey.generate()
    jwk = OKPAlgorithm.to_jwk(private.public_key(), as_dict=True)
    return private, {**jwk, "kid": uuid.uuid4().hex, "alg": "EdDSA", "use": "sig"}


def token(private, kid, **overrides):
    now = int(time.time())
    claims = {
        "sub": str(uuid.uuid4()),
        "role": "physician",
        "typ": "access",
        "iss": "regsys-identity",
        "aud": "regsys",
        "iat": now,
        "exp": now + 300,
        **overrides,
    }
    return jwt.encode(
        {k: v for k, v in claims.items() if v is not None}, private, algorithm="EdDSA", headers={"kid": kid}
    )


@pytest.fixture
def keys():
    return [signing_key()]


@pytest.fixture
def verifier(keys):
    jwks_app = FastAPI()

    @jwks_app.get("/jwks")
    def jwks():
        return {"keys": [public for _, public in keys]}

    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=jwks_app), base_url="http://identity")
    return TokenVerifier(
        http_jwks(client, "http://identity/jwks"), issuer="regsys-identity", audience="regsys", min_refetch_seconds=0
    )


async def test_a_valid_token_gives_its_principal(keys, verifier):
    private, public = keys[0]
    institution = uuid.uuid4()
    principal = await verifier.verify(
        token(private, public["kid"], role="institution_staff", institution_id=str(institution))
    )
    assert principal.role is Role.INSTITUTION_STAFF
    assert principal.institution_id == institution


@pytest.mark.parametrize(
    ("overrides", "detail"),
    [
        ({"exp": int(time.time()) - 10}, "expired"),
        ({"aud": "elsewhere"}, "not valid"),
        ({"iss": "someone"}, "not valid"),
        ({"typ": "refresh"}, "not an access token"),
        ({"role": None}, "not valid"),
        ({"role": "superuser"}, "unknown claims"),
    ],
)
async def test_bad_tokens_are_refused_with_a_reason(keys, verifier, overrides, detail):
    private, public = keys[0]
    with pytest.raises(Problem, match=detail) as caught:
        await verifier.verify(token(private, public["kid"], **overrides))
    assert caught.value.status == 401


async def test_a_token_signed_by_a_stranger_is_refused(keys, verifier):
    stranger, _ = signing_key()
    with pytest.raises(Problem, match="not valid"):
        await verifier.verify(token(stranger, keys[0][1]["kid"]))


async def test_a_rotated_in_key_is_fetched_when_first_seen(keys, verifier):
    await verifier.verify(token(keys[0][0], keys[0][1]["kid"]))
    keys.append(signing_key())
    principal = await verifier.verify(token(keys[1][0], keys[1][1]["kid"]))
    assert principal.role is Role.PHYSICIAN


class Thing(BaseModel):
    phone: str
    count: int


def app_with(verifier) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.runtime = type("R", (), {"verifier": verifier})()

    @app.post("/things")
    async def create(thing: Thing, principal: CurrentPrincipal):
        return {"by": str(principal.account_id)}

    @app.get("/admin-only", dependencies=[Depends(require_role(Role.ADMIN))])
    async def admin_only():
        return {}

    @app.get("/boom")
    async def boom():
        raise RuntimeError("secret internals")

    return app


async def test_problem_responses_for_validation_auth_role_and_crashes(keys, verifier):
    private, public = keys[0]
    transport = httpx.ASGITransport(app=app_with(verifier), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        anonymous = await client.post("/things", json={"phone": "1", "count": 1})
        assert anonymous.status_code == 401
        assert anonymous.headers["content-type"] == "application/problem+json"
        assert anonymous.headers["www-authenticate"].startswith("Bearer")
        auth = {"Authorization": f"Bearer {token(private, public['kid'])}"}
        invalid = await client.post("/things", json={"count": "many"}, headers=auth)
        body = invalid.json()
        assert invalid.status_code == 422
        assert {e["field"] for e in body["errors"]} == {"phone", "count"}
        assert body["type"].endswith("/invalid-request")
        forbidden = await client.get("/admin-only", headers=auth)
        assert forbidden.status_code == 403
        assert "admin" in forbidden.json()["detail"]
        crash = await client.get("/boom")
        assert crash.status_code == 500
        assert "secret internals" not in crash.text
        missing = await client.get("/nowhere")
        assert missing.status_code == 404 and missing.json()["status"] == 404


async def test_a_body_that_is_not_even_text_is_an_invalid_request_like_broken_json(keys, verifier):
    private, public = keys[0]
    transport = httpx.ASGITransport(app=app_with(verifier), raise_app_exceptions=False)
    headers = {"Authorization": f"Bearer {token(private, public['kid'])}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        answers = [await client.post("/things", content=body, headers=headers) for body in (b"\xff\xfe{", b"{")]
    for answer in answers:
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["type"].endswith("/invalid-request")
    assert answers[0].json()["errors"] == [{"field": "body", "message": "请求内容不是有效的 JSON。"}]


async def test_a_query_parameter_given_twice_where_the_route_takes_one_is_refused_not_cut_to_the_last():
    app = FastAPI(dependencies=[Depends(single_valued_query)])
    install_problem_handlers(app)

    @app.get("/search")
    async def search(name: str | None = None, page: int = 1):
        return {"name": name, "page": page}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        twice = await client.get("/search?name=a&name=b&page=1&page=2&other=x&other=y")
        once = await client.get("/search?name=a&page=2&other=x&other=y")
    assert twice.status_code == 422, twice.text
    assert twice.headers["content-type"] == "application/problem+json"
    assert twice.json()["errors"] == [{"field": f, "message": "此参数只能填写一次。"} for f in ("name", "page")]
    assert once.json() == {"name": "a", "page": 2}  # a parameter the route does not take is no one's business


def test_principal_claims_round_trip():
    p = Principal(account_id=uuid.uuid4(), role=Role.OFFICER, region_code="440300")
    assert Principal.from_claims(p.claims()) == p


def test_the_openapi_document_declares_the_bearer_scheme_on_protected_operations():
    app = FastAPI()

    @app.get("/me")
    async def me(principal: CurrentPrincipal) -> dict[str, str]:
        return {"id": str(principal.account_id)}

    document = app.openapi()
    assert document["components"]["securitySchemes"]["HTTPBearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An access token from identity's POST /sessions.",
    }
    assert document["paths"]["/me"]["get"]["security"] == [{"HTTPBearer": []}]
