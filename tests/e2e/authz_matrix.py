"""Who may call what: every operation of the five OpenAPI documents × every role × own / another's object.

Each row is one operation `(service, METHOD, path)` and says, for the five callers in `ROLES` order:

- `allow`: the caller gets past authorization (with an object in the path: whoever's object it is);
- `deny`:  the caller is refused (with an object in the path: whoever's object it is);
- `own`:   only for an operation with an object in the path: allowed on the caller's own object, refused on
           another's.

The world the test builds has two sides, A and B. The callers are all on side A: physician P1, staff of
institution A, an officer of A's region (B's region is not under it), and an administrator. "Own" is the A-side
object: P1's application, review task, authority task, register entry or inbox message, institution A, its
activation requests. "Another's" is the B-side one (physician P2, institution B, region B). A role that cannot own
a kind of object (staff and an inbox message) meets the same two, and its row says `deny`.

Refused means: 401 for the anonymous caller; 403 or 404 for a signed-in one. 404 is the right answer for a
signed-in caller asking for another's object: it does not reveal that the object exists (the services answer
"no such application that you may see"). A wrong role gets 403 (the shared `require_role`), before the body is
read. One 403 for another's object is right as well: institutions are public (GET /institutions lists them), so
staff switching another institution's automatic activation learn nothing from "you can change only your own".

Allowed means anything but 401 and 403 (and, for an own object, 404): a 409 or 422 is the use case or the body
validation answering, past authorization.
"""

from __future__ import annotations

from typing import Literal

Answer = Literal["allow", "deny", "own"]
Operation = tuple[str, str, str]  # (service, METHOD, path) as the OpenAPI document spells it

ROLES = ("anonymous", "physician", "staff", "officer", "admin")

# path parameters that name an object someone owns; the others (a registration ticket, a status list's purpose,
# the account an administrator disables) name nothing a caller owns, and their rows use only allow/deny
OWNED = {
    ("applications", "application_id"): "application",
    ("institutions", "task_id"): "review task",
    ("institutions", "account_id"): "activation request",
    ("institutions", "institution_id"): "institution",
    ("notifications", "message_id"): "inbox message",
    ("licensing", "task_id"): "authority task",
    ("licensing", "account_id"): "register entry",
}

EVERYONE: tuple[Answer, ...] = ("allow", "allow", "allow", "allow", "allow")
SIGNED_IN: tuple[Answer, ...] = ("deny", "allow", "allow", "allow", "allow")
PHYSICIAN: tuple[Answer, ...] = ("deny", "allow", "deny", "deny", "deny")
STAFF: tuple[Answer, ...] = ("deny", "deny", "allow", "deny", "deny")
OFFICER: tuple[Answer, ...] = ("deny", "deny", "deny", "allow", "deny")
ADMIN: tuple[Answer, ...] = ("deny", "deny", "deny", "deny", "allow")
OWN_PHYSICIAN: tuple[Answer, ...] = ("deny", "own", "deny", "deny", "deny")
OWN_STAFF: tuple[Answer, ...] = ("deny", "deny", "own", "deny", "deny")
OWN_OFFICER: tuple[Answer, ...] = ("deny", "deny", "deny", "own", "deny")
# the application itself: its physician, the staff of its reviewing institution, the officers of its region
OWN_APPLICATION_VIEWERS: tuple[Answer, ...] = ("deny", "own", "own", "own", "deny")
CHECKERS: tuple[Answer, ...] = ("deny", "deny", "allow", "allow", "allow")

#                                                                        anonymous physician staff officer admin
MATRIX: dict[Operation, tuple[Answer, ...]] = {
    # identity: signing in and out, registering, recovering a password are public; the token is in the body
    ("identity", "GET", "/healthz"): EVERYONE,
    ("identity", "GET", "/readyz"): EVERYONE,
    ("identity", "GET", "/.well-known/jwks.json"): EVERYONE,
    ("identity", "POST", "/tokens"): EVERYONE,
    ("identity", "POST", "/tokens/refresh"): EVERYONE,
    ("identity", "POST", "/tokens/revoke"): EVERYONE,
    ("identity", "POST", "/tokens/revoke-all"): SIGNED_IN,
    ("identity", "POST", "/captchas"): EVERYONE,
    ("identity", "POST", "/registrations"): EVERYONE,
    ("identity", "POST", "/registrations/{registration_id}/account"): EVERYONE,
    ("identity", "GET", "/me"): SIGNED_IN,
    ("identity", "POST", "/me/qualification-check"): PHYSICIAN,
    ("identity", "POST", "/me/security-codes"): PHYSICIAN,
    ("identity", "POST", "/me/security-verification"): PHYSICIAN,
    ("identity", "POST", "/me/activation-requests"): PHYSICIAN,
    ("identity", "POST", "/me/activation"): PHYSICIAN,
    ("identity", "POST", "/me/activation/certificate-code"): PHYSICIAN,
    ("identity", "POST", "/me/phone/old-phone-code"): PHYSICIAN,
    ("identity", "POST", "/me/phone/old-phone-proof"): PHYSICIAN,
    ("identity", "POST", "/me/phone/new-phone-code"): PHYSICIAN,
    ("identity", "PUT", "/me/phone"): PHYSICIAN,
    ("identity", "POST", "/me/email/verification-link"): PHYSICIAN,
    ("identity", "POST", "/email-verifications"): EVERYONE,
    ("identity", "PUT", "/me/password"): SIGNED_IN,
    ("identity", "POST", "/password-recovery/codes"): EVERYONE,
    ("identity", "POST", "/password-recovery"): EVERYONE,
    ("identity", "POST", "/admin/accounts"): ADMIN,
    ("identity", "POST", "/admin/accounts/{account_id}/disable"): ADMIN,
    ("identity", "GET", "/admin/accounts"): ADMIN,
    ("identity", "POST", "/admin/accounts/{account_id}/enable"): ADMIN,
    ("identity", "POST", "/admin/accounts/{account_id}/unlock"): ADMIN,
    ("identity", "POST", "/admin/token-keys/rotations"): ADMIN,
    ("identity", "GET", "/admin/audit-trail"): ADMIN,
    ("identity", "POST", "/admin/qualifications"): ADMIN,
    ("identity", "POST", "/admin/qualifications/import"): ADMIN,
    # applications: the physician files; the reviewers read what reached them
    ("applications", "GET", "/healthz"): EVERYONE,
    ("applications", "GET", "/readyz"): EVERYONE,
    ("applications", "GET", "/applications"): PHYSICIAN,
    ("applications", "POST", "/applications"): PHYSICIAN,
    ("applications", "POST", "/applications/{application_id}/submission"): OWN_PHYSICIAN,
    ("applications", "POST", "/applications/{application_id}/withdrawal"): OWN_PHYSICIAN,
    ("applications", "GET", "/applications/{application_id}"): OWN_APPLICATION_VIEWERS,
    ("applications", "PUT", "/applications/{application_id}/photo"): OWN_PHYSICIAN,
    ("applications", "GET", "/applications/{application_id}/photo"): OWN_APPLICATION_VIEWERS,
    ("applications", "GET", "/applications/{application_id}/form.pdf"): OWN_APPLICATION_VIEWERS,
    # institutions: the list of institutions is for everyone signed in (a physician chooses one); the rest is
    # the staff's, for their own institution, and the operator's
    ("institutions", "GET", "/healthz"): EVERYONE,
    ("institutions", "GET", "/readyz"): EVERYONE,
    ("institutions", "POST", "/admin/institutions"): ADMIN,
    ("institutions", "PUT", "/admin/institutions/{institution_id}"): ADMIN,
    ("institutions", "POST", "/admin/institutions/import"): ADMIN,
    ("institutions", "GET", "/institutions"): SIGNED_IN,
    ("institutions", "GET", "/activation-requests"): STAFF,
    ("institutions", "POST", "/activation-requests/{account_id}/activation-code"): OWN_STAFF,
    ("institutions", "POST", "/activation-requests/{account_id}/decline"): OWN_STAFF,
    ("institutions", "PUT", "/institutions/{institution_id}/auto-activation"): OWN_STAFF,
    ("institutions", "GET", "/review-tasks"): STAFF,
    ("institutions", "GET", "/review-tasks/{task_id}"): OWN_STAFF,
    ("institutions", "POST", "/review-tasks/{task_id}/decision"): OWN_STAFF,
    ("institutions", "GET", "/roster"): STAFF,
    ("institutions", "GET", "/roster/export"): STAFF,
    ("institutions", "GET", "/admin/audit-trail"): ADMIN,
    # notifications: everyone signed in has an inbox, and reaches only their own messages
    ("notifications", "GET", "/healthz"): EVERYONE,
    ("notifications", "GET", "/readyz"): EVERYONE,
    ("notifications", "GET", "/inbox"): SIGNED_IN,
    ("notifications", "GET", "/inbox/unread-count"): SIGNED_IN,
    ("notifications", "POST", "/inbox/read"): SIGNED_IN,
    ("notifications", "POST", "/inbox/{message_id}/read"): OWN_PHYSICIAN,
    # licensing: officers decide for their region; the physician's own register and licence; verification is
    # public, batch checks are for institutions, officers and operators
    ("licensing", "GET", "/healthz"): EVERYONE,
    ("licensing", "GET", "/readyz"): EVERYONE,
    ("licensing", "GET", "/authority-tasks"): OFFICER,
    ("licensing", "GET", "/authority-tasks/{task_id}"): OWN_OFFICER,
    ("licensing", "PUT", "/authority-tasks/{task_id}/materials"): OWN_OFFICER,
    ("licensing", "POST", "/authority-tasks/{task_id}/decision"): OWN_OFFICER,
    ("licensing", "GET", "/registrations/me"): PHYSICIAN,
    ("licensing", "GET", "/registrations/me/history"): PHYSICIAN,
    ("licensing", "GET", "/physicians/{account_id}/registration"): OWN_OFFICER,
    ("licensing", "GET", "/physicians/{account_id}/registration-history"): OWN_OFFICER,
    ("licensing", "POST", "/physicians/lookups"): OFFICER,
    ("licensing", "GET", "/licences/me"): PHYSICIAN,
    ("licensing", "POST", "/licences/me"): PHYSICIAN,
    ("licensing", "GET", "/licences/me/licence.png"): PHYSICIAN,
    ("licensing", "GET", "/licences/me/licence.pdf"): PHYSICIAN,
    ("licensing", "POST", "/licences/verifications"): EVERYONE,
    ("licensing", "GET", "/verify"): EVERYONE,
    ("licensing", "GET", "/V/{credential}"): EVERYONE,
    ("licensing", "POST", "/licences/batch-verifications"): CHECKERS,
    ("licensing", "GET", "/.well-known/jwks.json"): EVERYONE,
    ("licensing", "GET", "/status-lists/{purpose}"): EVERYONE,
    ("licensing", "POST", "/admin/licence-keys/rotations"): ADMIN,
    ("licensing", "GET", "/admin/audit-trail"): ADMIN,
}


def operations(service: str, document: dict) -> set[Operation]:
    """Every operation an OpenAPI document declares."""
    methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    return {
        (service, method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in methods
    }


def owned_object(operation: Operation) -> str | None:
    """The kind of object in the operation's path that someone owns, if any."""
    service, _, path = operation
    kinds = [kind for (owner, param), kind in OWNED.items() if owner == service and f"{{{param}}}" in path]
    return kinds[0] if kinds else None


def coverage_gaps(declared: set[Operation]) -> dict[str, list[str]]:
    """What the matrix lacks and what it names in vain, and rows that say `own` where no object is owned."""
    return {
        "operations with no row in the matrix": sorted(" ".join(o) for o in declared - MATRIX.keys()),
        "rows for operations that no longer exist": sorted(" ".join(o) for o in MATRIX.keys() - declared),
        "`own` in a row with no owned object": sorted(
            " ".join(o) for o, row in MATRIX.items() if "own" in row and owned_object(o) is None
        ),
        "rows not of one answer per role": sorted(" ".join(o) for o, row in MATRIX.items() if len(row) != len(ROLES)),
    }


def cells() -> list[tuple[Operation, str, str, Answer]]:
    """Every cell: operation, role, whose object ("own", "other", or "-" with no owned object), expected answer."""
    found: list[tuple[Operation, str, str, Answer]] = []
    for operation, row in MATRIX.items():
        for role, answer in zip(ROLES, row, strict=True):
            if owned_object(operation) is None:
                found.append((operation, role, "-", answer))
                continue
            found.append((operation, role, "own", "allow" if answer in ("own", "allow") else "deny"))
            found.append((operation, role, "other", "allow" if answer == "allow" else "deny"))
    return found
