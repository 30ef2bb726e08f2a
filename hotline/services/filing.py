"""Filing on the web (issue 7 §1). What the person sends waits in a FilingDraft — the form's fields, and every
acceptable photo already re-encoded and stored — until the phone is proven with a one-time code; then the draft
becomes a case, with the photos as attachments of its registration, and is removed in the same transaction.

A draft is named by a token derived from the form's submission key, so the same form sent twice (a double tap,
the back button, a form that came back with an error) always lands on the same draft, and the case it becomes
carries that token as its submission key: it is registered once however often the form or the code is sent."""
from __future__ import annotations

import hashlib
import hmac
import io
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hotline.domain import files
from hotline.domain import filing as rules
from hotline.domain.kinds import Channel, Kind, Track
from hotline.integrations import images
from hotline.integrations.storage import LocalStorage, Storage
from hotline.models import Attachment, Case, CaseEvent, FilingDraft, PhoneCode
from hotline.services import intake, otp
from hotline.services.attachments import IncomingFile

log = logging.getLogger(__name__)

LIFETIME = timedelta(hours=1)  # from the last time the person sent the form
RESEND_AFTER = timedelta(seconds=60)  # between two codes for one draft: an SMS can take a while to arrive
PURPOSE = "file"


class DraftGone(LookupError):
    """No live draft under this token: it expired (and may have been purged), or it was never made."""


@dataclass(frozen=True)
class Held:
    draft: FilingDraft | None  # None: nothing worth keeping was sent (no photo, and the form is incomplete)
    problems: list[files.Problem]  # the photos just sent that were refused, with why


def storage_from_config(config) -> Storage:
    return LocalStorage(config["HOTLINE_UPLOAD_DIR"])


def token_for(secret: str | bytes, submission_key: str) -> str:
    """The draft's name (and the case's submission key) for a form: keyed, so that nobody can choose a token
    that collides with another person's form."""
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, f"filing\x1f{submission_key}".encode(), hashlib.sha256).hexdigest()


def live_draft(session: Session, token: str, now: datetime) -> FilingDraft | None:
    return session.scalar(select(FilingDraft).where(FilingDraft.token == token, FilingDraft.expires_at > now))


def filed_case(session: Session, token: str) -> Case | None:
    """The case this form already became, if it did."""
    return session.scalar(select(Case).where(Case.submission_key == token))


def hold(session: Session, storage: Storage, token: str, now: datetime, *, fields: dict, phone: str,
         photos: Sequence[IncomingFile] = (), remove: Collection[str] = (), keep_location: bool = False,
         complete: bool = False) -> Held:
    """Keeps what was sent in the form's draft, whether or not the rest of the form is right, so that a photo
    attached once is not lost to a mistake in another field: the fields as typed, the held photos less those
    in `remove` (by sha256), and each new photo that passes — re-encoded (hotline.integrations.images), its
    location dropped unless `keep_location`. A photo sent again (the same bytes) is not held twice. `complete`:
    the form is right and the draft is what will be registered. Commits."""
    draft, stale = _draft_for_update(session, token, now, create=complete or bool(photos))
    if draft is None:
        return Held(None, [])
    unwanted = set(remove)
    held = [p for p in (draft.photos or []) if p["sha256"] not in unwanted]
    dropped = [*stale, *(p for p in (draft.photos or []) if p not in held)]
    rewritten: list[dict] = []  # with `added`, the files this request wrote: removed again if it fails
    added: list[dict] = []
    try:
        if not keep_location:
            held = [_without_location(storage, p, rewritten, dropped) if p.get("located") else p for p in held]
        problems = _take_photos(storage, photos, held, added, keep_location)
        draft.photos = [*held, *added]
        draft.data = dict(fields)
        draft.phone = phone or ""
        draft.expires_at = now + LIFETIME
        session.commit()
    except BaseException:
        session.rollback()
        _delete_files(storage, [*rewritten, *added])
        raise
    _delete_files(storage, dropped)
    return Held(draft, problems)


def _draft_for_update(session: Session, token: str, now: datetime,
                      create: bool) -> tuple[FilingDraft | None, list[dict]]:
    """The draft locked for this request (two taps of the same form wait for each other), made when `create`,
    and the photos of an expired draft not purged yet, which starts again empty."""
    query = select(FilingDraft).where(FilingDraft.token == token).with_for_update()
    draft = session.scalar(query)
    if draft is None and create:
        session.add(FilingDraft(token=token, phone="", data={}, photos=[], created_at=now,
                                expires_at=now + LIFETIME))
        try:
            session.commit()
        except IntegrityError:  # the other tap made it first
            session.rollback()
        draft = session.scalar(query)
    if draft is not None and draft.expires_at <= now:
        stale, draft.photos = list(draft.photos or []), []
        return draft, stale
    return draft, []


def _take_photos(storage: Storage, photos: Sequence[IncomingFile], held: list[dict], added: list[dict],
                 keep_location: bool) -> list[files.Problem]:
    """Re-encodes and stores each acceptable new photo into `added` (as soon as it is stored, so that a failure
    on the next one still finds it to remove); returns the problems of the others."""
    sources = {p.get("source") for p in held}
    fresh: list[tuple[int, IncomingFile, str]] = []
    for index, photo in enumerate(photos):
        source = _sha256(photo.stream)
        if source in sources:
            continue  # the same photo sent again with the same form
        sources.add(source)
        fresh.append((index, photo, source))
    uploads = [files.Upload(p.name, *_size_and_head(p.stream)) for _, p, _ in fresh]
    refused = rules.photo_problems(uploads, kept=len(held))
    problems = [files.Problem(fresh[p.index][0], p.name, p.code) for p in refused]
    refused_at = {p.index for p in refused}
    for position, (index, photo, source) in enumerate(fresh):
        if position in refused_at:
            continue
        content_type = files.detect(uploads[position].head)
        try:
            picture = images.reencode(photo.stream, content_type, keep_location=keep_location)
        except images.NotAnImage as exc:
            log.info("photo %r refused: %s", uploads[position].name, exc)
            problems.append(files.Problem(index, files.clean_name(photo.name), "unreadable"))
            continue
        added.append(_store(storage, picture, files.clean_name(photo.name, content_type), source))
    problems.sort(key=lambda p: p.index)
    return problems


def _store(storage: Storage, picture: images.Reencoded, name: str, source: str) -> dict:
    saved = storage.save(io.BytesIO(picture.data))
    return {"key": saved.key, "name": name, "type": picture.content_type, "size": saved.size,
            "sha256": saved.sha256, "source": source, "located": picture.located}


def _without_location(storage: Storage, photo: dict, rewritten: list[dict], dropped: list[dict]) -> dict:
    """A photo held with its location, after the person unticked "keep the location": encoded again without."""
    with storage.open(photo["key"]) as stream:
        picture = images.reencode(io.BytesIO(stream.read()), photo["type"], keep_location=False)
    again = _store(storage, picture, photo["name"], photo.get("source", ""))
    rewritten.append(again)
    dropped.append(photo)
    return again


def request_code(session: Session, token: str, now: datetime, settings: otp.Settings, *, locale: str,
                 city: str = "") -> None:
    """Sends the code that proves the draft's phone (otp: TooManyCodes, NotMobile). Commits."""
    draft = live_draft(session, token, now)
    if draft is None or not draft.phone:
        raise DraftGone(token)
    otp.send(session, draft.phone, PURPOSE, now, settings, subject=token, locale=locale, city=city)


def _newest_code(session: Session, draft: FilingDraft) -> PhoneCode | None:
    return session.scalar(select(PhoneCode).where(
        PhoneCode.phone == draft.phone, PhoneCode.purpose == PURPOSE, PhoneCode.subject == draft.token)
        .order_by(PhoneCode.id.desc()).limit(1))


def resend_wait(session: Session, draft: FilingDraft, now: datetime) -> int:
    """Seconds before another code may be sent for this draft (0: now)."""
    newest = _newest_code(session, draft)
    if newest is None:
        return 0
    return max(0, int((newest.created_at + RESEND_AFTER - now).total_seconds() + 0.999))


def code_state(session: Session, draft: FilingDraft, now: datetime) -> str:
    """What became of the draft's newest code: live, expired, used_up (too many wrong tries) or none."""
    newest = _newest_code(session, draft)
    if newest is None:
        return "none"
    if newest.attempts >= otp.MAX_ATTEMPTS:
        return "used_up"
    if newest.expires_at <= now:
        return "expired"
    return "live" if newest.used_at is None else "none"


def proven(session: Session, token: str, now: datetime) -> bool:
    """Whether the draft's phone was proven already: its newest code was used, and only a right entry uses the
    newest (a new code retires the older ones). Two taps of the right code: the second finds it used."""
    draft = live_draft(session, token, now)
    newest = _newest_code(session, draft) if draft is not None and draft.phone else None
    return newest is not None and newest.used_at is not None


def verify(session: Session, token: str, code: str, now: datetime, settings: otp.Settings) -> bool:
    """Whether `code` is the live code of the draft's phone (used up when right). Commits."""
    draft = live_draft(session, token, now)
    if draft is None or not draft.phone:
        return False
    return otp.verify(session, draft.phone, PURPOSE, code, now, settings, subject=token)


def register(session: Session, storage: Storage, token: str, ctx: intake.Context) -> Case:
    """The draft becomes a case, its photos attachments of the registration, and the draft is removed, in one
    transaction (intake.register). The case of a draft already registered is returned as it is. Raises
    DraftGone, or intake.UnknownReference when a chosen subject or place was retired meanwhile."""
    existing = filed_case(session, token)
    if existing is not None:
        return existing
    draft = live_draft(session, token, ctx.now)
    if draft is None:
        raise DraftGone(token)
    data, photos = dict(draft.data), list(draft.photos or [])
    anonymous = bool(data.get("anonymous")) and rules.may_be_anonymous(data.get("kind"))
    new = intake.NewCase(
        track=Track.HOTLINE, kind=Kind(data["kind"]), channel=Channel.WEB, description=data["description"],
        category_id=data.get("category_id"), area_id=data.get("area_id"), location_text=data.get("location_text", ""),
        name="" if anonymous else data.get("name", ""), phone=None if anonymous else draft.phone,
        confidential=bool(data.get("confidential")) and not anonymous, anonymous=anonymous,
        publish_consent=bool(data.get("publish_consent")), submission_key=token,
        files=tuple({k: p[k] for k in ("name", "type", "size", "sha256")} for p in photos))

    def attach_photos(session: Session, case: Case) -> None:
        event = session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.seq == 1))
        for photo in photos:
            session.add(Attachment(
                case_id=case.id, event=event, uploaded_by_id=None, department_id=None,
                original_name=photo["name"], content_type=photo["type"], size=photo["size"],
                sha256=photo["sha256"], storage_key=photo["key"], created_at=ctx.now))
        session.delete(draft)

    case = intake.register(session, new, ctx, also=attach_photos)
    # When another request registered this form first, the draft left here (if any) is not needed; its photos
    # are removed unless they are the attachments of that case.
    _discard(session, storage, token)
    return case


def photos_of(draft: FilingDraft | None) -> list[dict]:
    return list(draft.photos or []) if draft is not None else []


def _discard(session: Session, storage: Storage, token: str) -> None:
    draft = session.scalar(select(FilingDraft).where(FilingDraft.token == token))
    if draft is None:
        return
    keys = {p["key"] for p in draft.photos or []}
    in_use = set(session.scalars(select(Attachment.storage_key).where(Attachment.storage_key.in_(keys))))
    session.delete(draft)
    session.commit()
    _delete_files(storage, [p for p in draft.photos or [] if p["key"] not in in_use])


def purge(session: Session, storage: Storage, now: datetime) -> int:
    """Removes the drafts that expired, then their stored photos (a file that cannot be removed is logged and
    left: a stray file holds nobody's case). Commits. Returns how many drafts went."""
    expired = list(session.scalars(select(FilingDraft).where(FilingDraft.expires_at <= now)
                                   .with_for_update(skip_locked=True)))
    if not expired:
        session.rollback()
        return 0
    photos = [p for d in expired for p in d.photos or []]
    session.execute(delete(FilingDraft).where(FilingDraft.id.in_([d.id for d in expired]),
                                              FilingDraft.expires_at <= now))
    session.commit()
    _delete_files(storage, photos)
    return len(expired)


def _delete_files(storage: Storage, photos: Sequence[dict]) -> None:
    for photo in photos:
        try:
            storage.delete(photo["key"])
        except OSError:
            log.exception("could not remove the held photo %s", photo["key"])


def _sha256(stream) -> str:
    stream.seek(0)
    digest = hashlib.sha256()
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def _size_and_head(stream) -> tuple[int, bytes]:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    head = stream.read(files.HEAD_BYTES)
    stream.seek(0)
    return size, head
