"""Filling the petition registration form (/petitions/register) as an officer does. (No tests here.)"""
from __future__ import annotations

import re
from html import unescape

from tests.helpers import hidden_value

REQUEST = "要求补发拆迁安置补偿款"
FACTS = "2025年旧城改造中房屋被征收，约定的安置补偿款至今未足额发放。"
REASONS = "依据征收补偿协议第五条，应于交房后三个月内付清。"


def in_english(client) -> None:
    """The officer reads English: the tests read the English words, whatever the Chinese catalogue holds."""
    client.get("/?lang=en")


def open_form(client, query: str = "") -> dict:
    page = client.get(f"/petitions/register{query}").get_data(as_text=True)
    return {"csrf_token": hidden_value(page, "csrf_token"), "submission_key": hidden_value(page, "submission_key")}


def person(n: int, **fields) -> dict:
    """Row n of the petitioners: name, id_number, phone, address, representative ("y" ticks it)."""
    return {f"petitioners-{n}-{k}": v for k, v in fields.items() if v is not None}


def form_data(form: dict, **fields) -> dict:
    """A grievance by letter with its request, facts and reasons, and what the test adds (None leaves it out)."""
    data = {**form, "channel": "letter", "kind": "grievance", "request": REQUEST, "facts": FACTS,
            "reasons": REASONS, "do": "save"}
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def post(client, data: dict, query: str = ""):
    return client.post(f"/petitions/register{query}", data=data)


def text_of(response) -> str:
    """The page's words, without tags."""
    html = response.get_data(as_text=True)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def input_tag(html: str, field_id: str) -> str:
    match = re.search(rf'<input[^>]*id="{re.escape(field_id)}"[^>]*>', html)
    assert match, f"no input {field_id}"
    return match.group(0)


def flashes(client) -> str:
    """The messages waiting for the next page (the case page, which shows them at the top)."""
    with client.session_transaction() as session:
        return " ".join(str(message) for _, message in session.get("_flashes", []))
