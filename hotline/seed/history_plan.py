"""The demo history's cases, planned before any is filed: when each arrives, what kind it is, who calls, in
which words, and how it ends at intake if it does. One random generator, drawn in one order, so the same seed
plans the same cases."""
from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.domain.kinds import Channel, Kind, Urgency
from hotline.models import Area, Category
from hotline.seed import history_texts as words
from hotline.seed.complaint_texts import TEXTS
from hotline.seed.history_life import Spec

# How busy each hour of the day is (local time): the phones ring from eight in the morning, most before lunch
# and in the afternoon; a little all night (12345 answers 7×24).
HOURS = (0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 2.5, 3.2, 3.2, 2.8, 2.2, 2.6, 3.0, 3.0, 2.8, 2.4, 2.0, 2.0,
         1.8, 1.4, 0.9, 0.5)
WEEKDAYS = (1.15, 1.05, 1.0, 1.0, 1.0, 0.8, 0.75)  # Monday's calls after the weekend
KINDS = ((Kind.COMPLAINT, 50), (Kind.HELP, 16), (Kind.REPORT, 6), (Kind.CONSULT, 12), (Kind.SUGGESTION, 6),
         (Kind.PRAISE, 4))
CHANNELS = ((Channel.PHONE, 64), (Channel.WEB, 24), (Channel.SMS, 8), (Channel.VOICEMAIL, 4))
# subjects where a matter is reported (举报) rather than complained about
REPORTED = ("city.illegal-construction", "market.", "environment.", "health.illegal-practice", "order.",
            "labour.wage-arrears")


def plan(session: Session, options, first_day: date, now: datetime, zone: ZoneInfo) -> list[Spec]:
    rng = random.Random(options.seed)  # noqa: S311  (a repeatable demo, not a secret)
    active = set(session.scalars(select(Category.code).where(Category.active, Category.level == 2)))
    texts = [(code, text) for code, text in TEXTS if code in active]
    reportable = [(c, t) for c, t in texts if c.startswith(REPORTED)]
    places = _places(session)
    people: list[tuple[str, str]] = []
    specs: list[Spec] = []
    day = first_day
    while day <= now.astimezone(zone).date():
        expected = options.per_day * WEEKDAYS[day.weekday()]
        for _ in range(max(0, round(rng.gauss(expected, math.sqrt(expected))))):
            minute = rng.choices(range(24), HOURS)[0] * 60 + rng.uniform(0, 60)
            received = (datetime.combine(day, time(0), zone) + timedelta(minutes=minute)).astimezone(ZoneInfo("UTC"))
            spec = _spec(rng, len(specs), received, texts, reportable, active, places, people)
            if received <= now:
                specs.append(spec)
        day += timedelta(days=1)
    return specs


def _spec(rng, index, received, texts, reportable, active, places, people) -> Spec:
    kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
    ending, answer, urgency = "", "", Urgency.GENERAL
    if rng.random() < 0.006:
        category, text, answer = rng.choice(words.EMERGENCIES)
        kind, channel, urgency, ending = Kind.HELP, Channel.PHONE, Urgency.URGENT, "transfer"
    elif kind is Kind.CONSULT:
        category, text, answer = rng.choice(words.QUESTIONS)
        ending = "answer" if rng.random() < 0.75 else ""
    elif kind is Kind.SUGGESTION:
        category, text = rng.choice(words.SUGGESTIONS)
    elif kind is Kind.PRAISE:
        category, text = rng.choice(words.PRAISE)
    elif kind is Kind.REPORT:
        category, text = rng.choice(reportable)
        text = text if "举报" in text else "举报：" + text
    else:
        category, text = rng.choice(texts)
    if category not in active:  # a subject an administrator retired: the matter is filed as a complaint
        category, text = rng.choice(texts)
    if not ending and kind in (Kind.COMPLAINT, Kind.HELP) and rng.random() < 0.025:
        ending = "merge"  # another caller about a matter already open: merged if one is open then
    elif not ending and rng.random() < 0.01:
        ending = "terminate"
    if ending in ("answer", "transfer", "merge"):
        channel = Channel.PHONE
    if urgency is Urgency.GENERAL:
        roll = rng.random()
        if category.startswith("utilities.") and roll < 0.5:
            urgency = Urgency.UTILITIES
        elif roll > 0.93:
            urgency = Urgency.COMPLEX
    area = _place_of(text, places, rng)
    anonymous = kind in (Kind.SUGGESTION, Kind.PRAISE) and rng.random() < 0.4
    name, phone = ("", None) if anonymous else _caller(rng, people)
    return Spec(
        index=index, received=received, kind=kind, channel=channel, category=category, text=text, area=area,
        location=_location(rng, places["names"][area]), urgency=urgency, name=name, phone=phone,
        confidential=not anonymous and rng.random() < (0.5 if kind is Kind.REPORT else 0.06),
        anonymous=anonymous, publish_consent=rng.random() < 0.35, ending=ending, answer=answer,
        stubborn=kind is Kind.COMPLAINT and not ending and rng.random() < 0.006,
        rng=random.Random(rng.getrandbits(64)),  # noqa: S311
    )


def _places(session: Session) -> dict:
    """Streets by name and by district, to place a text that names one; the rest are spread over all streets."""
    areas = list(session.scalars(select(Area).where(Area.active).order_by(Area.code)))
    streets = [a for a in areas if a.level == 2]
    by_district: dict[str, list[str]] = {}
    for street in streets:
        by_district.setdefault(street.parent.name, []).append(street.code)
    return {"streets": [s.code for s in streets], "by_street": {s.name: s.code for s in streets},
            "by_district": by_district, "names": {s.code: s.name for s in streets}}


def _place_of(text: str, places: dict, rng: random.Random) -> str:
    for name, code in places["by_street"].items():
        if name in text:
            return code
    for name, codes in places["by_district"].items():
        if name in text:
            return rng.choice(codes)
    return rng.choice(places["streets"])


def _location(rng: random.Random, street: str) -> str:
    if rng.random() < 0.5:
        return f"{street}{rng.choice(words.ROADS)}{rng.randint(1, 280)}号"
    return f"{street}{rng.choice(words.ESTATES)}{rng.randint(1, 30)}栋"


def _caller(rng: random.Random, people: list[tuple[str, str]]) -> tuple[str, str]:
    """Someone who called before (one caller in eight), or someone new: a made-up name and mobile number."""
    if people and rng.random() < 0.12:
        return rng.choice(people)
    weights = [1 / (i + 4) for i in range(len(words.SURNAMES))]
    name = rng.choices(words.SURNAMES, weights)[0] + rng.choice(words.GIVEN)
    phone = "+86" + rng.choice(words.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
    people.append((name, phone))
    return name, phone
