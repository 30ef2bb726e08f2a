"""What a citizen may send when filing on the web (issue 7 §1): photos only — JPEG, PNG or WebP judged by
their content, each at most 10 MB, five in all — and anonymity only for a suggestion or praise, where
nobody needs to be called back about the matter (GB/T 33358: a complaint, a report or a request for help
is answered to the person)."""
from __future__ import annotations

from collections.abc import Sequence

from hotline.domain import files
from hotline.domain.kinds import Kind

PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")
MAX_PHOTOS = files.MAX_FILES
MAX_BYTES = files.MAX_BYTES
ANONYMOUS_KINDS = frozenset({Kind.SUGGESTION, Kind.PRAISE})


def may_be_anonymous(kind: str | None) -> bool:
    return kind in ANONYMOUS_KINDS


def photo_problems(uploads: Sequence[files.Upload], kept: int = 0) -> list[files.Problem]:
    """Every problem of the photos sent, each judged on its own; `kept` photos are already held from an
    earlier try of the same form, and count towards the five. Beyond the five, each further photo that
    would otherwise be taken is refused as too_many, so the person knows which ones were not added."""
    found = []
    room = MAX_PHOTOS - kept
    for index, upload in enumerate(uploads):
        name = files.clean_name(upload.name)
        if upload.size == 0:
            found.append(files.Problem(index, name, "empty"))
        elif upload.size > MAX_BYTES:
            found.append(files.Problem(index, name, "too_large"))
        elif files.detect(upload.head) not in PHOTO_TYPES:
            found.append(files.Problem(index, name, "bad_type"))
        elif room <= 0:
            found.append(files.Problem(index, name, "too_many"))
        else:
            room -= 1
    return found
