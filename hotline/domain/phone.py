"""Phone numbers are stored in E.164 so that the same caller is always the same person."""
import phonenumbers


class InvalidPhone(ValueError):
    pass


def to_e164(raw: str, region: str = "CN") -> str:
    """Accepts what people type (138 1234 5678, +86-138-1234-5678, 0999-81234567) and returns E.164."""
    text = (raw or "").strip()
    if not text:
        raise InvalidPhone("empty")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(str(exc)) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone("not a valid number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    """SMS goes only to numbers that can receive it."""
    number = phonenumbers.parse(e164, None)
    return phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def readable(e164: str | None) -> str:
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164  # already masked, or not a number we stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
