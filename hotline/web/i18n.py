"""Simplified Chinese by default; English when the person chooses it."""
from flask import current_app, request, session
from flask_babel import get_locale

LOCALES = ("zh", "en")


def select_locale() -> str:
    chosen = request.args.get("lang") or session.get("lang")
    return chosen if chosen in LOCALES else "zh"


def city_name() -> str:
    key = "HOTLINE_CITY_NAME_EN" if str(get_locale()) == "en" else "HOTLINE_CITY_NAME"
    return current_app.config[key]
