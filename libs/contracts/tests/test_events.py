import json
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import pytest

from contracts import CATALOGUE, ContractError, Envelope, Event, UnknownEvent, event
from contracts.__main__ import export_schemas, schema_documents
from contracts.applications.v1 import ApplicationDetails, ApplicationSubmitted
from contracts.enums import ApplicationType, PracticeCategory, ReviewOutcome
from contracts.institutions.v1 import ReviewCompleted
from contracts.topics import ALL_TOPICS, Topic

SCHEMAS = Path(__file__).parents[1] / "schemas"


def submitted() -> ApplicationSubmitted:
    return ApplicationSubmitted(
        application_id=uuid4(),
        account_id=uuid4(),
        application_type=ApplicationType.INITIAL_REGISTRATION,
        institution_id=uuid4(),
        category=PracticeCategory.TCM_SPECIALTY,
        physician_name="欧阳·娜娜",
        id_number_masked="110101********1234",
        details=ApplicationDetails(practice_scope="内科"),
        submitted_at=datetime.now(UTC),
    )


def test_envelope_round_trips_through_bytes():
    event = submitted()
    envelope = Envelope.wrap(event, producer="applications", subject_id=str(event.account_id), correlation_id="c-1")
    again = Envelope.from_bytes(envelope.to_bytes())
    assert again == envelope
    assert again.open() == event
    assert again.topic is Topic.APPLICATIONS_APPLICATION


def test_unknown_fields_are_tolerated_in_envelope_and_payload():
    envelope = Envelope.wrap(submitted(), producer="applications", subject_id="a", correlation_id="c")
    raw = json.loads(envelope.to_bytes())
    raw["added_later"] = 1
    raw["payload"]["new_optional_field"] = "x"
    raw["payload"]["details"]["another"] = True
    parsed = Envelope.from_bytes(json.dumps(raw).encode())
    assert parsed.open() == envelope.open()


def test_every_event_is_registered_once_with_a_topic():
    assert len(CATALOGUE) >= 20
    for (event_type, version), model in CATALOGUE.items():
        assert model.event_type == event_type and model.version == version
        assert model.topic.value in ALL_TOPICS


def test_registering_the_same_type_and_version_twice_is_refused():
    with pytest.raises(TypeError, match="already registered"):

        @event("institutions.review_completed", topic=Topic.INSTITUTIONS_REVIEW)
        class Again(Event):
            pass


def test_a_new_version_registers_beside_the_old_and_is_opened_as_itself():
    @event("institutions.review_completed", topic=Topic.INSTITUTIONS_REVIEW, version=2)
    class ReviewCompletedV2(Event):
        outcome_code: str

    try:
        envelope = Envelope.wrap(ReviewCompletedV2(outcome_code="A"), producer="x", subject_id="s", correlation_id="c")
        assert envelope.version == 2
        assert isinstance(envelope.open(), ReviewCompletedV2)
    finally:
        del CATALOGUE[("institutions.review_completed", 2)]


def test_an_unknown_version_is_a_clear_contract_error():
    raw = {
        "event_id": str(uuid4()),
        "event_type": "institutions.review_completed",
        "version": 9,
        "occurred_at": datetime.now(UTC).isoformat(),
        "producer": "x",
        "correlation_id": "c",
        "subject_id": "s",
        "payload": {},
    }
    with pytest.raises(UnknownEvent, match=r"v9 is not known; known versions: \[1\]"):
        Envelope.from_bytes(json.dumps(raw).encode()).open()


@pytest.mark.parametrize("raw", [b"", b"not json", b"{}", b'{"event_id": "nope"}'])
def test_malformed_messages_are_contract_errors(raw):
    with pytest.raises(ContractError):
        Envelope.from_bytes(raw)


def test_a_payload_missing_required_fields_is_a_contract_error():
    envelope = Envelope.wrap(submitted(), producer="a", subject_id="s", correlation_id="c")
    broken = envelope.model_copy(update={"payload": {"application_id": "x"}})
    with pytest.raises(ContractError, match="payload is invalid"):
        broken.open()


def test_envelope_times_must_carry_a_zone():
    envelope = Envelope.wrap(submitted(), producer="a", subject_id="s", correlation_id="c")
    raw = json.loads(envelope.to_bytes())
    raw["occurred_at"] = "2026-01-01T00:00:00"
    with pytest.raises(ContractError):
        Envelope.from_bytes(json.dumps(raw).encode())


def test_events_are_immutable():
    event = ReviewCompleted(
        application_id=uuid4(),
        account_id=uuid4(),
        application_type=ApplicationType.PHOTO_UPDATE,
        institution_id=uuid4(),
        region_code="110101",
        outcome=ReviewOutcome.APPROVED,
        reviewer_id=uuid4(),
        decided_at=datetime.now(UTC),
    )
    with pytest.raises(ValueError, match="frozen"):
        event.region_code = "x"  # type: ignore[misc]


def test_export_writes_one_schema_per_event_and_version(tmp_path):
    written = export_schemas(tmp_path)
    assert len(written) == len(CATALOGUE) + 1
    doc = json.loads((tmp_path / "applications.application_submitted.v1.json").read_text())
    assert doc["x-topic"] == "applications.application"
    assert "application_id" in doc["required"]


def _compatible(old: dict, new: dict, name: str) -> list[str]:
    problems = []
    for prop, spec in old.get("properties", {}).items():
        if prop not in new.get("properties", {}):
            problems.append(f"{name}: field {prop} was removed")
        elif spec.get("type") != new["properties"][prop].get("type"):
            problems.append(f"{name}: field {prop} changed type")
    added_required = set(new.get("required", [])) - set(old.get("required", []))
    problems += [f"{name}: required field {f} was added" for f in sorted(added_required)]
    return problems


def test_published_schemas_only_change_compatibly():
    """A released event version may only gain optional fields; anything else needs a new version."""
    current = schema_documents()
    problems = []
    for path in sorted(SCHEMAS.glob("*.json")):
        if path.name in current:
            problems += _compatible(json.loads(path.read_text()), current[path.name], path.name)
        else:
            problems.append(f"{path.name}: a published event version disappeared")
    missing = sorted(set(current) - {p.name for p in SCHEMAS.glob("*.json")})
    assert not problems, problems
    assert not missing, f"run `make schemas` to publish: {missing}"


def test_every_member_of_every_shared_enum_has_both_labels() -> None:
    from contracts import enums
    from contracts.labels import LABELS

    shared = [
        enums.Role,
        enums.AccountStatus,
        enums.PracticeCategory,
        enums.ApplicationType,
        enums.ApplicationStatus,
        enums.ReviewOutcome,
        enums.RegistrationStatus,
        enums.LicenceStatus,
        enums.ActivationMethod,
        enums.Channel,
    ]
    missing = [m for e in shared for m in e if m not in LABELS.get(e, {}) or not (LABELS[e][m].zh and LABELS[e][m].en)]
    assert missing == []


def test_members_of_two_enums_with_one_value_keep_their_own_names() -> None:
    from contracts.enums import ApplicationStatus, LicenceStatus, RegistrationStatus, ReviewOutcome
    from contracts.labels import label

    assert label(ApplicationStatus.APPROVED) == "已批准"
    assert label(ReviewOutcome.APPROVED) == "通过"
    assert label(RegistrationStatus.DEREGISTERED) == "已注销"
    assert label(LicenceStatus.SUSPENDED, "en") == "suspended"


def test_only_a_photo_update_skips_the_authority() -> None:
    from contracts.enums import ApplicationType

    assert [t for t in ApplicationType if not t.has_authority_step] == [ApplicationType.PHOTO_UPDATE]
