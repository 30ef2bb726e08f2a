"""The operators' inbox: texts and voice mail that arrived without an operator, each beside the caller's history,
to be answered, made into a case or closed; and the block list. The admin takes no part in handling, and
departments never see these screens."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hotline.clock import now
from hotline.domain.phone import readable, to_e164
from hotline.domain.roles import Role
from hotline.extensions import db
from hotline.models import SmsThread, Voicemail
from hotline.services import audit, blocklist, caller, sms_inbox
from hotline.web.access import client_ip, roles_required
from hotline.web.operator import bp
from hotline.web.operator.inbox_forms import AddBlockForm, BlockForm, DoneForm, LiftForm, ReplyForm

INBOX_ROLES = (Role.OPERATOR, Role.DISPATCHER, Role.SUPERVISOR)


@bp.app_template_global()
def inbox_open_count() -> int:
    """For the nav: asked once per request, and only by the pages of those who may open the inbox."""
    if "inbox_open_count" not in g:
        g.inbox_open_count = sms_inbox.open_count(db.session)
    return g.inbox_open_count


@bp.route("/inbox")
@roles_required(*INBOX_ROLES)
def inbox():
    tab = request.args.get("tab", "open")
    tab = tab if tab in sms_inbox.TABS else "open"
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, has_next = sms_inbox.items(db.session, tab, page)
    if rows:  # the numbers are shown in full: a view of personal data
        audit.log_access(db.session, current_user, "view_sms_inbox", at=now(), ip=client_ip(),
                         detail=f"{tab} page {page}: {len(rows)} items")
        db.session.commit()
        g.personal_data_shown = True
    return render_template("operator/inbox.html", rows=rows, tab=tab, page=page, has_next=has_next,
                           open_count=inbox_open_count())


@bp.route("/inbox/sms/<int:thread_id>")
@roles_required(*INBOX_ROLES)
def thread(thread_id: int):
    item = sms_inbox.open_thread(db.session, thread_id)
    if item is None:
        abort(404)
    return _thread_page(item)


@bp.route("/inbox/sms/<int:thread_id>/reply", methods=["POST"])
@roles_required(*INBOX_ROLES)
def thread_reply(thread_id: int):
    item = _thread_or_404(thread_id)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _thread_page(item, reply_form=form, status=422)
    try:
        sms_inbox.reply(db.session, item, form.body.data, current_user, now())
    except sms_inbox.ReplyRefused as refused:
        form.body.errors = [REFUSED[str(refused)]()]
        return _thread_page(item, reply_form=form, status=409)
    flash(_("Your reply is queued and will be sent in a moment."), "success")
    return redirect(url_for("operator.thread", thread_id=thread_id) + "#conversation")


@bp.route("/inbox/sms/<int:thread_id>/done", methods=["POST"])
@roles_required(*INBOX_ROLES)
def thread_done(thread_id: int):
    item = _thread_or_404(thread_id)
    if not DoneForm().validate_on_submit():
        return _thread_page(item, status=400)
    sms_inbox.done(db.session, item, current_user, now())
    flash(_("The conversation is done. A new text from this number opens it again."), "success")
    return redirect(url_for("operator.inbox"))


@bp.route("/inbox/sms/<int:thread_id>/block", methods=["POST"])
@roles_required(*INBOX_ROLES)
def thread_block(thread_id: int):
    item = _thread_or_404(thread_id)
    form = BlockForm()
    if not form.validate_on_submit() or not _block(item, form):
        return _thread_page(item, block_form=form, status=422)
    return redirect(url_for("operator.inbox"))


@bp.route("/inbox/voicemail/<int:voicemail_id>")
@roles_required(*INBOX_ROLES)
def voicemail(voicemail_id: int):
    return _voicemail_page(_voicemail_or_404(voicemail_id))


@bp.route("/inbox/voicemail/<int:voicemail_id>/done", methods=["POST"])
@roles_required(*INBOX_ROLES)
def voicemail_done(voicemail_id: int):
    item = _voicemail_or_404(voicemail_id)
    form = DoneForm()
    if not form.validate_on_submit():
        return _voicemail_page(item, done_form=form, status=422)
    sms_inbox.done(db.session, item, current_user, now(), note=form.note.data or "")
    flash(_("The voice message is done."), "success")
    return redirect(url_for("operator.inbox"))


@bp.route("/inbox/voicemail/<int:voicemail_id>/block", methods=["POST"])
@roles_required(*INBOX_ROLES)
def voicemail_block(voicemail_id: int):
    item = _voicemail_or_404(voicemail_id)
    form = BlockForm()
    if not form.validate_on_submit() or not _block(item, form):
        return _voicemail_page(item, block_form=form, status=422)
    return redirect(url_for("operator.inbox"))


@bp.route("/inbox/blocked", methods=["GET", "POST"])
@roles_required(*INBOX_ROLES)
def blocked():
    form, status = AddBlockForm(), 200
    if form.validate_on_submit():
        phone = to_e164(form.phone.data, current_app.config["HOTLINE_PHONE_REGION"])  # the validator passed it
        if blocklist.is_blocked(db.session, phone):
            flash(_("%(phone)s is already blocked.", phone=readable(phone)), "info")
            return redirect(url_for("operator.blocked"))
        try:
            blocklist.block(db.session, phone, form.reason.data, current_user, now(), client_ip())
        except blocklist.BlockRefused as refused:
            form.reason.errors = [BLOCK_REFUSED[str(refused)]()]
            status = 422
        else:
            flash(_("%(phone)s is blocked: its texts and voice mail no longer reach the inbox.",
                    phone=readable(phone)), "success")
            return redirect(url_for("operator.blocked"))
    elif form.is_submitted():
        status = 422
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, has_next = sms_inbox.blocked_page(db.session, page)
    if rows:
        audit.log_access(db.session, current_user, "view_blocked_numbers", at=now(), ip=client_ip(),
                         detail=f"page {page}: {len(rows)} numbers")
        db.session.commit()
        g.personal_data_shown = True
    return render_template("operator/blocked.html", form=form, rows=rows, page=page, has_next=has_next,
                           lift_form=LiftForm()), status


@bp.route("/inbox/blocked/lift", methods=["POST"])
@roles_required(*INBOX_ROLES)
def blocked_lift():
    form = LiftForm()
    if form.validate_on_submit() and blocklist.lift(db.session, form.phone.data, current_user, now(), client_ip()):
        flash(_("The block on %(phone)s is lifted.", phone=readable(form.phone.data)), "success")
    else:
        flash(_("That number is not blocked (any more)."), "error")
    return redirect(url_for("operator.blocked"))


REFUSED = {
    "blocked": lambda: _("This number is blocked: the centre sends it nothing. Lift the block first."),
    "not_mobile": lambda: _("This number cannot receive text messages."),
}
BLOCK_REFUSED = {
    "required": lambda: _("Say why this number is blocked: others will read it."),
    "too_long": lambda: _("At most %(max)d characters.", max=blocklist.REASON_MAX),
}


def _block(item: SmsThread | Voicemail, form: BlockForm) -> bool:
    try:
        row = sms_inbox.block(db.session, item, form.reason.data, current_user, now(), client_ip())
    except blocklist.BlockRefused as refused:
        form.reason.errors = [BLOCK_REFUSED[str(refused)]()]
        return False
    flash(_("%(phone)s is blocked: its texts and voice mail no longer reach the inbox.",
            phone=readable(row.phone)), "success")
    return True


def _thread_or_404(thread_id: int) -> SmsThread:
    item = db.session.get(SmsThread, thread_id)
    if item is None:
        abort(404)
    return item


def _voicemail_or_404(voicemail_id: int) -> Voicemail:
    item = db.session.get(Voicemail, voicemail_id)
    if item is None:
        abort(404)
    return item


def _thread_page(item: SmsThread, *, reply_form: ReplyForm | None = None, block_form: BlockForm | None = None,
                 status: int = 200):
    history = caller.history(db.session, item.phone, now(), current_user, client_ip())
    lines, older = sms_inbox.conversation(db.session, item)
    db.session.commit()  # the read mark and the record of the look at the caller's history
    g.personal_data_shown = True
    return render_template(
        "operator/thread.html", thread=item, history=history, lines=lines, older=older,
        reply_form=reply_form or ReplyForm(formdata=None), block_form=block_form or BlockForm(formdata=None),
        done_form=DoneForm(formdata=None), can_text=sms_inbox.can_receive_texts(item.phone),
        reply_max=sms_inbox.REPLY_MAX,
    ), status


def _voicemail_page(item: Voicemail, *, done_form: DoneForm | None = None, block_form: BlockForm | None = None,
                    status: int = 200):
    history = caller.history(db.session, item.from_phone, now(), current_user, client_ip())
    db.session.commit()
    g.personal_data_shown = True
    g.media_origin = _recording_origin(item.recording_url)  # the page's policy lets it play from there
    return render_template(
        "operator/voicemail.html", voicemail=item, history=history, recording=g.media_origin is not None,
        done_form=done_form or DoneForm(formdata=None), block_form=block_form or BlockForm(formdata=None),
    ), status


def _recording_origin(url: str) -> str | None:
    """Where the recording is played from; a stored address that is not a web address is not played at all."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("https", "http") or not parts.netloc or any(c in parts.netloc for c in " ;'\""):
        return None
    return f"{parts.scheme}://{parts.netloc}"
