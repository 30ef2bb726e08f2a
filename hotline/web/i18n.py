"""Simplified Chinese by default; English when the person chooses it."""
from flask import request, session

LOCALES = ("zh", "en")


def select_locale() -> str:
    chosen = request.args.get("lang") or session.get("lang")
    return chosen if chosen in LOCALES else "zh"
