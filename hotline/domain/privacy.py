"""Masking personal data for people who may see a case but not who filed it."""


def mask_name(name: str | None) -> str:
    """张三丰 → 张**; Alice Smith → A**********."""
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_phone(phone: str | None) -> str:
    """+8613812345678 → +86138****5678: keeps what a clerk needs to recognise a callback, no more."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:-8] + "****" + phone[-4:]
