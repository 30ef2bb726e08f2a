"""Filing on the public form as a citizen does it: the form with its photos, the code read from the development
SMS outbox, the receipt. Photos are made here with Pillow, with the metadata a phone writes. (No tests here.)"""
from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO

from PIL import ExifTags, Image
from sqlalchemy import select

from hotline.extensions import db
from tests.helpers import hidden_value
from tests.integration.attachment_helpers import multipart, upload

GPS = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (30.0, 15.0, 12.5),
       ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (120.0, 9.0, 44.0)}


def phone_photo(size=(64, 48), orientation: int | None = None, fmt: str = "JPEG", colour="red") -> bytes:
    """A photo as a phone writes it: the place it was taken, the phone's make, model and serial number, a
    comment, and (optionally) an orientation for the viewer to apply."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Huawei"
    exif[ExifTags.Base.Model] = "P60 Pro"
    exif[ExifTags.Base.BodySerialNumber] = "SN-0042-PRIVATE"
    exif[ExifTags.Base.ImageDescription] = "王小明的家"
    exif[ExifTags.IFD.GPSInfo] = GPS
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    out = BytesIO()
    Image.new("RGB", size, colour).save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def open_form(client, query: str = "") -> dict:
    page = client.get(f"/file{query}").get_data(as_text=True)
    return {"csrf_token": hidden_value(page, "csrf_token"), "submission_key": hidden_value(page, "submission_key")}


def post_form(client, data: dict, photos=(), form: dict | None = None):
    """The form as a browser sends it (multipart); `photos` are (bytes, name) pairs."""
    fields = {**(form or open_form(client)), **data}
    fields["photos"] = [upload(content, name, "image/jpeg") for content, name in photos]
    return client.post("/file", **multipart(fields))


def sent_code(app, e164: str) -> str:
    """The newest code texted to the number, from the development SMS outbox."""
    from hotline.models import SmsMessage

    with app.app_context():
        body = db.session.scalar(select(SmsMessage.body).where(SmsMessage.to_phone == e164,
                                                               SmsMessage.purpose == "code")
                                 .order_by(SmsMessage.id.desc()).limit(1))
    assert body, f"no code was sent to {e164}"
    return re.search(r"\d{6}", body).group(0)


def codes_sent(app, e164: str) -> int:
    from sqlalchemy import func

    from hotline.models import SmsMessage

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SmsMessage)
                                 .where(SmsMessage.to_phone == e164, SmsMessage.purpose == "code"))


def enter_code(client, verify_url: str, code: str):
    page = client.get(verify_url).get_data(as_text=True)
    return client.post(verify_url, data={"csrf_token": hidden_value(page, "csrf_token"), "code": code})


def file_and_verify(app, client, data: dict, photos=()):
    """The whole filing: the form, then the code texted to the phone. Returns the redirect to the receipt."""
    from hotline.domain.phone import to_e164

    sent = post_form(client, data, photos)
    assert sent.status_code == 302 and "/file/verify/" in sent.headers["Location"], sent.get_data(as_text=True)[:800]
    return enter_code(client, sent.headers["Location"], sent_code(app, to_e164(data["phone"])))


def sign_in_as_citizen(client, typed_phone: str | None) -> None:
    """This browser proved the number lately (the portal's sign-in): the form then registers without a code."""
    from hotline.clock import now
    from hotline.domain.phone import InvalidPhone, to_e164
    from hotline.web.public import citizen

    try:
        e164 = to_e164(typed_phone or "")
    except InvalidPhone:
        return
    with client.session_transaction() as session:
        session[citizen.SIGNED_IN] = {"phone": e164, "until": (now() + timedelta(hours=1)).isoformat()}
