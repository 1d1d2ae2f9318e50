from fastapi import Depends, FastAPI
from pydantic import BaseModel

from contracts.enums import Role
from regsys_runtime.auth import CurrentPrincipal, require_role
from regsys_runtime.openapi import undeclared_errors
from regsys_runtime.problems import problem_responses


class Body(BaseModel):
    name: str


def test_endpoints_that_do_not_declare_their_errors_are_named():
    app = FastAPI()

    @app.post("/plain")
    async def plain(body: Body) -> None: ...

    @app.get("/mine", responses=problem_responses(422))
    async def mine(principal: CurrentPrincipal) -> None: ...

    @app.get("/admin", responses=problem_responses(401))
    async def admin(principal=Depends(require_role(Role.ADMIN))) -> None: ...

    @app.post("/declared", responses=problem_responses(401, 403, 422))
    async def declared(body: Body, principal=Depends(require_role(Role.ADMIN))) -> None: ...

    @app.get("/open")
    async def open_() -> None: ...

    assert undeclared_errors(app) == [
        "GET /admin: missing 403",
        "GET /mine: missing 401",
        "GET /open: missing any 4xx",
        "POST /plain: missing 422",
    ]
