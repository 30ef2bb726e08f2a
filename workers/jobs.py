"""The functions RQ runs. Each takes ids, runs one service, and marks its outbox row done."""
from __future__ import annotations

from flask import current_app

from hotline.clock import now
from hotline.extensions import db
from hotline.integrations.sms import transport_for
from hotline.services import notify, outbox


def deliver_sms(message_id: int, outbox_id: int | None = None) -> None:
    cfg = current_app.config
    notify.deliver_sms(db.session, message_id, transport_for(cfg["HOTLINE_SMS_TRANSPORT"]),
                       cfg["HOTLINE_SMS_SENDER"], now())
    outbox.finish(db.session, outbox_id, now())


def retrain_classifier(outbox_id: int | None = None) -> None:
    from hotline.services import suggest  # scikit-learn loads only in the processes that train

    suggest.retrain(db.session, now())
    outbox.finish(db.session, outbox_id, now())
