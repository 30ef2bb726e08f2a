"""The functions RQ runs. Each takes ids, runs one service, and marks its outbox row done."""
from __future__ import annotations

from flask import current_app

from hotline.clock import now
from hotline.extensions import db
from hotline.integrations.sms import transport_from_config
from hotline.models import SmsMessage
from hotline.services import digest, escalation, filing, notify, outbox, petition_documents, sweep, webhook_delivery


def deliver_sms(message_id: int, outbox_id: int | None = None) -> None:
    cfg = current_app.config
    notify.deliver_sms(db.session, message_id, transport_from_config(cfg), cfg["HOTLINE_SMS_SENDER"], now())
    message = db.session.get(SmsMessage, message_id)
    if message is not None and message.status == "failed":  # refused for good (a blocked number …): no retry
        outbox.fail(db.session, outbox_id, f"SMS {message_id} not sent: {message.error}", now())
    else:
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


def close_petition(deadline_id: int, outbox_id: int | None = None) -> str:
    result = escalation.close_petition(db.session, deadline_id, now(), current_app.config["HOTLINE_TIMEZONE"])
    outbox.finish(db.session, outbox_id, now())
    return result


def render_document(document_id: int, outbox_id: int | None = None) -> str:
    result = petition_documents.render_pdf(db.session, document_id, filing.storage_from_config(current_app.config))
    outbox.finish(db.session, outbox_id, now())
    return result


def send_digests(outbox_id: int | None = None) -> int:
    sent = digest.send_digests(db.session, now(), current_app.config["HOTLINE_TIMEZONE"])
    outbox.finish(db.session, outbox_id, now())
    return sent


def recompute_deadlines(user_id: int, scope: str, note: str, asked_at: str, year: int | None = None,
                        outbox_id: int | None = None) -> dict:
    from datetime import datetime

    from hotline.services import recompute

    tally = recompute.run_bulk(db.session, user_id, scope, note, datetime.fromisoformat(asked_at), now(),
                               current_app.config["HOTLINE_TIMEZONE"], year=year, outbox_id=outbox_id)
    outbox.finish(db.session, outbox_id, now())
    return tally.as_dict()


def roll_up_figures(outbox_id: int | None = None) -> int:
    from hotline.services import rollup

    return rollup.run(db.session, now(), current_app.config["HOTLINE_TIMEZONE"])


def purge_expired(outbox_id: int | None = None) -> dict:
    from hotline.services import filing, otp

    drafts = filing.purge(db.session, filing.storage_from_config(current_app.config), now())
    return {"drafts": drafts, "codes": otp.purge(db.session, now())}


def deliver_webhooks(subscription_id: int, outbox_id: int | None = None) -> int:
    cfg = current_app.config
    tried = webhook_delivery.deliver(db.session, subscription_id, cfg["HOTLINE_WEBHOOK_TIMEOUT"],
                                     webhook_delivery.sender(cfg["HOTLINE_WEBHOOK_ALLOW_LOOPBACK"]))
    outbox.finish(db.session, outbox_id, now())
    return tried


def deliver_due_webhooks(outbox_id: int | None = None) -> list[int]:
    return webhook_delivery.queue_due(db.session, now())
