"""Every application type × every state × every trigger, against the rules as a person would state them."""

import itertools

import pytest

from applications.domain.machine import TransitionRefused, Trigger, step
from contracts.enums import ApplicationStatus as S
from contracts.enums import ApplicationType

PHOTO = ApplicationType.PHOTO_UPDATE
REVIEW_STATES = {S.SUBMITTED, S.INSTITUTION_REVIEW, S.AUTHORITY_REVIEW}


def expected(kind: ApplicationType, status: S, trigger: Trigger) -> S | None:
    """The rules in words: None means the move is refused."""
    authority = kind is not PHOTO
    reachable = REVIEW_STATES if authority else REVIEW_STATES - {S.AUTHORITY_REVIEW}
    ended_early = status in (S.WITHDRAWN, S.CLOSED)
    match trigger:
        case Trigger.SUBMIT:
            return S.SUBMITTED if status is S.DRAFT else None
        case Trigger.SEND_TO_INSTITUTION:
            return S.INSTITUTION_REVIEW if status is S.SUBMITTED else None
        case Trigger.WITHDRAW:  # until the reviewer it waits for decides; a draft is discarded
            return S.WITHDRAWN if status is S.DRAFT or status in reachable else None
        case Trigger.CLOSE:  # only what reviewers hold can go stale
            return S.CLOSED if status in reachable else None
        case Trigger.INSTITUTION_APPROVE:
            if status is S.INSTITUTION_REVIEW:
                return S.AUTHORITY_REVIEW if authority else S.APPROVED
            if ended_early:  # a photo took effect at once; otherwise the authority honours the withdrawal
                return status if authority else S.APPROVED
            if authority and status in (S.APPROVED, S.REJECTED):  # overtaken by the authority's decision
                return status
            return None
        case Trigger.INSTITUTION_REJECT:
            return S.REJECTED if status is S.INSTITUTION_REVIEW else status if ended_early else None
        case Trigger.AUTHORITY_APPROVE:  # it may overtake the institution's approval on the wire
            if not authority:
                return None
            return S.APPROVED if status in (S.INSTITUTION_REVIEW, S.AUTHORITY_REVIEW) or ended_early else None
        case Trigger.AUTHORITY_REJECT:
            if not authority:
                return None
            if status in (S.INSTITUTION_REVIEW, S.AUTHORITY_REVIEW):
                return S.REJECTED
            return status if ended_early else None
    raise AssertionError(trigger)


CASES = list(itertools.product(ApplicationType, S, Trigger))


@pytest.mark.parametrize(("kind", "status", "trigger"), CASES, ids=[f"{k}-{s}-{t}" for k, s, t in CASES])
def test_every_type_state_and_trigger(kind, status, trigger):
    want = expected(kind, status, trigger)
    if want is None:
        with pytest.raises(TransitionRefused) as refused:
            step(kind, status, trigger)
        assert status.value in refused.value.detail
    else:
        move = step(kind, status, trigger)
        assert (move.before, move.after, move.trigger) == (status, want, trigger)
        assert move.late == (status in (S.APPROVED, S.REJECTED, S.WITHDRAWN, S.CLOSED))


@pytest.mark.parametrize("kind", list(ApplicationType))
def test_decided_applications_change_no_more(kind):
    for status, trigger in itertools.product((S.APPROVED, S.REJECTED), Trigger):
        try:
            move = step(kind, status, trigger)
        except TransitionRefused:
            continue
        assert move.after is status  # at most a late institution approval, recorded


@pytest.mark.parametrize("kind", [k for k in ApplicationType if k is not PHOTO])
def test_the_happy_path_of_a_two_step_type(kind):
    status = S.DRAFT
    for trigger in (
        Trigger.SUBMIT,
        Trigger.SEND_TO_INSTITUTION,
        Trigger.INSTITUTION_APPROVE,
        Trigger.AUTHORITY_APPROVE,
    ):
        status = step(kind, status, trigger).after
    assert status is S.APPROVED


def test_a_photo_update_ends_at_the_institution():
    status = S.DRAFT
    for trigger in (Trigger.SUBMIT, Trigger.SEND_TO_INSTITUTION, Trigger.INSTITUTION_APPROVE):
        status = step(PHOTO, status, trigger).after
    assert status is S.APPROVED


def test_a_withdrawal_refused_after_the_decision_says_why():
    with pytest.raises(TransitionRefused, match="can no longer be withdrawn"):
        step(ApplicationType.DEREGISTRATION, S.APPROVED, Trigger.WITHDRAW)
