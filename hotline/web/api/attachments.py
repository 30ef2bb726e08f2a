"""GET /cases/<number>/attachments/<id>: a reply's file, for those who may see the case (else 404)."""
from __future__ import annotations

from hotline.web import uploads
from hotline.web.api import bp
from hotline.web.api.auth import caller
from hotline.web.api.body import row_id


@bp.get("/cases/<number>/attachments/<int:attachment_id>")
def get_attachment(number: str, attachment_id: int):
    return uploads.send(caller(), number, row_id(attachment_id, "attachment"), "api")
