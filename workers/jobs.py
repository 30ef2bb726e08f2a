"""The functions RQ runs. Each takes ids, runs one service, and marks its outbox row done."""
from __future__ import annotations

from flask import current_app

from hotline.clock import now
from hotline.extensions import db
from hotline.integrations.sms import transport_for
from hotline.services import escalation, notify, outbox, sweep


def deliver_sms(message_id: int, outbox_id: int | None = None) -> None:
    cfg = current_app.config
    notify.deliver_sms(db.session, message_id, transport_for(cfg["HOTLINE_SMS_TRANSPORT"]),
                       cfg["HOTLINE_SMS_SENDER"], now())
    outbox.finish(db.session, outbox_id, now())


def retrain_classifier(outbox_id: int | None = None) -> None:
    from hotline.services import suggest  # scikit-learn loads only in the processes that train

    suggest.retrain(db.session, now())
    outbox.finish(db.session, outbox_id, now())


def sweep_deadlines(outbox_id: int | None = None) -> dict:
    tally = sweep.sweep(db.session, now())
    return {"warnings": tally.warnings, "breaches": tally.breaches}


def escalate_breach(deadline_id: int, outbox_id: int | None = None) -> str:
    result = escalation.escalate_breach(db.session, deadline_id, now(), current_app.config["HOTLINE_TIMEZONE"])
    outbox.finish(db.session, outbox_id, now())
    return result


def close_unrated(deadline_id: int, outbox_id: int | None = None) -> str:
    result = escalation.close_unrated(db.session, deadline_id, now(), current_app.config["HOTLINE_TIMEZONE"])
    outbox.finish(db.session, outbox_id, now())
    return result
