"""What the category suggester reads in a complaint: the words jieba finds, and the characters.

Chinese is written without spaces, and citizens type place names, slang and typos that no dictionary
knows, so the words (jieba's bundled dictionary, no download) are backed by single characters and
character pairs, which need no dictionary at all. These are module-level functions because a trained
model refers to them by name when it is stored and loaded again."""
from __future__ import annotations

import logging
import re
import threading
import unicodedata
import warnings

NOT_A_WORD = re.compile(r"[\W_]+")
DIGITS = re.compile(r"\d+")

_lock = threading.Lock()
_tokenizer = None


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, every number the same (a house number says nothing of the subject)."""
    return DIGITS.sub("0", unicodedata.normalize("NFKC", text or "").lower())


def _jieba():
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                with warnings.catch_warnings():  # jieba 0.42 imports pkg_resources, which newer setuptools deprecate
                    warnings.filterwarnings("ignore", message=".*pkg_resources.*")
                    import jieba

                logging.getLogger("jieba").setLevel(logging.WARNING)  # it announces building its dictionary
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                _tokenizer = tokenizer
    return _tokenizer


def words(text: str) -> list[str]:
    """The words of the text, and each pair of neighbouring words ("夜间 施工"). Numbers are not words here:
    a house number or an amount says nothing of the subject."""
    found = [w for w in _jieba().lcut(normalise(text)) if not NOT_A_WORD.fullmatch(w) and not w.isdigit()]
    return found + [f"{a} {b}" for a, b in zip(found, found[1:], strict=False)]


def characters(text: str) -> str:
    """The text for character n-grams: punctuation becomes a space, so no n-gram spans two phrases."""
    return NOT_A_WORD.sub(" ", normalise(text)).strip()
