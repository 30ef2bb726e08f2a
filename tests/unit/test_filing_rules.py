"""What a citizen may send with a complaint filed on the web: photos only, at most five of 10 MB each, and
anonymity only for a suggestion or praise."""
from __future__ import annotations

import pytest

from hotline.domain import filing
from hotline.domain.files import Upload
from hotline.domain.kinds import Kind

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 12
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 "
PDF = b"%PDF-1.7\n" + b"\x00" * 7


def photo(name="a.jpg", size=1000, head=JPEG) -> Upload:
    return Upload(name, size, head)


@pytest.mark.parametrize("kind", list(Kind))
def test_only_a_suggestion_or_praise_may_be_anonymous(kind):
    assert filing.may_be_anonymous(kind) is (kind in (Kind.SUGGESTION, Kind.PRAISE))


def test_jpeg_png_and_webp_pass():
    assert filing.photo_problems([photo(head=JPEG), photo(head=PNG), photo(head=WEBP)]) == []


@pytest.mark.parametrize(("upload", "code"), [
    (photo(size=0), "empty"),
    (photo(size=10 * 1024 * 1024 + 1), "too_large"),
    (photo("scan.pdf", head=PDF), "bad_type"),  # a reply may carry a PDF; a citizen's photos may not
    (photo("virus.jpg", head=b"MZ\x90\x00" + b"\x00" * 12), "bad_type"),
])
def test_each_bad_photo_is_named_with_what_is_wrong(upload, code):
    [problem] = filing.photo_problems([photo("fine.jpg"), upload])
    assert (problem.index, problem.name, problem.code) == (1, upload.name, code)


def test_exactly_ten_megabytes_passes():
    assert filing.photo_problems([photo(size=10 * 1024 * 1024)]) == []


def test_beyond_five_each_further_good_photo_is_refused_by_name():
    uploads = [photo(f"{i}.jpg") for i in range(7)]
    assert [(p.index, p.code) for p in filing.photo_problems(uploads)] == [(5, "too_many"), (6, "too_many")]


def test_photos_already_held_count_towards_the_five_and_bad_ones_do_not():
    uploads = [photo("bad.pdf", head=PDF), photo("1.jpg"), photo("2.jpg"), photo("3.jpg")]
    problems = filing.photo_problems(uploads, kept=3)
    assert [(p.name, p.code) for p in problems] == [("bad.pdf", "bad_type"), ("3.jpg", "too_many")]
