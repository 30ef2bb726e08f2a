"""Human-readable case numbers (DOMAIN.md §1): 12345-20261127-000123, XF-20261127-000007."""
import re
from datetime import date

from hotline.domain.kinds import CASE_NUMBER_PREFIX, Track

NUMBER_PATTERN = re.compile(r"^(12345|XF)-(\d{8})-(\d{6,})$")


def format_number(track: Track, local_day: date, sequence: int) -> str:
    """The sequence restarts every local day, so the number tells a caller when the case was received."""
    return f"{CASE_NUMBER_PREFIX[track]}-{local_day:%Y%m%d}-{sequence:06d}"


def looks_like_number(text: str) -> bool:
    return bool(NUMBER_PATTERN.match(text.strip().upper()))
