"""SQLAlchemy models: persistence only, no decisions, no commits."""
from hotline.models.attachment import Attachment
from hotline.models.audit import AccessLog
from hotline.models.case import Assignment, Case, CaseEvent, CaseNumberCounter
from hotline.models.category import Category
from hotline.models.channels import BlockedNumber, SmsThread, Voicemail
from hotline.models.citizen import FilingDraft, PhoneCode
from hotline.models.classifier import ClassifierModel
from hotline.models.geo import AreaBoundary, GazetteerEntry
from hotline.models.integration import ApiKey, ApiKeyUse, PublicText
from hotline.models.knowledge import KnowledgeArticle
from hotline.models.messaging import OutboxJob, SmsMessage
from hotline.models.org import Area, Department
from hotline.models.people import Person
from hotline.models.petition import AccusedDepartment, Petition, PetitionDocument, Petitioner, Recusal
from hotline.models.routing import RoutingCatalogueVersion, RoutingDecision, RoutingRule
from hotline.models.sla import CalendarDay, CalendarYear, Deadline, Notification, SlaPolicy
from hotline.models.stats import AssessmentPolicy, MonthlyFigure, Publication, RollupState
from hotline.models.user import ApiToken, User
from hotline.models.webhook import WebhookAttempt, WebhookDelivery, WebhookSubscription

__all__ = [
    "AccessLog", "AccusedDepartment", "ApiKey", "ApiKeyUse", "ApiToken", "Area", "AreaBoundary", "AssessmentPolicy",
    "Assignment", "Attachment", "BlockedNumber", "CalendarDay", "CalendarYear", "Case", "CaseEvent",
    "CaseNumberCounter", "Category", "ClassifierModel", "Deadline", "Department", "FilingDraft", "GazetteerEntry",
    "KnowledgeArticle", "MonthlyFigure", "Notification", "OutboxJob", "Person", "Petition", "PetitionDocument",
    "Petitioner", "PhoneCode", "PublicText", "Publication", "Recusal", "RollupState", "RoutingCatalogueVersion",
    "RoutingDecision", "RoutingRule", "SlaPolicy", "SmsMessage", "SmsThread", "User", "Voicemail", "WebhookAttempt",
    "WebhookDelivery", "WebhookSubscription",
]
