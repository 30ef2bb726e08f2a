"""The vocabulary of a case (DOMAIN.md §1). Values are the API/database spelling."""
from enum import StrEnum


class Track(StrEnum):
    HOTLINE = "hotline"    # 12345 工单
    PETITION = "petition"  # 信访事项


class Kind(StrEnum):
    # hotline work orders
    CONSULT = "consult"        # 咨询
    HELP = "help"              # 求助
    COMPLAINT = "complaint"    # 投诉
    REPORT = "report"          # 举报
    SUGGESTION = "suggestion"  # 建议
    PRAISE = "praise"          # 表扬
    # petitions (信访工作条例)
    PETITION_SUGGESTION = "petition_suggestion"  # 建议意见类
    ACCUSATION = "accusation"                    # 检举控告类
    GRIEVANCE = "grievance"                      # 申诉求决类


KINDS_BY_TRACK: dict[Track, tuple[Kind, ...]] = {
    Track.HOTLINE: (Kind.COMPLAINT, Kind.HELP, Kind.REPORT, Kind.CONSULT, Kind.SUGGESTION, Kind.PRAISE),
    Track.PETITION: (Kind.PETITION_SUGGESTION, Kind.ACCUSATION, Kind.GRIEVANCE),
}


class Channel(StrEnum):
    WEB = "web"
    PHONE = "phone"
    SMS = "sms"
    VOICEMAIL = "voicemail"
    API = "api"
    OPEN311 = "open311"  # a 311 app or another system, through /open311/v2 with an API key
    LETTER = "letter"
    FAX = "fax"  # petitions (信访工作条例 Art. 17)
    VISIT = "visit"


class Urgency(StrEnum):
    URGENT = "urgent"        # life or property at risk
    UTILITIES = "utilities"  # 水电气热 outages
    GENERAL = "general"
    COMPLEX = "complex"


CASE_NUMBER_PREFIX: dict[Track, str] = {Track.HOTLINE: "12345", Track.PETITION: "XF"}
