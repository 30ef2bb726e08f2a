"""The photos a citizen sends with a complaint: stored without what the phone wrote into them, kept through a
mistake elsewhere in the form, attached to the registration, seen by those who may see the case."""
from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from pathlib import Path

from PIL import ExifTags, Image
from sqlalchemy import func, select

from hotline.clock import now
from hotline.extensions import db
from hotline.models import Attachment, Case, FilingDraft, User
from tests.helpers import act, complaint, dispatch, hidden_value, login
from tests.integration.attachment_helpers import (
    ELEVEN_MB,
    NOT_A_PHOTO,
    attachment_rows,
    downloads_logged,
    minimal_pdf,
    on_disk,
)
from tests.integration.filing_helpers import codes_sent, enter_code, open_form, phone_photo, post_form, sent_code

PHONE = "+8613812345678"


def file_with(app, client, photos, **fields) -> str:
    sent = post_form(client, complaint(app, **fields), photos=photos)
    done = enter_code(client, sent.headers["Location"], sent_code(app, PHONE))
    return done.headers["Location"].rsplit("/", 1)[-1]


def stored_image(upload_dir: Path, row: Attachment) -> Image.Image:
    data = (upload_dir / row.storage_key[:2] / row.storage_key).read_bytes()
    assert len(data) == row.size
    image = Image.open(BytesIO(data))
    image.load()
    return image


def test_a_photo_is_stored_upright_without_its_location_or_anything_else_the_phone_wrote(app, client, upload_dir):
    number = file_with(app, client, [(phone_photo(size=(64, 48), orientation=6), "IMG_0001.jpg")])
    [row] = attachment_rows(app, number)
    image = stored_image(upload_dir, row)
    assert image.size == (48, 64)  # turned as the phone said, since the tag that said so is gone
    assert dict(image.getexif()) == {} and "exif" not in image.info
    assert b"SN-0042-PRIVATE" not in (upload_dir / row.storage_key[:2] / row.storage_key).read_bytes()


def test_keeping_the_location_keeps_only_the_location(app, client, upload_dir):
    number = file_with(app, client, [(phone_photo(), "IMG_0002.jpg")], keep_location="y")
    [row] = attachment_rows(app, number)
    exif = stored_image(upload_dir, row).getexif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert gps[ExifTags.GPS.GPSLatitudeRef] == "N" and gps[ExifTags.GPS.GPSLongitude] == (120.0, 9.0, 44.0)
    assert ExifTags.Base.Make not in exif and ExifTags.Base.Model not in exif
    assert ExifTags.Base.ImageDescription not in exif


def test_photos_are_kept_through_a_mistake_in_another_field(app, client):
    form = open_form(client)
    client.get("/language/en")
    first = post_form(client, complaint(app, description=""), photos=[(phone_photo(), "路面.jpg")], form=form)
    html = first.get_data(as_text=True)
    assert first.status_code == 422
    assert "路面.jpg" in html and "Your photos are kept" in html
    thumbnail = html.split('<img src="', 1)[1].split('"', 1)[0]
    shown = client.get(thumbnail)
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    assert shown.headers["Cache-Control"] == "no-store"
    assert dict(Image.open(BytesIO(shown.data)).getexif()) == {}  # what is shown back is the cleaned copy
    assert app.test_client().get(thumbnail).status_code == 404  # only to the browser that sent it
    assert codes_sent(app, PHONE) == 0

    again = post_form(client, complaint(app), form={**form, "csrf_token": hidden_value(html, "csrf_token")})
    done = enter_code(client, again.headers["Location"], sent_code(app, PHONE))
    [row] = attachment_rows(app, done.headers["Location"].rsplit("/", 1)[-1])
    assert row.original_name == "路面.jpg"


def test_a_held_photo_can_be_removed_and_its_file_goes(app, client, upload_dir):
    form = open_form(client)
    first = post_form(client, complaint(app, name=""), form=form,
                      photos=[(phone_photo(colour="blue"), "a.jpg"), (phone_photo(colour="green"), "b.jpg")])
    with app.app_context():
        held = db.session.scalar(select(FilingDraft)).photos
    unwanted = next(p for p in held if p["name"] == "a.jpg")
    before = on_disk(upload_dir)
    again = post_form(client, {**complaint(app), "remove_photo": unwanted["sha256"]}, form=form)
    assert again.status_code == 302
    after = on_disk(upload_dir)
    assert before - after == {f"{unwanted['key'][:2]}/{unwanted['key']}"} and after <= before
    done = enter_code(client, again.headers["Location"], sent_code(app, PHONE))
    assert [r.original_name for r in attachment_rows(app, done.headers["Location"].rsplit("/", 1)[-1])] == ["b.jpg"]
    assert first.status_code == 422


def test_every_refused_photo_is_named_and_the_good_ones_are_held(app, client, upload_dir):
    client.get("/language/en")
    before = on_disk(upload_dir)
    response = post_form(client, complaint(app), photos=[
        (minimal_pdf(), "通知.pdf"), (NOT_A_PHOTO, "setup.jpg"), (ELEVEN_MB, "huge.png"), (b"", "empty.jpg"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "broken.jpg"), (phone_photo(), "good.jpg")])
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    block = html.split('id="photos"', 1)[1].split('class="field', 1)[0]
    assert "通知.pdf: only photos (JPEG, PNG or WebP) can be attached." in block
    assert "setup.jpg: only photos" in block
    assert "huge.png: the file is larger than 10 MB." in block
    assert "empty.jpg: the file is empty." in block
    assert "broken.jpg: this photo could not be read" in block
    assert "good.jpg" in html.split('class="held-photos"', 1)[1]
    assert len(on_disk(upload_dir) - before) == 1  # only the good photo, re-encoded
    assert codes_sent(app, PHONE) == 0


def test_five_photos_at_most(app, client):
    client.get("/language/en")
    form = open_form(client)
    photos = [(phone_photo(colour=(i * 40, 0, 0)), f"p{i}.jpg") for i in range(6)]
    first = post_form(client, complaint(app, description=""), photos=photos, form=form)
    block = first.get_data(as_text=True).split('id="photos"', 1)[1].split('class="field', 1)[0]
    assert "p5.jpg: at most 5 photos can go with one complaint" in block
    more = post_form(client, complaint(app), photos=[(phone_photo(colour="white"), "p6.jpg")], form=form)
    assert more.status_code == 422 and "p6.jpg: at most 5 photos" in more.get_data(as_text=True)
    again = post_form(client, complaint(app), photos=[photos[0]], form=form)  # one already held: not twice
    done = enter_code(client, again.headers["Location"], sent_code(app, PHONE))
    names = [r.original_name for r in attachment_rows(app, done.headers["Location"].rsplit("/", 1)[-1])]
    assert names == ["p0.jpg", "p1.jpg", "p2.jpg", "p3.jpg", "p4.jpg"]


def test_unticking_keep_location_removes_it_from_photos_already_held(app, client, upload_dir):
    form = open_form(client)
    post_form(client, complaint(app, description="", keep_location="y"), photos=[(phone_photo(), "a.jpg")], form=form)
    sent = post_form(client, complaint(app), form=form)  # the box unticked this time
    done = enter_code(client, sent.headers["Location"], sent_code(app, PHONE))
    [row] = attachment_rows(app, done.headers["Location"].rsplit("/", 1)[-1])
    assert stored_image(upload_dir, row).getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}


def test_those_who_may_see_the_case_see_the_citizens_photo(app, client):
    number = file_with(app, client, [(phone_photo(), "工地.jpg")])
    [row] = attachment_rows(app, number)
    link = f"/cases/{number}/attachments/{row.id}"
    dispatch(app, number, "dh-cgj")
    act(app, number, "dh-cgj-staff", "sign")
    for user in ("operator", "dh-cgj-staff"):
        browser = app.test_client()
        login(browser, user)
        assert link in browser.get(f"/cases/{number}").get_data(as_text=True)
        downloaded = browser.get(link)
        downloaded.close()  # the file it streamed from
        assert downloaded.status_code == 200 and downloaded.mimetype == "image/jpeg"
    other = app.test_client()
    login(other, "dh-xhj-staff")  # a department the case is not assigned to
    assert other.get(link).status_code == 404
    with app.app_context():
        users = {u.id: u.username for u in db.session.scalars(select(User))}
    assert sorted(users[log.user_id] for log in downloads_logged(app, number)) == ["dh-cgj-staff", "operator"]


def test_purge_removes_expired_drafts_and_their_photos_only(app, client, upload_dir):
    from hotline.services import filing

    post_form(client, complaint(app, description=""), photos=[(phone_photo(), "old.jpg")])
    number = file_with(app, app.test_client(), [(phone_photo(colour="blue"), "filed.jpg")])
    with app.app_context():
        [old] = db.session.scalars(select(FilingDraft)).all()
        keys = [p["key"] for p in old.photos]
        old.expires_at = now() - timedelta(minutes=1)
        db.session.commit()
    post_form(app.test_client(), complaint(app, description=""), photos=[(phone_photo(colour="green"), "new.jpg")])
    before = on_disk(upload_dir)
    with app.app_context():
        assert filing.purge(db.session, filing.storage_from_config(app.config), now()) == 1
        left = db.session.scalars(select(FilingDraft)).all()
        assert [d.photos[0]["name"] for d in left] == ["new.jpg"]
        assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1
    assert before - on_disk(upload_dir) == {f"{k[:2]}/{k}" for k in keys}
    [row] = attachment_rows(app, number)
    assert (upload_dir / row.storage_key[:2] / row.storage_key).exists()  # a filed photo is the case's now
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 1


def test_the_hourly_job_purges_what_was_left_waiting_for_a_code(app, client, upload_dir):
    import time_machine

    from workers.jobs import purge_expired

    start = now()
    with time_machine.travel(start, tick=False):
        post_form(client, complaint(app), photos=[(phone_photo(), "left.jpg")])  # the code never entered
    held = on_disk(upload_dir)
    with app.app_context(), time_machine.travel(start + timedelta(minutes=30), tick=False):
        assert purge_expired()["drafts"] == 0  # still waiting for its code
    with app.app_context(), time_machine.travel(start + timedelta(minutes=61), tick=False):
        assert purge_expired()["drafts"] == 1
        assert db.session.scalar(select(func.count()).select_from(FilingDraft)) == 0
    assert len(held - on_disk(upload_dir)) == 1


def test_the_photos_sent_are_in_the_registrations_hash_chain(app, client):
    from hotline.services.audit import broken_chains

    number = file_with(app, client, [(phone_photo(size=(32, 24)), "IMG_0002.jpg")])
    [row] = attachment_rows(app, number)
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        registered = case.events[0]
        assert registered.data["files"] == [{"name": row.original_name, "type": row.content_type, "size": row.size,
                                             "sha256": row.sha256}]
        assert list(broken_chains(db.session)) == []
