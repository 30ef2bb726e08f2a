"""What the filing pages say and show beyond the form's own fields: a refused photo's sentence, the number a
code went to (masked), and the words the subject picker searches."""
from __future__ import annotations

import json

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from hotline.domain import filing as rules
from hotline.domain.files import MAX_BYTES, Problem
from hotline.domain.privacy import mask_phone
from hotline.extensions import db
from hotline.models import Category
from hotline.web import labels


def photo_message(problem: Problem) -> str:
    """One sentence per refused photo, naming it."""
    if problem.code == "too_many":
        return _("%(name)s: at most %(n)d photos can go with one complaint; this one was not added.",
                 name=problem.name, n=rules.MAX_PHOTOS)
    if problem.code == "empty":
        return _("%(name)s: the file is empty.", name=problem.name)
    if problem.code == "too_large":
        return _("%(name)s: the file is larger than %(mb)d MB.", name=problem.name, mb=MAX_BYTES // (1024 * 1024))
    if problem.code == "unreadable":
        return _("%(name)s: this photo could not be read. It may be damaged; try another one.", name=problem.name)
    return _("%(name)s: only photos (JPEG, PNG or WebP) can be attached.", name=problem.name)


def masked_phone(e164: str) -> str:
    """+8613812345678 → 138****5678: enough for the person to recognise their number, no more."""
    masked = mask_phone(e164)
    return masked[3:] if masked.startswith("+86") else masked


def category_index() -> Markup:
    """Each subject a person can choose, with what a search should find it by: its name in both languages,
    its group's, and the words citizens use for it (the catalogue's keywords). JSON for a <script> data block,
    in UTF-8 rather than \\u escapes (half the bytes on a phone), with what could end the block escaped."""
    subjects = db.session.scalars(
        select(Category).where(Category.level == 2, Category.active).order_by(Category.sort_order, Category.code))
    index = []
    for subject in subjects:
        parent = subject.parent
        if parent is None or not parent.active:
            continue
        words = " ".join(filter(None, [subject.name, subject.name_en, parent.name, parent.name_en,
                                       subject.keywords]))
        index.append({"id": subject.id, "name": labels.name(subject), "group": labels.name(parent),
                      "words": words.lower()})
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("'", "\\u0027")):
        text = text.replace(char, escaped)
    return Markup(text)  # noqa: S704 — every character that could end the block is escaped above
