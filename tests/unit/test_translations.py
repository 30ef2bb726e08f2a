"""Simplified Chinese is the default language: every string on screen has its translation."""
import re
import subprocess
import sys

from babel.messages.pofile import read_po

from hotline import ROOT

CATALOG = ROOT / "hotline" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"


def load(path):
    with open(path, "rb") as f:
        return read_po(f)


def test_every_message_has_a_chinese_translation():
    missing = [m.id for m in load(CATALOG) if m.id and (not m.string or m.fuzzy)]
    assert missing == []


def test_the_catalog_holds_every_message_in_the_code_and_templates(tmp_path):
    """Fails when a new string was added without `make extract-messages` and a translation."""
    pot = tmp_path / "now.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "--ignore-dirs=.* .venv __pycache__", "-k", "_l", "-k", "lazy_gettext", "-o", str(pot),
                    "--no-location", "."], cwd=ROOT, check=True, capture_output=True)
    catalog = {m.id for m in load(CATALOG) if m.id}
    assert {m.id for m in load(pot) if m.id} - catalog == set()


def test_placeholders_survive_translation():
    for message in load(CATALOG):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(re.findall(r"%\(\w+\)\w", ids[-1]))  # the plural form names what every form may use
        for string in strings:
            assert sorted(re.findall(r"%\(\w+\)\w", string)) == wanted, (message.id, string)
