"""Every application type × every state × every trigger, against the rules as a person would state them."""

import itertools

import pytest

from applications.domain.machine import DecisionBeforeItsTurn, TransitionRefused, Trigger, step
from contracts.enums import ApplicationStatus as S
from contracts.enums import ApplicationType

PHOTO = ApplicationType.PHOTO_UPDATE
REVIEW_STATES = {S.SUBMITTED, S.INSTITUTION_REVIEW, S.AUTHORITY_REVIEW}
WAITS = "waits for the institution's approval"  # taken once that approval is here, never before


def expected(kind: ApplicationType, status: S, trigger: Trigger) -> S | str | None:
    """The rules in words: None means the move is refused, WAITS that it is taken later."""
    authority = kind is not PHOTO
    reachable = REVIEW_STATES if authority else REVIEW_STATES - {S.AUTHORITY_REVIEW}
    before_the_institution_decides = {S.SUBMITTED, S.INSTITUTION_REVIEW}
    match trigger:
        case Trigger.SUBMIT:
            return S.SUBMITTED if status is S.DRAFT else None
        case Trigger.SEND_TO_INSTITUTION:
            return S.INSTITUTION_REVIEW if status is S.SUBMITTED else None
        case Trigger.REQUEST_WITHDRAWAL:  # until the institution decides; the status stays while it settles it
            return status if status in before_the_institution_decides else None
        case Trigger.WITHDRAW:  # a draft is discarded; otherwise as the institution settled it, before deciding
            return S.WITHDRAWN if status is S.DRAFT or status in before_the_institution_decides else None
        case Trigger.CLOSE:  # only what reviewers hold can go stale
            return S.CLOSED if status in reachable else None
        case Trigger.INSTITUTION_APPROVE:
            if status is S.INSTITUTION_REVIEW:
                return S.AUTHORITY_REVIEW if authority else S.APPROVED
            if status is S.CLOSED:  # a photo took effect at once; otherwise the authority honours the closure
                return status if authority else S.APPROVED
            if authority and status is S.APPROVED:  # closed, then the authority decided on this approval
                return status
            return None  # a withdrawn application: the institution settled the withdrawal, it decides nothing more
        case Trigger.INSTITUTION_REJECT:
            return S.REJECTED if status is S.INSTITUTION_REVIEW else status if status is S.CLOSED else None
        case Trigger.AUTHORITY_APPROVE | Trigger.AUTHORITY_REJECT:
            if not authority:
                return None
            if status in before_the_institution_decides:  # it overtook the institution's approval on the wire
                return WAITS
            if status is S.AUTHORITY_REVIEW:
                return S.APPROVED if trigger is Trigger.AUTHORITY_APPROVE else S.REJECTED
            if status is S.CLOSED:  # an approval changed the register, so it stands
                return S.APPROVED if trigger is Trigger.AUTHORITY_APPROVE else S.CLOSED
            return None
    raise AssertionError(trigger)


CASES = list(itertools.product(ApplicationType, S, Trigger))


@pytest.mark.parametrize(("kind", "status", "trigger"), CASES, ids=[f"{k}-{s}-{t}" for k, s, t in CASES])
def test_every_type_state_and_trigger(kind, status, trigger):
    want = expected(kind, status, trigger)
    if want is WAITS:
        with pytest.raises(DecisionBeforeItsTurn) as early:
            step(kind, status, trigger)
        assert status.value in early.value.detail
    elif want is None:
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


DECISIONS = (
    Trigger.INSTITUTION_APPROVE,
    Trigger.INSTITUTION_REJECT,
    Trigger.AUTHORITY_APPROVE,
    Trigger.AUTHORITY_REJECT,
)


@pytest.mark.parametrize("kind", list(ApplicationType))
@pytest.mark.parametrize("trigger", DECISIONS)
def test_no_decision_overturns_a_withdrawal(kind, trigger):
    # the institution settled the withdrawal instead of deciding, so no decision can follow it
    with pytest.raises(TransitionRefused):
        step(kind, S.WITHDRAWN, trigger)


@pytest.mark.parametrize("kind", [k for k in ApplicationType if k is not PHOTO])
def test_once_the_institution_decided_the_physician_can_no_longer_ask_to_withdraw(kind):
    for status in (S.AUTHORITY_REVIEW, S.APPROVED, S.REJECTED, S.WITHDRAWN, S.CLOSED):
        with pytest.raises(TransitionRefused, match="can no longer be withdrawn"):
            step(kind, status, Trigger.REQUEST_WITHDRAWAL)
    asked = step(kind, S.INSTITUTION_REVIEW, Trigger.REQUEST_WITHDRAWAL)
    assert (asked.after, asked.changes_status) == (S.INSTITUTION_REVIEW, False)
