"""GET /cases/<number>/attachments/<id>: a reply's file, for those who may see the case."""
from flask import abort
from flask_login import current_user, login_required

from hotline.domain.errors import NotFound
from hotline.web import uploads
from hotline.web.cases import bp


# <attachment_id>, not <int:…>: whatever is asked, a stranger is sent to sign in before being told anything
@bp.route("/<number>/attachments/<attachment_id>")
@login_required
def attachment(number: str, attachment_id: str):
    if not (attachment_id.isdecimal() and attachment_id.isascii()):
        abort(404)
    try:
        return uploads.send(current_user, number, int(attachment_id), "page")
    except NotFound:
        abort(404)
