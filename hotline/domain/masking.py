"""A masked person's own name and number, hidden where they turn up in a case's free text too.

People write their name and number into what they tell us ("请王小明收：13812345678"), and an operator's note
may repeat them. For someone who sees the person masked (a department, on a confidential case or a report), the
case's texts are shown with those words masked the same way as the person's own fields (privacy.py)."""
from __future__ import annotations

import re

import phonenumbers

from hotline.domain.privacy import mask_name, mask_phone

SEPARATOR = r"[\s\-–—.()（）]?"  # what people put between digits: 138 1234 5678, 138-1234-5678, (0999)8123…


def _phone_pattern(e164: str) -> re.Pattern | None:
    """The number as people write it: with or without its country code, digits spaced or dashed."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    national = phonenumbers.national_significant_number(parsed)
    if len(national) < 5:
        return None
    digits = SEPARATOR.join(re.escape(d) for d in national)
    prefix = rf"(?:\+?{parsed.country_code}{SEPARATOR}|0{SEPARATOR})?"
    return re.compile(rf"(?<!\d){prefix}{digits}(?!\d)")


def hide_identity(text: str | None, name: str | None, phone: str | None) -> str:
    """`text` with every occurrence of `name` (two characters or more: a one-character name would hide
    ordinary words) and of `phone` masked."""
    if not text:
        return text or ""
    if phone and (pattern := _phone_pattern(phone)):
        text = pattern.sub(mask_phone(phone), text)
    if name and len(name.strip()) >= 2:
        text = text.replace(name.strip(), mask_name(name.strip()))
    return text
