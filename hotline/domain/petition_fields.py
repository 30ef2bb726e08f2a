"""The fields each petition step takes, checked before the procedure decides. Errors are codes per field, as in
actions.py; the web layer words them."""
from __future__ import annotations

from hotline.domain.actions import NOTE_MAX, REPLY_MAX, _choice, _text, whole_number
from hotline.domain.errors import InvalidFields
from hotline.domain.petition import Forwarding, LegalRoute, Outcome, PetitionAction, ReviewOutcome

MAX_EXTENSION_DAYS = 30  # Art. 34: at most 30 days, once
ID = (1, 2**31 - 1)
A = PetitionAction
_DECISIONS = {A.DECIDE: Outcome, A.DECIDE_REVIEW: ReviewOutcome, A.DECIDE_RE_REVIEW: ReviewOutcome}


def _values(enum) -> tuple[str, ...]:
    return tuple(str(v) for v in enum)


def clean(action: PetitionAction, raw: dict | None) -> dict:
    raw = raw or {}
    errors: dict[str, str] = {}
    out: dict = {}
    if action in (A.FORWARD, A.REQUEST_REVIEW, A.REQUEST_RE_REVIEW):
        out["organ_id"] = whole_number(raw, "organ_id", errors, *ID)
        if action is A.FORWARD:
            out["forwarding"] = _choice(raw, "forwarding", _values(Forwarding), errors)
        # a request for review is the petitioner's own words; a forwarding may carry the office's note
        out["note"] = _text(raw, "note", errors, required=action is not A.FORWARD)
    elif action in (A.REFER, A.ACCEPT):
        decision = "refer" if action is A.REFER else _choice(raw, "decision", ("accept", "refer"), errors)
        if action is A.ACCEPT:
            out["decision"] = decision
        if decision == "refer":
            out["legal_route"] = _choice(raw, "legal_route", _values(LegalRoute), errors)
        # what the petitioner is told: the route and where to go, required when it is not accepted
        out["note"] = _text(raw, "note", errors, required=decision == "refer")
    elif action is A.OBJECT:
        out["reason"] = _text(raw, "reason", errors, required=True)
    elif action in (A.DECIDE_OBJECTION, A.DECIDE_EXTENSION):
        choices = ("uphold", "refuse") if action is A.DECIDE_OBJECTION else ("approve", "deny")
        out["decision"] = _choice(raw, "decision", choices, errors)
        out["note"] = _text(raw, "note", errors, required=out["decision"] in ("refuse", "deny"))
    elif action is A.REQUEST_EXTENSION:
        out["days"] = whole_number(raw, "days", errors, 1, MAX_EXTENSION_DAYS)
        out["reason"] = _text(raw, "reason", errors, required=True)
    elif action in _DECISIONS:
        # Art. 32 and Shanghai Arts. 38–39: the outcome, the facts found, the legal basis, the opinion; the next
        # level's organ (for the route the letter must state) is filled in from the organ when left empty
        out["outcome"] = _choice(raw, "outcome", _values(_DECISIONS[action]), errors)
        out["facts"] = _text(raw, "facts", errors, required=True, limit=REPLY_MAX)
        out["basis"] = _text(raw, "basis", errors, required=True, limit=NOTE_MAX)
        out["text"] = _text(raw, "text", errors, required=True, limit=REPLY_MAX)
        if action is not A.DECIDE_RE_REVIEW:
            out["next_authority"] = _text(raw, "next_authority", errors, required=False, limit=128)
    elif action is A.LINK:
        out["case"] = _text(raw, "case", errors, required=True, limit=32).upper()
        out["note"] = _text(raw, "note", errors, required=False)
    elif action is A.RECORD_CONFLICT:
        out["user_id"] = whole_number(raw, "user_id", errors, *ID)
        out["reason"] = _text(raw, "reason", errors, required=True)
    elif action is A.DECLARE_CONFLICT:
        out["reason"] = _text(raw, "reason", errors, required=True)
    elif action is A.CORRECT_DOCUMENT:
        out["document"] = _text(raw, "document", errors, required=True, limit=48)
        out["text"] = _text(raw, "text", errors, required=True, limit=REPLY_MAX)
    else:  # start-hearing, end-hearing, close, withdraw, urge: a note, required where it is the reason
        out["note"] = _text(raw, "note", errors, required=action in (A.WITHDRAW, A.URGE))
    if errors:
        raise InvalidFields("fields", errors)
    return out
