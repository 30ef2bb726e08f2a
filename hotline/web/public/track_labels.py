"""What the tracking page calls each step, status and deadline, in the citizen's words (not the back office's).
A petition's statuses and deadlines have codes of their own (domain/public_timeline_petition.py), kept in the
same STATUS, STATUS_CLASS and DUE so the list of a person's cases words both; its steps are PETITION_STEP."""
from flask_babel import lazy_gettext as _l

STATUS = {
    "received": _l("Received, being assigned"), "rerouting": _l("Being passed to the right department"),
    "dispatched": _l("With the department"), "in_progress": _l("Being handled"),
    "answered": _l("Answered: please rate it"), "rated": _l("Rated: the centre is following up"),
    "closed": _l("Closed"), "merged": _l("Handled together with another case"), "terminated": _l("Handling ended"),
    # petitions (信访工作条例)
    "registered": _l("Registered, to be sent to the organ responsible"),
    "forwarded": _l("With the organ responsible: you will be told whether it is accepted"),
    "accepted": _l("Accepted, being handled"), "not_accepted": _l("Not accepted: see the legal route"),
    "decided": _l("Written decision issued"), "reviewing": _l("Under review (复查)"),
    "reviewed": _l("Review decision issued"), "re_reviewing": _l("Under re-review (复核)"),
    "concluded": _l("Concluded"),
}
# the colour of the status badge (app.css .state-*)
STATUS_CLASS = {"received": "registered", "rerouting": "registered", "dispatched": "dispatched",
                "in_progress": "in_progress", "answered": "replied", "rated": "returned", "closed": "closed",
                "merged": "merged", "terminated": "terminated",
                "registered": "registered", "forwarded": "dispatched", "accepted": "in_progress",
                "not_accepted": "closed", "decided": "replied", "reviewing": "in_progress", "reviewed": "replied",
                "re_reviewing": "in_progress", "concluded": "closed"}
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
       "reopen": _l("You may ask for it to be handled again until"),
       # petitions: the statutory limits (Arts. 22, 23, 32–36)
       "forward": _l("To be sent to the organ responsible by"),
       "accept": _l("You are to be told whether it is accepted by"),
       "decide": _l("Written decision due by"), "review_window": _l("You may ask for a review (复查) until"),
       "review": _l("Review decision due by"), "re_review_window": _l("You may ask for a re-review (复核) until"),
       "re_review": _l("Re-review decision due by")}
PETITION_STEP = {
    "registered": _l("Your petition was registered"), "forwarded": _l("Sent to the organ responsible"),
    "accepted": _l("Accepted: an acceptance notice was issued to you"),
    "not_accepted": _l("Not accepted as a petition: you were told the legal route"),
    "extended": _l("The time for the decision was extended: a notice was issued to you"),
    "decided": _l("Written decision issued"),
    "review_requested": _l("Your request for a review (复查) was received"),
    "reviewed": _l("Review decision issued"),
    "re_review_requested": _l("Your request for a re-review (复核) was received"),
    "hearing_started": _l("A hearing began: its days do not count toward the deadline"),
    "hearing_ended": _l("The hearing ended"), "re_reviewed": _l("Re-review decision issued"),
    "concluded": _l("Concluded"), "withdrawn": _l("Withdrawn at your request"),
}
# Why a petition was concluded (Entry.detail of "concluded")
CONCLUDED = {
    "final": _l("The re-review decision is final: the same facts and reasons are not accepted again (Art. 36)."),
    "decision": _l("No review was asked for within 30 days: the written decision stands."),
    "review_decision": _l("No re-review was asked for within 30 days: the review decision stands."),
}
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
