"""The yardstick: a bare FastAPI JSON endpoint taking the same request body as licence verification."""

from datetime import UTC, datetime

from fastapi import FastAPI
from pydantic import BaseModel, Field

app = FastAPI()


class VerificationRequest(BaseModel):
    licence: str = Field(min_length=1, max_length=8192)


@app.post("/licences/verifications")
async def verify(body: VerificationRequest) -> dict[str, object]:
    return {"result": "valid", "reason": "active", "length": len(body.licence), "checked_at": datetime.now(UTC)}
