"""Where a call to the hotline goes. In the voice hours (every day, local time) it rings the operators; outside
them, when nobody answers, or when the caller asks for it, the caller may leave a voice message. A blocked
number still reaches a person in those hours (an emergency must always get through); it only cannot leave
voice mail, and neither can a number that has left too many messages lately."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

MAX_MESSAGE_SECONDS = 120
# Twilio's DialCallStatus: anything but a completed (answered) call leaves the caller with nobody
UNANSWERED = frozenset({"no-answer", "busy", "failed", "canceled"})


class Route(StrEnum):
    OPERATORS = "operators"  # greeting, "press 1 to leave a message", then the operators' number rings
    VOICEMAIL = "voicemail"  # greeting, then the recording
    REFUSE = "refuse"  # a polite goodbye: no operator now, and no voice mail for this number


@dataclass(frozen=True)
class Turn:
    """What the caller hears next, and why: "closed" (outside the voice hours), "busy" (nobody answered, or no
    operators' number is set), "chosen" (the caller pressed 1), "greeting" (the call has just begun)."""
    route: Route
    reason: str


def in_hours(now: datetime, hours: tuple[str, str], timezone: str) -> bool:
    """`hours` as ("08:00", "20:00"): from the first minute to before the second, local time; ("00:00", "24:00")
    is the whole day."""
    local = now.astimezone(ZoneInfo(timezone)).time()
    opens, closes = hours
    return time.fromisoformat(opens) <= local and (closes == "24:00" or local < time.fromisoformat(closes))


def route_call(now: datetime, hours: tuple[str, str], timezone: str, operators: str, may_record: bool) -> Turn:
    """A new call. A blocked number is routed like any other here: only its voice mail is refused."""
    open_now = in_hours(now, hours, timezone)
    if operators and open_now:
        return Turn(Route.OPERATORS, "greeting")
    return Turn(Route.VOICEMAIL if may_record else Route.REFUSE, "busy" if open_now else "closed")


def after_dial(dial_status: str, may_record: bool) -> Turn | None:
    """After the operators' number rang: None when someone answered (the call is over), else voice mail."""
    if not unanswered(dial_status):
        return None
    return Turn(Route.VOICEMAIL if may_record else Route.REFUSE, "busy")


def unanswered(dial_status: str) -> bool:
    return (dial_status or "").strip().lower() in UNANSWERED


def menu(digits: str, may_record: bool) -> Turn:
    """The key pressed during the greeting: 1 leaves a message (when this number may); anything else waits for
    an operator, as does a number that may not leave one."""
    if (digits or "").strip() == "1" and may_record:
        return Turn(Route.VOICEMAIL, "chosen")
    return Turn(Route.OPERATORS, "chosen")


def worth_keeping(recording_url: str, duration_seconds: int) -> bool:
    """A hang-up at the beep leaves an empty recording: nothing for an operator to listen to."""
    return bool(recording_url) and duration_seconds > 0


def seconds(raw: str | None) -> int:
    """Twilio's RecordingDuration, "0" … "120"; anything unreadable counts as nothing recorded."""
    try:
        return max(int(str(raw).strip()), 0)
    except (TypeError, ValueError):
        return 0
