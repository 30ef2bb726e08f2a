"""The data set of benchmark 10.1 (bench/open311.py): 1,000,000 work orders over half a year, written by INSERT …
SELECT generate_series with draws from hashint4extended(g, k), the same on every run. About 1 in 5 came in through
Open311 and carries a description and, once answered, a reply that name the person, their phone and their flat
(what redaction has to find); 1 in 50 of the others has a published, moderated question and answer. Only what
GET requests reads is realistic (category, street, lead department, state, times, texts, the first and last events).
"""
# ruff: noqa: S608 (the SQL is assembled from this file's own constants and integer ids, never from input)
from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from hotline.extensions import db

CASES, DAYS, CHUNK, PEOPLE = 1_000_000, 180, 250_000, 200_000
OPEN311_SHARE, PUBLISHED_SHARE = 0.2, 0.02
SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴")
GIVEN = ("建国", "秀英", "志强", "丽娟", "海峰", "桂兰", "晓明", "红梅")
PLACES = ("学府小区", "滨江花园", "朝阳新村", "东湖苑", "西湖路", "人民路", "江南大道", "北站广场")
WORDS = ("楼下夜里施工噪音很大", "路灯不亮已经一周", "供暖温度不达标", "商家占道经营", "楼道堆放杂物", "污水外溢",
         "物业乱收费", "违章搭建")
STATE = """CASE WHEN age < 10 THEN CASE WHEN u2 < 0.2 THEN 'dispatched' WHEN u2 < 0.8 THEN 'in_progress'
    ELSE 'replied' END WHEN u2 < 0.03 THEN 'in_progress' ELSE 'closed' END"""


def _u(k: int, g: str = "g") -> str:
    return f"((hashint4extended({g}, {k}) & 16777215)::float8 / 16777216)"


def _exec(sql: str, **params) -> None:
    db.session.execute(text(sql), params)


def _array(values) -> str:
    return "(ARRAY[" + ",".join(f"'{v}'" for v in values) + "])"


def load(at: datetime, departments: list[int], categories: list[int], streets: list[tuple[int, float, float]]) -> None:
    """`streets`: (area id, latitude, longitude) of a point inside each street, where its cases are put."""
    street_ids = ",".join(str(s[0]) for s in streets)
    lats = ",".join(f"{s[1]:.6f}" for s in streets)
    longs = ",".join(f"{s[2]:.6f}" for s in streets)
    _exec(f"""INSERT INTO person (id, name, phone, address, confidential, locale, created_at)
              SELECT g, {_array(SURNAMES)}[1 + g % {len(SURNAMES)}] || {_array(GIVEN)}[1 + g / 10 % {len(GIVEN)}],
                  '+86139' || lpad(g::text, 8, '0'), '', false, 'zh', :at FROM generate_series(1, {PEOPLE}) g""", at=at)
    for lo in range(1, CASES + 1, CHUNK):
        hi = min(lo + CHUNK - 1, CASES)
        span = {"at": at, "lo": lo, "hi": hi}
        _exec(f"""
            WITH a AS (SELECT g, {DAYS} * ({CASES} - g + 0.5) / {CASES} AS age,
                           {", ".join(f"{_u(k)} AS u{k}" for k in range(1, 9))}
                       FROM generate_series(CAST(:lo AS integer), CAST(:hi AS integer)) g),
                 s AS (SELECT a.*, {STATE} AS state, CAST(:at AS timestamptz) - interval '1 day' * age AS recv,
                           u7 < {OPEN311_SHARE} AS o311, 1 + floor({PEOPLE} * u6)::int AS who,
                           1 + floor({len(streets)} * u4)::int AS st FROM a),
                 p AS (SELECT s.*, person.name AS pname, substr(person.phone, 4) AS pphone FROM s
                       JOIN person ON person.id = s.who)
            INSERT INTO cases (id, number, track, kind, channel, urgency, state, category_id, area_id, location_text,
                latitude, longitude, description, person_id, confidential, received_at, lead_department_id,
                dispatch_count, redo_count, urge_count, supervised, extension_reason, reply_text, reply_reviewed,
                callback_note, sign_due_at, reply_due_at, closed_at, deadlines_provisional, history_length,
                history_hash, version, submission_key, created_at, updated_at)
            SELECT g, '12345-B-' || lpad(g::text, 8, '0'), 'hotline',
                (ARRAY['complaint','help','consult','report','suggestion'])[1 + g % 5],
                CASE WHEN o311 THEN 'open311' ELSE 'phone' END, 'general', state,
                (ARRAY[{",".join(map(str, categories))}])[1 + floor({len(categories)} * u3)::int],
                (ARRAY[{street_ids}])[st],
                {_array(PLACES)}[1 + g % {len(PLACES)}] || (1 + g % 30) || '栋' || (101 + g % 600) || '室',
                (ARRAY[{lats}])[st] + (u5 - 0.5) * 0.002, (ARRAY[{longs}])[st] + (u8 - 0.5) * 0.002,
                '我是' || pname || '，电话' || pphone || '，住' || {_array(PLACES)}[1 + g % {len(PLACES)}]
                    || (1 + g % 30) || '号楼' || (1 + g % 6) || '单元' || (101 + g % 600) || '室，'
                    || {_array(WORDS)}[1 + g % {len(WORDS)}] || '，请尽快处理。',
                who, false, recv, (ARRAY[{",".join(map(str, departments))}])[1 + floor({len(departments)} * u1)::int],
                1, 0, 0, false, '',
                CASE WHEN state IN ('replied', 'closed') THEN pname || '您好：您反映的问题已转交责任单位现场核查处理，'
                    || '如有疑问请拨打0571-88886666或联系' || pname || '本人预留的' || pphone || '回访。' ELSE '' END,
                state = 'closed', '', recv + interval '130 minutes', recv + interval '5 days',
                CASE WHEN state = 'closed' THEN recv + interval '3 days' END, false, 0, '', 1,
                CASE WHEN o311 THEN 'o311:' || md5(g::text) END, recv,
                CASE WHEN state = 'closed' THEN recv + interval '3 days' ELSE recv END
            FROM p""", **span)
        _exec("""
            INSERT INTO case_event (case_id, seq, at, actor_label, action, from_state, to_state, department_id, note,
                data, prev_hash, hash)
            SELECT id, 1, received_at, CASE WHEN channel = 'open311' THEN 'open311' ELSE 'operator' END, 'register',
                NULL, 'registered', NULL, '',
                CASE WHEN channel = 'open311' THEN json_build_object('open311', json_build_object(
                    'api_key', 1, 'how', 'point', 'device_id', 'dev-' || id, 'account_id', 'acct-' || (id % 977)))
                END, '', md5(id::text)
            FROM cases WHERE id BETWEEN :lo AND :hi""", **span)
        _exec("""
            INSERT INTO case_event (case_id, seq, at, actor_label, action, from_state, to_state, department_id, note,
                data, prev_hash, hash)
            SELECT id, 2, updated_at, 'system', 'close', 'replied', 'closed', lead_department_id, '', NULL,
                md5(id::text), md5(id::text || 'c')
            FROM cases WHERE id BETWEEN :lo AND :hi AND state = 'closed'""", **span)
        _exec(f"""
            INSERT INTO publication (case_id, status, title, question, answer, category_id, department_id,
                search_text, moderated_at, published_at, version)
            SELECT id, 'published', '关于' || left(description, 8), regexp_replace(description, '^我是[^，]+，', ''),
                reply_text, category_id, lead_department_id, '', updated_at, updated_at, 1
            FROM cases WHERE id BETWEEN :lo AND :hi AND channel = 'phone' AND state = 'closed'
                AND {_u(9, "id")} < {PUBLISHED_SHARE}""", **span)
        db.session.commit()
        print(f"  {hi:,} cases loaded", flush=True)
    for table in ("cases", "person", "case_event", "publication"):
        _exec(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    db.session.commit()
