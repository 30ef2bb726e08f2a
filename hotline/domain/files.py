"""What a department may attach to its reply (issue 3: "text; resolved or not; attachments"): photos
and PDF documents, judged by their content's first bytes — never by the name or the type the client
claims, which anyone can change. Errors are codes per file: empty, too_large, bad_type; and
too_many for the set."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
NAME_MAX = 200
HEAD_BYTES = 16  # enough for every signature below

# content type → the extensions a file of that type may keep, the first being the one it is given
TYPES: dict[str, tuple[str, ...]] = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/webp": (".webp",),
    "application/pdf": (".pdf",),
}


def detect(head: bytes) -> str | None:
    """The content type the bytes are, or None when they are none of the allowed ones."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


@dataclass(frozen=True)
class Upload:
    """One file as sent: its name as the client gave it, its size, its first HEAD_BYTES bytes."""
    name: str
    size: int
    head: bytes


@dataclass(frozen=True)
class Problem:
    index: int  # the file's place in what was sent, from 0
    name: str  # its sanitised name, to say which file it is
    code: str  # empty, too_large, bad_type, too_many


def problems(uploads: Sequence[Upload]) -> list[Problem]:
    """Every problem, each file judged on its own, so a person can fix them all at once."""
    if len(uploads) > MAX_FILES:
        return [Problem(MAX_FILES, "", "too_many")]
    found = []
    for index, upload in enumerate(uploads):
        name = clean_name(upload.name)
        if upload.size == 0:
            found.append(Problem(index, name, "empty"))
        elif upload.size > MAX_BYTES:
            found.append(Problem(index, name, "too_large"))
        elif detect(upload.head) is None:
            found.append(Problem(index, name, "bad_type"))
    return found


_PATH_SEPARATORS = re.compile(r"[/\\]")
_UNSAFE = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')  # what Windows refuses in a name, and control characters
_SPACES = re.compile(r"\s+")


def clean_name(name: str | None, content_type: str | None = None) -> str:
    """The name to show and to offer on download: the last part of any path, no control or reserved
    characters, at most NAME_MAX characters, and — given the type the content really is — an extension
    that says so ("报告.exe" holding a PDF becomes "报告.exe.pdf")."""
    text = unicodedata.normalize("NFC", name or "")
    text = _PATH_SEPARATORS.split(text)[-1]
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C")  # controls, format marks, unassigned
    text = _SPACES.sub(" ", _UNSAFE.sub("_", text)).strip().lstrip(".").strip()
    if not text:
        text = "attachment"
    allowed = TYPES.get(content_type or "", ())
    extension = ""
    if allowed and not text.lower().endswith(allowed):
        extension = allowed[0]
    stem_room = NAME_MAX - len(extension)
    if len(text) > stem_room:
        dot = text.rfind(".")
        own = text[dot:] if dot > 0 and len(text) - dot <= 10 else ""
        text = text[:stem_room - len(own)].rstrip() + own
    return text + extension
