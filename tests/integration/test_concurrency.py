"""Many intakes at once: every case gets its own number, none is lost, none is doubled."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from hotline.clock import now
from hotline.domain.kinds import Channel, Kind, Track
from hotline.extensions import db
from hotline.models import Case
from hotline.services import intake
from tests.helpers import some_category_and_area

WORKERS, EACH = 6, 5


def test_concurrent_intakes_get_distinct_consecutive_numbers(app):
    category_id, area_id = some_category_and_area(app)

    def file_several(worker: int) -> list[str]:
        numbers = []
        with app.test_request_context():
            for i in range(EACH):
                new = intake.NewCase(track=Track.HOTLINE, kind=Kind.COMPLAINT, channel=Channel.PHONE,
                                     description=f"并发受理测试 {worker}-{i}", category_id=category_id,
                                     area_id=area_id, phone="+8613812345678", name="并发")
                ctx = intake.Context(now=now(), timezone="Asia/Shanghai", locale="zh")
                numbers.append(intake.register(db.session, new, ctx).number)
            db.session.remove()
        return numbers

    with ThreadPoolExecutor(WORKERS) as pool:
        numbers = [n for batch in pool.map(file_several, range(WORKERS)) for n in batch]

    assert len(numbers) == len(set(numbers)) == WORKERS * EACH
    with app.app_context():
        stored = db.session.scalars(select(Case.number)).all()
    assert sorted(stored) == sorted(numbers)
    sequences = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert sequences == list(range(sequences[0], sequences[0] + WORKERS * EACH))
