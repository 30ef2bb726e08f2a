"""One case's life in the demo history: a generator that yields the moment of its next step and takes that step
when it is resumed (history.py resumes every case's generator in the order of those moments, so cases meet each
other as they would have: a repeated call is merged into a case that is open at that moment).

Each step goes through the real services (`intake.register`, `handling.act`); the choices — late or on time, a
return, an extension, how the person rated the answer — are drawn from the case's own random generator and from
the department's profile, so every department has a record of its own and the assessment has something to find."""
from __future__ import annotations

import random
from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hotline.domain.lifecycle import MAX_DISPATCHES_BEFORE_DESIGNATION, Action, State
from hotline.seed import history_texts as words

Step = Generator[datetime, None, None]


@dataclass(frozen=True)
class Profile:
    """How a department works, drawn once per department. Quirks are the patterns the centre's electronic
    supervision watches for: `extends` asks for more time often, `last_hour` answers in the last hour before the
    deadline, `no_contact` answers without calling the person, `returns` sends cases back that the centre
    mostly refuses to take back."""
    quality: float  # 0.5 (poor) .. 1 (excellent)
    quirks: frozenset[str] = frozenset()

    @property
    def late_sign(self) -> float:
        return 0.02 + 0.3 * (1 - self.quality)

    @property
    def late_reply(self) -> float:
        return 0.03 + 0.35 * (1 - self.quality)

    @property
    def unhappy(self) -> float:
        return 0.04 + 0.4 * (1 - self.quality)

    @property
    def no_contact(self) -> float:
        return 0.45 if "no_contact" in self.quirks else 0.02 + 0.15 * (1 - self.quality)

    @property
    def extension(self) -> float:
        return 0.4 if "extends" in self.quirks else 0.04

    @property
    def returns(self) -> float:
        return 0.25 if "returns" in self.quirks else 0.04

    @property
    def return_refused(self) -> float:
        return 0.85 if "returns" in self.quirks else 0.35


@dataclass
class Spec:
    """A case as planned before its life begins (history.plan)."""
    index: int
    received: datetime
    kind: str
    channel: str
    category: str  # sub-category code
    text: str
    area: str  # street code
    location: str
    urgency: str
    name: str = ""
    phone: str | None = None
    confidential: bool = False
    anonymous: bool = False
    publish_consent: bool = False
    ending: str = ""  # "", "answer", "transfer", "merge", "terminate"
    answer: str = ""  # the operator's answer, or the emergency service
    stubborn: bool = False  # dissatisfied at every callback: redone more than twice
    rng: random.Random = field(default_factory=random.Random)


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.uniform(0.0, 1.0)


def _minutes(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(minutes=rng.uniform(low, high))


def life(sim, spec: Spec) -> Step:
    rng, at = spec.rng, spec.received
    yield at
    target = sim.merge_target(spec, at) if spec.ending == "merge" else None
    number = sim.register(spec, at, route=not spec.ending or (spec.ending == "merge" and target is None),
                          same_as=target)
    if spec.ending == "answer":
        at += _minutes(rng, 2, 9)
        yield at
        sim.act(number, "operator", Action.ANSWER_DIRECTLY, at, note=spec.answer)
        return
    if spec.ending == "transfer":
        at += _minutes(rng, 1, 3)
        yield at
        sim.act(number, "operator", Action.TRANSFER, at, service=spec.answer, note="")
        return
    if target is not None:
        at += _minutes(rng, 2, 6)
        yield at
        sim.act(number, "operator", Action.MERGE, at, into=target.number, note=words.MERGE_NOTE)
        return
    case = sim.case(number)
    if case.state == State.REGISTERED:  # no rule dispatched it at once: the dispatcher does
        at += _minutes(rng, 5, 150)
        yield at
        lead, co = sim.routing_suggestion(case, rng)
        sim.act(number, "dispatcher", Action.DISPATCH, at, lead_department_id=lead, co_department_ids=co)
    at = yield from _signed(sim, spec, number, at)
    if at is None:
        return
    yield from _handled(sim, spec, number, at)


def _signed(sim, spec: Spec, number: str, at: datetime) -> Generator[datetime, None, datetime | None]:
    """Until the lead department has signed (after returns and their review); None when the case ended."""
    rng, returns = spec.rng, 0
    while True:
        case = sim.case(number)
        lead = next(a for a in case.active_assignments if a.lead)
        profile, staff = sim.profile(lead.department_id), sim.staff(lead.department_id)
        dispatched, sign_due = lead.dispatched_at, lead.sign_due_at
        if (returns < 2 and case.dispatch_count < MAX_DISPATCHES_BEFORE_DESIGNATION
                and rng.random() < profile.returns):
            returns += 1
            at = max(at, _between(rng, dispatched, min(sign_due, case.return_until or sign_due)))
            yield at
            sim.act(number, staff, Action.RETURN, at, reason=rng.choice(words.RETURN_REASONS))
            at += _minutes(rng, 40, 300)
            yield at
            if rng.random() < profile.return_refused:
                sim.act(number, "dispatcher", Action.REVIEW_RETURN, at, decision="refuse",
                        note=rng.choice(words.RETURN_REFUSED))
                continue
            sim.act(number, "dispatcher", Action.REVIEW_RETURN, at, decision="uphold", note=words.RETURN_UPHELD)
            at += _minutes(rng, 5, 60)
            yield at
            sim.act(number, "dispatcher", Action.DISPATCH, at, lead_department_id=sim.elsewhere(case, lead),
                    co_department_ids=[])
            continue
        if rng.random() < profile.late_sign:
            at = max(at, sign_due + _minutes(rng, 20, 1200))
        else:
            at = max(at, dispatched + (sign_due - dispatched) * rng.uniform(0.03, 0.7))
        yield at
        sim.act(number, staff, Action.SIGN, at, note="")
        for co in case.active_assignments:
            if not co.lead and co.status == "pending":
                at += _minutes(rng, 5, 90)
                yield at
                sim.act(number, sim.staff(co.department_id), Action.SIGN, at, note="")
        return at


def _handled(sim, spec: Spec, number: str, at: datetime) -> Step:
    """From signing to the end: urging, 督办, an extension, the reply and its review, the callback, a redo."""
    rng = spec.rng
    case = sim.case(number)
    lead = next(a for a in case.active_assignments if a.lead)
    profile, staff = sim.profile(lead.department_id), sim.staff(lead.department_id)
    if spec.ending == "terminate":
        at += _minutes(rng, 600, 4000)
        yield at
        sim.act(number, "supervisor", Action.TERMINATE, at, note=rng.choice(words.TERMINATE_NOTES))
        return
    if rng.random() < 0.06:
        at = _between(rng, at, case.reply_due_at)
        yield at
        sim.act(number, "operator", Action.URGE, at, note=rng.choice(words.URGE_NOTES))
    if rng.random() < 0.025 or spec.stubborn:
        at = _between(rng, at, case.reply_due_at)
        yield at
        sim.act(number, "supervisor", Action.SUPERVISE, at, note=rng.choice(words.SUPERVISE_NOTES))
    if rng.random() < profile.extension:
        at = _between(rng, at, sim.case(number).reply_due_at)
        yield at
        sim.act(number, staff, Action.REQUEST_EXTENSION, at, days=rng.randint(3, 10),
                reason=rng.choice(words.EXTENSION_REASONS))
        at += _minutes(rng, 60, 400)
        yield at
        approve = rng.random() < 0.85
        sim.act(number, "supervisor", Action.DECIDE_EXTENSION, at, decision="approve" if approve else "deny",
                note="" if approve else words.EXTENSION_DENIED)
    co_parts = True
    for round_ in range(4):
        if co_parts:
            co_parts = False
            for co in sim.case(number).active_assignments:
                if not co.lead and co.status == "signed":
                    at += _minutes(rng, 60, 1500)
                    yield at
                    sim.act(number, sim.staff(co.department_id), Action.REPLY, at,
                            text=rng.choice(words.COHANDLER_PARTS), resolved="yes", contact="phone")
        at = _reply_moment(rng, profile, sim.case(number), at)
        yield at
        resolved = rng.random() < 0.88
        contact = "none" if rng.random() < profile.no_contact else rng.choices(("phone", "visit", "sms"), (7, 2, 1))[0]
        text = rng.choice(words.REPLIES_RESOLVED if resolved else words.REPLIES_UNRESOLVED)
        sim.act(number, staff, Action.REPLY, at, text=text, resolved="yes" if resolved else "no", contact=contact)
        at += _minutes(rng, 30, 360)
        yield at
        if rng.random() < 0.07:
            sim.act(number, "dispatcher", Action.REVIEW_REPLY, at, decision="send_back",
                    note=rng.choice(words.SEND_BACK_NOTES))
            at += _minutes(rng, 120, 1400)
            yield at
            sim.act(number, staff, Action.REPLY, at, text=text + words.REPLY_SPARE,
                    resolved="yes" if resolved else "no", contact="phone")
            at += _minutes(rng, 30, 240)
            yield at
        sim.act(number, "dispatcher", Action.REVIEW_REPLY, at, decision="approve", note="")
        callback_due = sim.case(number).callback_due_at
        if spec.anonymous or spec.phone is None:  # nobody to call back: the centre closes it
            at += _minutes(rng, 60, 1400)
            yield at
            sim.act(number, "supervisor", Action.CLOSE, at, note="匿名件，无法回访，经审核予以办结。")
            return
        if rng.random() < 0.06:  # nobody answered, and no text came back, until the window closed
            at = callback_due + _minutes(rng, 30, 900)
            yield at
            sim.act(number, "supervisor", Action.CLOSE_UNRATED, at, note="")
            return
        at = min(at + _minutes(rng, 60, 2400), callback_due - timedelta(minutes=5))
        yield at
        unhappy = spec.stubborn or rng.random() < profile.unhappy
        if unhappy:
            satisfaction = rng.choices(("dissatisfied", "basically"), (4, 1))[0]
            rated_resolved = satisfaction == "dissatisfied" and rng.random() < 0.3
        else:
            satisfaction = rng.choices(("satisfied", "basically"), (5, 2))[0]
            rated_resolved = resolved or rng.random() < 0.5
        by_text = rng.random() < 0.3
        sim.act(number, sim.sms_user() if by_text else "operator", Action.CALLBACK, at, satisfaction=satisfaction,
                resolved="yes" if rated_resolved else "no",
                note="" if by_text else rng.choice(words.CALLBACK_UNHAPPY if unhappy else words.CALLBACK_HAPPY))
        if sim.case(number).state == State.CLOSED:
            return
        at += _minutes(rng, 60, 600)
        yield at
        if round_ < 3 and (spec.stubborn or (round_ < 2 and rng.random() < 0.55)):
            sim.act(number, "dispatcher", Action.REDO, at, note=rng.choice(words.REDO_NOTES))
            continue
        sim.act(number, "supervisor", Action.CLOSE, at, note=rng.choice(words.CLOSE_NOTES))
        return


def _reply_moment(rng: random.Random, profile: Profile, case, at: datetime) -> datetime:
    due = case.reply_due_at
    if rng.random() < profile.late_reply:
        return max(at, due) + _minutes(rng, 90, 5000)
    if "last_hour" in profile.quirks and rng.random() < 0.6 and due - timedelta(hours=1) > at:
        return due - _minutes(rng, 3, 55)
    return max(at + _minutes(rng, 20, 90), at + (due - at) * rng.uniform(0.1, 0.9))
