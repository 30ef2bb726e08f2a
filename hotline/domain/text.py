"""What free text a citizen or operator may put into a case."""
import re
import unicodedata

DESCRIPTION_MAX = 2000
ADDRESS_MAX = 200
NAME_MAX = 50

# A tag or a script opener; a lone "<" as in "温度<0度" is ordinary text.
_MARKUP = re.compile(r"<\s*[a-zA-Z!/?]|javascript:|&#\d|&#x", re.IGNORECASE)


def contains_markup(text: str) -> bool:
    return bool(_MARKUP.search(text or ""))


def clean(text: str | None) -> str:
    """Normalise to NFC, drop control characters (keeping line breaks and tabs), trim."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    kept = (ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return "".join(kept).strip()
