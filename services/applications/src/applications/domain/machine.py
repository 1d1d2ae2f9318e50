"""The life of an application: a pure, table-driven state machine.

draft → submitted → institution_review → authority_review → approved / rejected; a photo update ends at the
institution. The physician may withdraw until the institution decides; the system closes an open application when
the register changes under it.

A withdrawal and the institution's decision race between two people, so one place settles it: the reviewing
institution, under its review task's lock. Here the physician only asks (REQUEST_WITHDRAWAL: the status stays, the
request is kept beside it); the institution answers either `review_withdrawn` (WITHDRAW: no decision came first) or
its decision, never both. So no decision ever follows a withdrawal here, and none is in the table.

A closure is applications' own, and it may cross a reviewer's decision on the wire: the reviewer's service settles
that for its own step (it locks the task), so this table follows the reviewer: a decision that changed the register
(a final approval) stands even if the closure was recorded here first; a decision that changed nothing (a rejection,
or an institution's approval still waiting for the authority, which will honour the closure) leaves the application
closed.

The authority's decision may also arrive before the institution's approval it followed (two topics, no common
order). It is not taken then: `step` refuses it as `DecisionBeforeItsTurn` (NotYet), the consumer parks it, and it
is applied once that approval is here, so the history and what the physician is told keep the true order.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from contracts.enums import ApplicationStatus as S
from contracts.enums import ApplicationType
from regsys_runtime.errors import NotYet


class Trigger(StrEnum):
    SUBMIT = "submit"  # the physician
    SEND_TO_INSTITUTION = "send_to_institution"  # the system, when the application is submitted
    INSTITUTION_APPROVE = "institution_approve"
    INSTITUTION_REJECT = "institution_reject"
    AUTHORITY_APPROVE = "authority_approve"
    AUTHORITY_REJECT = "authority_reject"
    REQUEST_WITHDRAWAL = "request_withdrawal"  # the physician asks; the reviewing institution settles it
    WITHDRAW = "withdraw"  # a draft discarded, or the physician's withdrawal as the institution settled it
    CLOSE = "close"  # the system: the register changed under the application


OPEN = frozenset({S.SUBMITTED, S.INSTITUTION_REVIEW, S.AUTHORITY_REVIEW})
FINAL = frozenset({S.APPROVED, S.REJECTED, S.WITHDRAWN, S.CLOSED})
ENDED_EARLY = frozenset({S.WITHDRAWN, S.CLOSED})

Table = dict[tuple[S, Trigger], S]

_COMMON: Table = {
    (S.DRAFT, Trigger.SUBMIT): S.SUBMITTED,
    (S.DRAFT, Trigger.WITHDRAW): S.WITHDRAWN,  # a draft is simply discarded
    (S.SUBMITTED, Trigger.SEND_TO_INSTITUTION): S.INSTITUTION_REVIEW,
    # until the institution decides; the request waits beside the status for the institution to settle it
    (S.SUBMITTED, Trigger.REQUEST_WITHDRAWAL): S.SUBMITTED,
    (S.INSTITUTION_REVIEW, Trigger.REQUEST_WITHDRAWAL): S.INSTITUTION_REVIEW,
    (S.SUBMITTED, Trigger.WITHDRAW): S.WITHDRAWN,
    (S.INSTITUTION_REVIEW, Trigger.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, Trigger.CLOSE): S.CLOSED,
    (S.INSTITUTION_REVIEW, Trigger.CLOSE): S.CLOSED,
    (S.INSTITUTION_REVIEW, Trigger.INSTITUTION_REJECT): S.REJECTED,
    # late: the institution rejected before the closure reached it; nothing changed
    (S.CLOSED, Trigger.INSTITUTION_REJECT): S.CLOSED,
}

WITH_AUTHORITY: Table = {
    **_COMMON,
    (S.INSTITUTION_REVIEW, Trigger.INSTITUTION_APPROVE): S.AUTHORITY_REVIEW,
    (S.AUTHORITY_REVIEW, Trigger.AUTHORITY_APPROVE): S.APPROVED,
    (S.AUTHORITY_REVIEW, Trigger.AUTHORITY_REJECT): S.REJECTED,
    (S.AUTHORITY_REVIEW, Trigger.CLOSE): S.CLOSED,
    # late: the application was closed, and the authority decided on the approval before it heard (below)
    (S.APPROVED, Trigger.INSTITUTION_APPROVE): S.APPROVED,
    # late: the authority step is still open to the closure, and the authority honours it
    (S.CLOSED, Trigger.INSTITUTION_APPROVE): S.CLOSED,
    # late: the authority decided first; an approval changed the register, so it stands
    (S.CLOSED, Trigger.AUTHORITY_APPROVE): S.APPROVED,
    (S.CLOSED, Trigger.AUTHORITY_REJECT): S.CLOSED,
}

INSTITUTION_ONLY: Table = {
    **_COMMON,
    (S.INSTITUTION_REVIEW, Trigger.INSTITUTION_APPROVE): S.APPROVED,
    # late: the institution approved before the closure reached it and the photo took effect, so it stands
    (S.CLOSED, Trigger.INSTITUTION_APPROVE): S.APPROVED,
}


def table_of(kind: ApplicationType) -> Table:
    return WITH_AUTHORITY if kind.has_authority_step else INSTITUTION_ONLY


@dataclass(frozen=True)
class Step:
    before: S
    after: S
    trigger: Trigger

    @property
    def late(self) -> bool:
        """A reviewer's decision that arrived after the application had ended (closed or decided)."""
        return self.before in FINAL

    @property
    def changes_status(self) -> bool:
        return self.before != self.after


class TransitionRefused(Exception):
    def __init__(self, status: S, trigger: Trigger, detail: str) -> None:
        super().__init__(detail)
        self.status, self.trigger, self.detail = status, trigger, detail


_REFUSALS = {
    Trigger.SUBMIT: "Only a draft can be submitted; this application is already {status}.",
    Trigger.REQUEST_WITHDRAWAL: "This application is {status}; it can no longer be withdrawn.",
    Trigger.WITHDRAW: "This application is {status}; it can no longer be withdrawn.",
}


BEFORE_THE_INSTITUTION_DECIDES = frozenset({S.SUBMITTED, S.INSTITUTION_REVIEW})
AUTHORITY_DECISIONS = frozenset({Trigger.AUTHORITY_APPROVE, Trigger.AUTHORITY_REJECT})


class DecisionBeforeItsTurn(NotYet):
    """The authority's decision came while the institution's approval it followed is still on its way."""

    def __init__(self, status: S) -> None:
        super().__init__(f"The authority decided on an application that is still {status.value} here.")


def step(kind: ApplicationType, status: S, trigger: Trigger) -> Step:
    """Where `trigger` takes an application of `kind` that is in `status`; TransitionRefused if nowhere, and
    DecisionBeforeItsTurn if the authority's decision overtook the institution's approval on the wire."""
    if kind.has_authority_step and status in BEFORE_THE_INSTITUTION_DECIDES and trigger in AUTHORITY_DECISIONS:
        raise DecisionBeforeItsTurn(status)
    after = table_of(kind).get((status, trigger))
    if after is None:
        template = _REFUSALS.get(trigger, "An application that is {status} cannot take “{trigger}”.")
        raise TransitionRefused(status, trigger, template.format(status=status.value, trigger=trigger.value))
    return Step(before=status, after=after, trigger=trigger)
