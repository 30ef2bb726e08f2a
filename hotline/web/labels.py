"""What each code is called on screen, in the reader's language."""
from datetime import datetime

from babel.dates import format_timedelta
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

KIND = {
    "consult": _l("Enquiry"), "help": _l("Request for help"), "complaint": _l("Complaint"),
    "report": _l("Report of wrongdoing"), "suggestion": _l("Suggestion"), "praise": _l("Praise"),
    "petition_suggestion": _l("Petition: suggestion"), "accusation": _l("Petition: accusation"),
    "grievance": _l("Petition: grievance"),
}
STATE = {
    "registered": _l("Awaiting dispatch"), "dispatched": _l("Awaiting sign-for"),
    "returned": _l("Returned, under review"), "in_progress": _l("Being handled"),
    "replied": _l("Replied"), "closed": _l("Closed"), "merged": _l("Merged"), "terminated": _l("Terminated"),
    # petitions (信访工作条例)
    "forwarded": _l("Forwarded, awaiting acceptance"), "objected": _l("Objection under review"),
    "accepted": _l("Accepted, being handled"), "decided": _l("Decided, open to review"),
    "reviewing": _l("Under review"), "reviewed": _l("Reviewed, open to re-review"),
    "re_reviewing": _l("Under re-review"), "not_accepted": _l("Not accepted, told the legal route"),
}
# where a petition's state reads differently from a work order's of the same code
PETITION_STATE = {"registered": _l("Registered, to be forwarded"), "closed": _l("Concluded")}
CHANNEL = {
    "web": _l("Website"), "phone": _l("Phone"), "sms": _l("SMS"), "voicemail": _l("Voice mail"),
    "api": _l("API"), "letter": _l("Letter"), "visit": _l("Visit"), "fax": _l("Fax"),
    "open311": _l("311 app (Open311)"),
}
URGENCY = {
    "urgent": _l("Urgent"), "utilities": _l("Utilities outage"), "general": _l("General"), "complex": _l("Complex"),
}
TRACK = {"hotline": _l("12345 work order"), "petition": _l("Petition")}
ROLE = {
    "operator": _l("Operator"), "dispatcher": _l("Dispatcher"), "staff": _l("Department staff"),
    "head": _l("Department head"), "supervisor": _l("Supervisor"), "admin": _l("Administrator"),
}
# What happened, as the timeline says it.
ACTION = {
    "register": _l("Registered"), "dispatch": _l("Dispatched"), "sign": _l("Signed for"),
    "return": _l("Returned to the centre"), "review-return": _l("Return reviewed"),
    "request-extension": _l("Extension requested"), "decide-extension": _l("Extension decided"),
    "reply": _l("Replied"), "review-reply": _l("Reply reviewed"), "callback": _l("Called back"),
    "close": _l("Closed"), "redo": _l("Sent back to be handled again"), "merge": _l("Merged into another case"),
    "merged-in": _l("A duplicate case was merged in"), "answer-directly": _l("Answered directly"),
    "transfer": _l("Emergency handed on"), "terminate": _l("Terminated"), "urge": _l("Urged"),
    "supervise": _l("Put under supervision"),
    "close-unrated": _l("Closed without a rating"), "restamp": _l("Deadlines recomputed"),
    # petitions
    "forward": _l("Forwarded to the organ"), "refer": _l("Told the legal route"),
    "object": _l("Objected: not the organ's remit"), "decide-objection": _l("Objection decided"),
    "accept": _l("Acceptance decided"), "decide": _l("Written decision issued"),
    "request-review": _l("Review requested"), "decide-review": _l("Review decision issued"),
    "request-re-review": _l("Re-review requested"), "start-hearing": _l("Hearing started"),
    "end-hearing": _l("Hearing ended"), "decide-re-review": _l("Re-review decision issued"),
    "withdraw": _l("Withdrawn"), "link": _l("12345 case linked"), "linked": _l("Linked to a petition"),
    "declare-conflict": _l("Conflict of interest declared"), "record-conflict": _l("Conflict of interest recorded"),
    "correct-document": _l("Document corrected"),
}
# What the button says.
DO = {
    "dispatch": _l("Dispatch"), "sign": _l("Sign for this case"), "return": _l("Return to the centre"),
    "review-return": _l("Review the return"), "request-extension": _l("Request an extension"),
    "decide-extension": _l("Decide on the extension"), "reply": _l("Reply"),
    "review-reply": _l("Review the reply"), "callback": _l("Record the callback"), "close": _l("Close the case"),
    "redo": _l("Send back to be handled again"), "merge": _l("Merge into another case"),
    "answer-directly": _l("Answer directly"), "transfer": _l("Hand on the emergency"), "terminate": _l("Terminate"),
    "urge": _l("Urge"),
    "supervise": _l("Supervise"), "close-unrated": _l("Close without rating"), "restamp": _l("Recompute deadlines"),
    # petitions
    "forward": _l("Forward or assign"), "refer": _l("Tell the legal route"),
    "object": _l("Object: not our remit"), "decide-objection": _l("Decide on the objection"),
    "accept": _l("Decide on acceptance"), "decide": _l("Issue the written decision"),
    "request-review": _l("Record a request for review"), "decide-review": _l("Issue the review decision"),
    "request-re-review": _l("Record a request for re-review"), "start-hearing": _l("Start a hearing"),
    "end-hearing": _l("End the hearing"), "decide-re-review": _l("Issue the re-review decision"),
    "withdraw": _l("Record a withdrawal"), "link": _l("Link a 12345 case"),
    "declare-conflict": _l("Declare a conflict of interest"), "record-conflict": _l("Remove someone with an interest"),
    "correct-document": _l("Correct a document"),
}
# "This case was just … by …": the last change, for a conflict message.
JUST = {
    "register": _l("registered"), "dispatch": _l("dispatched"), "sign": _l("signed for"),
    "return": _l("returned"), "review-return": _l("reviewed after its return"),
    "request-extension": _l("given an extension request"), "decide-extension": _l("decided on for an extension"),
    "reply": _l("replied to"), "review-reply": _l("reviewed after the reply"), "callback": _l("called back"),
    "close": _l("closed"), "redo": _l("sent back to be handled again"), "merge": _l("merged"),
    "merged-in": _l("merged with a duplicate"), "answer-directly": _l("answered directly"),
    "transfer": _l("handed on as an emergency"), "terminate": _l("terminated"), "urge": _l("urged"),
    "supervise": _l("put under supervision"),
    "close-unrated": _l("closed without a rating"), "restamp": _l("given recomputed deadlines"),
    "forward": _l("forwarded"), "refer": _l("told the legal route"), "object": _l("objected to"),
    "decide-objection": _l("decided on its objection"), "accept": _l("decided on for acceptance"),
    "decide": _l("decided"), "request-review": _l("given a request for review"),
    "decide-review": _l("reviewed"), "request-re-review": _l("given a request for re-review"),
    "start-hearing": _l("put to a hearing"), "end-hearing": _l("brought out of its hearing"),
    "decide-re-review": _l("re-reviewed"), "withdraw": _l("withdrawn"), "link": _l("linked to a 12345 case"),
    "declare-conflict": _l("given a declared conflict of interest"),
    "record-conflict": _l("given a recorded conflict of interest"), "correct-document": _l("given a correction"),
}
# Why an action cannot be taken now (Conflict codes from the lifecycle).
CONFLICT = {
    "stale": _l("someone else changed it while you were reading"),
    "state": _l("its status no longer allows it"),
    "already_signed": _l("it has already been signed for"),
    "designated": _l("it has been designated to your department and cannot be returned"),
    "return_window_closed": _l("the time to return it (2 working days after dispatch) has passed"),
    "extension_used": _l("an extension has already been requested"),
    "no_pending_extension": _l("there is no extension request to decide"),
    "not_signed": _l("it has not been signed for yet"), "already_replied": _l("it has already been replied to"),
    "already_reviewed": _l("the reply has already been reviewed"),
    "reply_not_reviewed": _l("the reply has not been reviewed yet"),
    "callback_done": _l("the callback has already been made"), "no_callback": _l("there has been no callback yet"),
    "callback_satisfied": _l("the person was satisfied and the matter is resolved"),
    "callback_window_open": _l("the time to call the person back has not run out yet"),
    # petitions
    "accused_department": _l("an accusation never goes to the unit it accuses (Art. 30)"),
    "objection_window_closed": _l("the time to object (5 working days after forwarding) has passed"),
    "not_a_grievance": _l("only a grievance (申诉求决类) can be reviewed"),
    "review_window_closed": _l("the 30 days to ask for review after the written decision have passed (Art. 35)"),
    "re_review_window_closed": _l("the 30 days to ask for re-review after the review decision have passed (Art. 36)"),
    "in_hearing": _l("a hearing is under way"), "no_hearing": _l("there is no hearing under way"),
    "window_open": _l("the petitioner's time to ask for the next level has not run out yet"),
    "same_matter_settled": _l("the same facts and reasons were concluded after re-review and are not accepted again "
                              "(Art. 36)"),
}
DECISION = {
    "uphold": _l("Uphold: take it back and dispatch again"), "refuse": _l("Refuse: the department keeps it"),
    "approve": _l("Approve"), "deny": _l("Deny"), "send_back": _l("Send back to the department"),
}
PETITION_DECISION = {
    "uphold": _l("Uphold: take it back and forward it again"), "refuse": _l("Refuse: the organ keeps it"),
    "accept": _l("Accept"), "refer": _l("Not accepted: tell the legal route (Art. 31)"),
}
OUTCOME = {"support": _l("Supported (支持)"), "explain": _l("Explained (解释说明)"),
           "reject": _l("Not supported (不予支持)")}
REVIEW_OUTCOME = {"uphold": _l("Upheld (维持)"), "change": _l("Changed (变更)"), "revoke": _l("Revoked (撤销)")}
LEGAL_ROUTE = {"litigation": _l("Court proceedings"), "arbitration": _l("Arbitration"),
               "administrative_review": _l("Administrative reconsideration"), "other": _l("Another legal route")}
FORWARDING = {"forward": _l("Forward (转送): the organ handles and answers"),
              "assign": _l("Assign (交办): the organ handles and reports the result")}
DOCUMENT = {"acceptance": _l("Acceptance notice"), "referral": _l("Notice of the legal route"),
            "extension": _l("Extension notice"), "decision": _l("Written decision"),
            "review_decision": _l("Review decision"), "re_review_decision": _l("Re-review decision")}
PETITION_CLOCK = {"forward": _l("Forward by"), "accept": _l("Tell acceptance by"), "object": _l("Object until"),
                  "decide": _l("Written decision by"), "review_window": _l("Review may be asked until"),
                  "review": _l("Review decision by"), "re_review_window": _l("Re-review may be asked until"),
                  "re_review": _l("Re-review decision by")}
SATISFACTION = {"satisfied": _l("Satisfied"), "basically": _l("Basically satisfied"),
                "dissatisfied": _l("Dissatisfied")}
ASSIGNMENT_STATUS = {"pending": _l("Awaiting sign-for"), "signed": _l("Being handled"), "replied": _l("Replied"),
                     "closed": _l("Closed")}
CONTACT = {"phone": _l("By phone"), "visit": _l("In person, on a visit"), "sms": _l("By SMS"),
           "none": _l("No contact with the person")}
# DOMAIN.md §2: the numbers an emergency caller is told to dial
EMERGENCY = {"110": _l("110 police"), "119": _l("119 fire"), "120": _l("120 ambulance"),
             "122": _l("122 traffic accident")}
EXTENSION = {"pending": _l("Awaiting a decision"), "approved": _l("Approved"), "denied": _l("Denied")}
TAB = {"pending": _l("To sign for"), "in_progress": _l("In progress"), "due_soon": _l("Due soon"),
       "overdue": _l("Overdue"), "replied": _l("Replied")}
QUEUE = {"dispatch": _l("To dispatch"), "returns": _l("Returns"), "extensions": _l("Extension requests"),
         "review": _l("Replies to review"), "callback": _l("Awaiting callback"), "overdue": _l("Overdue")}
SORT = {"newest": _l("Newest first"), "oldest": _l("Oldest first"), "due": _l("Deadline first")}
DEADLINE = {"sign": _l("Sign for by"), "reply": _l("Reply by"), "return": _l("Return possible until"),
            "callback": _l("Call back by"), "supervision": _l("Answer the supervision by")}
DEPARTMENT_KIND = {"city_bureau": _l("City bureaus"), "utility": _l("Public utilities"),
                   "centre": _l("Hotline centre")}
YES_NO = {True: _l("Yes"), False: _l("No")}
SMS_STATUS = {"queued": _l("Queued"), "sent": _l("Sent"), "delivered": _l("Delivered"),
              "undelivered": _l("Not delivered"), "failed": _l("Failed"), "received": _l("Arrived")}
ACTOR = {"citizen": _l("Citizen"), "system": _l("System")}


def state_of(track: str, state: str) -> str:
    """A case's state in words: a petition's where it reads differently from a work order's."""
    if track == "petition" and state in PETITION_STATE:
        return str(PETITION_STATE[state])
    return of(STATE, state)


def of(table: dict, code) -> str:
    if code is None:
        return ""
    return str(table.get(code, code))


def name(thing) -> str:
    """A seeded place, department or category in the reader's language."""
    if thing is None:
        return ""
    if str(get_locale()) == "en" and getattr(thing, "name_en", ""):
        return thing.name_en
    return thing.name


def short(department) -> str:
    if department is None:
        return ""
    if str(get_locale()) == "en" and department.name_en:
        return department.name_en
    return department.short_name


def span(seconds: float) -> str:
    return format_timedelta(abs(seconds), format="short", threshold=1, locale=get_locale())


def due(moment: datetime | None, now: datetime) -> str:
    """"due in 3 hr" / "overdue by 2 days"."""
    if moment is None:
        return ""
    seconds = (moment - now).total_seconds()
    if seconds >= 0:
        return _("due in %(span)s", span=span(seconds))
    return _("overdue by %(span)s", span=span(seconds))


FILE_TYPE = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP", "application/pdf": "PDF"}


def file_size(size: int) -> str:
    """12 KB, 3.4 MB: enough to tell a photo from a scan."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{format_decimal(size / 1024, '#,##0')} KB"
    return f"{format_decimal(size / (1024 * 1024), '#,##0.0')} MB"
