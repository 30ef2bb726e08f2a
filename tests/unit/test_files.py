"""What may be attached to a reply, judged by the content's first bytes; names made safe to show and to
offer on download."""
import pytest

from hotline.domain.files import MAX_BYTES, MAX_FILES, NAME_MAX, Upload, clean_name, detect, problems

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 "


@pytest.mark.parametrize(("head", "expected"), [
    (PNG, "image/png"), (JPEG, "image/jpeg"), (PDF, "application/pdf"), (WEBP, "image/webp"),
    (b"MZ\x90\x00", None),                      # a Windows program
    (b"<html><script>", None),                  # a page
    (b"GIF89a\x01\x00", None),                  # a GIF: not on the list
    (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),    # RIFF, but sound
    (b"\x89PNG", None),                         # cut short
    (b"", None),
    (b" %PDF-1.4", None),                       # the signature must open the file
])
def test_the_type_comes_from_the_bytes(head, expected):
    assert detect(head) == expected


def test_each_file_is_judged_and_named():
    found = problems([Upload("ok.png", 100, PNG), Upload("photo.jpg", 100, b"MZ\x90\x00"),
                      Upload("big.pdf", MAX_BYTES + 1, PDF), Upload("blank.png", 0, b""),
                      Upload("edge.pdf", MAX_BYTES, PDF)])
    assert [(p.index, p.name, p.code) for p in found] == [
        (1, "photo.jpg", "bad_type"), (2, "big.pdf", "too_large"), (3, "blank.png", "empty")]


def test_more_than_five_files_is_one_problem():
    assert problems([Upload(f"{i}.png", 10, PNG) for i in range(MAX_FILES)]) == []
    assert [p.code for p in problems([Upload(f"{i}.png", 10, PNG) for i in range(MAX_FILES + 1)])] == ["too_many"]


@pytest.mark.parametrize(("given", "content_type", "expected"), [
    ("现场照片.jpg", "image/jpeg", "现场照片.jpg"),
    ("scan.JPEG", "image/jpeg", "scan.JPEG"),
    ("C:\\Users\\王\\Desktop\\整改通知.pdf", "application/pdf", "整改通知.pdf"),
    ("../../etc/passwd", "application/pdf", "passwd.pdf"),
    ("report.exe", "application/pdf", "report.exe.pdf"),     # the name never hides what the file is
    ("photo.jpg", "image/png", "photo.jpg.png"),
    ("a\x00b\r\nc.png", "image/png", "abc.png"),
    ("invoice\u202egpj.exe", "application/pdf", "invoicegpj.exe.pdf"),  # no right-to-left trick
    ('what?<is>"this".png', "image/png", "what__is__this_.png"),
    ("...", "image/png", "attachment.png"),
    ("", None, "attachment"),
    (".htaccess", None, "htaccess"),
    ("  many    spaces .pdf ", "application/pdf", "many spaces .pdf"),
])
def test_names_are_made_safe(given, content_type, expected):
    assert clean_name(given, content_type) == expected


def test_a_long_name_is_cut_keeping_its_extension():
    name = clean_name("很" * 300 + ".pdf", "application/pdf")
    assert len(name) == NAME_MAX and name.endswith("很.pdf")
    renamed = clean_name("x" * 300 + ".docx", "application/pdf")
    assert len(renamed) == NAME_MAX and renamed.endswith(".docx.pdf")
