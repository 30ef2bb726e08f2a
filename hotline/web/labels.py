"""What each code is called on screen, in the reader's language."""
from flask_babel import get_locale
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
}
CHANNEL = {
    "web": _l("Website"), "phone": _l("Phone"), "sms": _l("SMS"), "voicemail": _l("Voice mail"),
    "api": _l("API"), "letter": _l("Letter"), "visit": _l("Visit"),
}
URGENCY = {
    "urgent": _l("Urgent"), "utilities": _l("Utilities outage"), "general": _l("General"), "complex": _l("Complex"),
}
TRACK = {"hotline": _l("12345 work order"), "petition": _l("Petition")}
ROLE = {
    "operator": _l("Operator"), "dispatcher": _l("Dispatcher"), "staff": _l("Department staff"),
    "head": _l("Department head"), "supervisor": _l("Supervisor"), "admin": _l("Administrator"),
}
ACTION = {"register": _l("Registered")}
SMS_STATUS = {"queued": _l("Queued"), "sent": _l("Sent"), "delivered": _l("Delivered"), "failed": _l("Failed")}
ACTOR = {"citizen": _l("Citizen"), "system": _l("System")}


def of(table: dict, code: str | None) -> str:
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
