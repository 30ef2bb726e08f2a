"""The redacted texts are made once and kept (PublicText), and made again when what they come from changes."""
from __future__ import annotations

from sqlalchemy import select

from tests.integration.test_open311_support import NAME_FIRST, NAME_LAST, PHONE, make_key, post, read


def _kept(app, number: str):
    from hotline.extensions import db
    from hotline.models import Case, PublicText

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        row = db.session.get(PublicText, case.id)
        return (row.source_hash, row.description, row.status_notes) if row else None


def _set_reply(app, number: str, text: str) -> None:
    from hotline.extensions import db
    from hotline.models import Case

    with app.app_context():
        db.session.scalar(select(Case).where(Case.number == number)).reply_text = text
        db.session.commit()


def test_the_texts_are_redacted_once_kept_and_made_again_when_the_reply_changes(app, client):
    number = read(post(client, make_key(app)))[0]["service_request_id"]
    assert _kept(app, number) is None  # nothing is made until someone reads it

    first = read(client.get(f"/open311/v2/requests/{number}.json"))[0]
    kept = _kept(app, number)
    assert kept is not None and kept[1] == first["description"] and kept[2] is None
    assert PHONE not in kept[1] and f"{NAME_LAST}{NAME_FIRST}" not in kept[1]
    assert read(client.get(f"/open311/v2/requests/{number}.xml"))[0]["description"] == first["description"]
    assert _kept(app, number) == kept  # read again: the kept copy, not a new one

    _set_reply(app, number, f"已处理。{NAME_LAST}{NAME_FIRST}先生可拨打{PHONE}回访。")
    notes = read(client.get(f"/open311/v2/requests.json?service_request_id={number}"))[0]["status_notes"]
    remade = _kept(app, number)
    assert remade[0] != kept[0] and remade[2] == notes
    assert notes.startswith("已处理") and PHONE not in notes and f"{NAME_LAST}{NAME_FIRST}" not in notes
