"""After `docker compose down` and `up` (volumes kept): the physicians of the scaled batch sign in again and find
their approved application, their register entry and their licence, which still verifies.

Runs only against the composed system, with the file the scaled batch wrote (REGSYS_SURVIVAL_FILE: .ci/run).
"""

import json
import os
from pathlib import Path

import pytest

from devstack.composed import ComposedStack
from devstack.pytest_plugin import compose_mode
from e2e.journeys import Client, sign_in

SURVIVORS = os.environ.get("REGSYS_SURVIVAL_FILE", "")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not (compose_mode() and SURVIVORS and Path(SURVIVORS).exists()), reason="needs the batch's survivors file"
    ),
]


def test_what_the_batch_did_is_still_there_after_down_and_up(running_stack: ComposedStack):
    survivors = json.loads(Path(SURVIVORS).read_text())
    assert survivors
    for survivor in survivors:
        physician = sign_in(running_stack, survivor["login"], survivor["password"])
        application = physician.ok("GET", "applications", f"/applications/{survivor['application_id']}")
        assert application["status"] == "approved"
        assert physician.ok("GET", "licensing", "/registrations/me")["status"] == "valid"
        claimed = physician.ok("POST", "licensing", "/licences/me")
        assert claimed["licence_id"] == survivor["licence_id"], "the same licence, not a new one"
        verdict = Client(running_stack).ok(
            "POST", "licensing", "/licences/verifications", json={"licence": survivor["document"]}
        )
        assert (verdict["result"], verdict["reason"]) == ("valid", "active")
    print(f"{len(survivors)} physicians found everything again after down + up")
