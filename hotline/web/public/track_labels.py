"""What the tracking page calls each step, status and deadline, in the citizen's words (not the back office's)."""
from flask_babel import lazy_gettext as _l

STATUS = {
    "received": _l("Received, being assigned"), "rerouting": _l("Being passed to the right department"),
    "dispatched": _l("With the department"), "in_progress": _l("Being handled"),
    "answered": _l("Answered: please rate it"), "rated": _l("Rated: the centre is following up"),
    "closed": _l("Closed"), "merged": _l("Handled together with another case"), "terminated": _l("Handling ended"),
}
# the colour of the status badge (app.css .state-*)
STATUS_CLASS = {"received": "registered", "rerouting": "registered", "dispatched": "dispatched",
                "in_progress": "in_progress", "answered": "replied", "rated": "returned", "closed": "closed",
                "merged": "merged", "terminated": "terminated"}
STEP = {
    "received": _l("Your matter was received"), "dispatched": _l("Sent to the department responsible"),
    "signed": _l("The department took the case on"),
    "extension_requested": _l("The department asked for more time"),
    "extension_approved": _l("More time granted by the centre"),
    "extension_denied": _l("More time not granted: the deadline stands"),
    "answered": _l("The department’s answer"), "answered_directly": _l("Answered by the hotline"),
    "transferred": _l("Handed on as an emergency"), "rated": _l("Rating of the handling"),
    "reopened": _l("Sent back to be handled again"), "closed": _l("Closed"),
    "closed_unrated": _l("Closed: no rating was given in time"), "terminated": _l("Handling ended"),
    "merged": _l("Handled together with another case on the same matter"),
}
DUE = {"sign": _l("To be taken on by"), "reply": _l("To be answered by"), "callback": _l("Rate by"),
       "reopen": _l("You may ask for it to be handled again until")}
# Why a rating or a redo was not recorded (services.citizen_cases.Refused)
REFUSED = {
    "not_answered": _l("There is no answer to rate yet."),
    "already_rated": _l("This answer has already been rated (perhaps by SMS or on a call)."),
    "window_closed": _l("The time for rating this answer, or asking for it to be handled again, is over. "
                        "Call 12345 if you need more help."),
    "moved_on": _l("The case has moved on since you opened the page."),
    "not_rated": _l("Rate the answer first."), "satisfied": _l("You rated the answer as resolved and satisfactory."),
    "stale": _l("The case has changed since you opened the page. Check the latest state below."),
}
