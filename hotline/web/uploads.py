"""What the case pages and the API share about a reply's files: where they are stored, how an upload
becomes an IncomingFile, and how a stored file is sent back to someone who may see the case."""
from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, g, send_file
from werkzeug.datastructures import FileStorage

from hotline.clock import now
from hotline.domain.errors import NotFound
from hotline.extensions import db
from hotline.integrations.storage import LocalStorage, Storage
from hotline.models import User
from hotline.services import attachments, audit
from hotline.services.attachments import IncomingFile
from hotline.web.access import client_ip


def storage() -> Storage:
    return LocalStorage(current_app.config["HOTLINE_UPLOAD_DIR"])


def incoming(parts: Iterable[FileStorage]) -> list[IncomingFile]:
    """A file input left empty still sends a part, with no name and no bytes: that is no file."""
    return [IncomingFile(part.filename or "", part.stream) for part in parts if part.filename]


def send(user: User, number: str, attachment_id: int, channel: str):
    """The file as a download, never shown inline: it may hold personal data, so who fetched it is
    written to the access log (个人信息保护法 Arts. 34–36) and it is not cached. NotFound unless the
    user may see the case and the file is one of its own."""
    case, attachment = attachments.get_visible(db.session, user.actor, number, attachment_id)
    try:
        stream = storage().open(attachment.storage_key)
    except FileNotFoundError:
        current_app.logger.error("attachment %s of %s: file %s is missing from the storage",
                                 attachment.id, case.number, attachment.storage_key)
        raise NotFound("file") from None
    audit.log_access(db.session, user, "download_attachment", at=now(), case=case, ip=client_ip(),
                     detail=f"{channel} #{attachment.id} {attachment.original_name}")
    db.session.commit()
    g.personal_data_shown = True  # Cache-Control: no-store
    response = send_file(stream, mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.original_name, conditional=False, etag=False, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"  # if it is opened anyway
    return response
