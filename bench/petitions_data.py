"""The data set of benchmark 9 (bench/petitions.py): 1,000,000 cases over half a year, 5% petitions, written by
INSERT … SELECT generate_series with draws from hashint4extended(g, k), the same on every run. Only what the
measured queries read is realistic (states, departments, assignments, clocks, accusations, recusals, places).
"""
# ruff: noqa: S608 (the SQL is assembled from this file's own constants and integer ids, never from input)
from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from hotline.domain.kinds import Track
from hotline.domain.sla import CLOCKS_BY_TRACK
from hotline.extensions import db
from hotline.models import User

CASES, DAYS, CHUNK, PEOPLE, DUE = 1_000_000, 180, 250_000, 200_000, 1_000
PETITION_CLOCKS = [c.value for c in CLOCKS_BY_TRACK[Track.PETITION]]
PLACES = [f"{p}{s}" for p in ("西湖路", "滨江花园", "人民路", "东湖市场", "学府小区", "朝阳新村", "江南大道", "北站")
          for s in ("南门", "北门", "3栋", "5栋", "东侧")]
WORDS = ("夜里施工噪音很大", "路灯不亮已经一周", "供暖温度不达标", "商家占道经营", "楼道堆放杂物", "污水外溢",
         "拖欠工资", "征地补偿不到位", "物业乱收费", "违章搭建")
# a petition's running clock in each state: the clock, its start and its limit in days after receipt, the office's
STEPS = {"registered": ("forward", 0, 15, True), "forwarded": ("accept", 1, 15, False),
         "objected": ("accept", 1, 15, False), "accepted": ("decide", 5, 60, False),
         "decided": ("review_window", 65, 30, True), "reviewing": ("review", 68, 30, False),
         "reviewed": ("re_review_window", 100, 30, True), "re_reviewing": ("re_review", 100, 30, False)}
HOTLINE_STATE = """CASE WHEN age < 10 THEN CASE WHEN u2 < 0.2 THEN 'dispatched' WHEN u2 < 0.8 THEN 'in_progress'
    ELSE 'replied' END WHEN u2 < 0.03 THEN 'in_progress' ELSE 'closed' END"""
PETITION_STATE = """CASE WHEN age < 3 THEN CASE WHEN u2 < 0.7 THEN 'registered' ELSE 'forwarded' END
    WHEN age < 10 THEN CASE WHEN u2 < 0.85 THEN 'forwarded' WHEN u2 < 0.9 THEN 'objected' ELSE 'accepted' END
    WHEN age < 70 THEN CASE WHEN u2 < 0.9 THEN 'accepted' ELSE 'not_accepted' END
    WHEN age < 100 THEN CASE WHEN u2 < 0.6 THEN 'decided' WHEN u2 < 0.75 THEN 'reviewing' ELSE 'closed' END
    WHEN age < 130 THEN CASE WHEN u2 < 0.2 THEN 'reviewed' WHEN u2 < 0.3 THEN 're_reviewing' ELSE 'closed' END
    ELSE 'closed' END"""
OPEN = "('dispatched', 'in_progress', 'replied', 'forwarded', 'objected', 'accepted', 'decided', 'reviewing', " \
       "'reviewed', 're_reviewing')"


def _u(k: int, g: str = "g") -> str:
    return f"((hashint4extended({g}, {k}) & 16777215)::float8 / 16777216)"


def _exec(sql: str, **params) -> None:
    db.session.execute(text(sql), params)


def load(at: datetime, departments: list[int]) -> None:
    ids, n = ",".join(map(str, departments)), len(departments)
    places, words = ",".join(f"'{x}'" for x in PLACES), ",".join(f"'{x}'" for x in WORDS)
    _exec(f"""INSERT INTO person (id, name, phone, address, confidential, locale, created_at)
              SELECT g, (ARRAY['王','李','张','刘','陈'])[1 + g % 5] || '先生', '+86139' || lpad(g::text, 8, '0'), '',
                  false, 'zh', :at FROM generate_series(1, {PEOPLE}) g""", at=at)
    steps = ", ".join(f"('{s}', '{c}', {o}, {lim}, {str(office).lower()})" for s, (c, o, lim, office) in STEPS.items())
    for lo in range(1, CASES + 1, CHUNK):
        hi = min(lo + CHUNK - 1, CASES)
        span = {"at": at, "lo": lo, "hi": hi}
        _exec(f"""
            WITH a AS (SELECT g, {DAYS} * ({CASES} - g + 0.5) / {CASES} AS age, g % 20 = 0 AS petition,
                           {", ".join(f"{_u(k)} AS u{k}" for k in range(1, 7))}
                       FROM generate_series(CAST(:lo AS integer), CAST(:hi AS integer)) g),
                 s AS (SELECT a.*, CASE WHEN petition THEN {PETITION_STATE} ELSE {HOTLINE_STATE} END AS state,
                           CAST(:at AS timestamptz) - interval '1 day' * age AS recv FROM a)
            INSERT INTO cases (id, number, track, kind, channel, urgency, state, category_id, area_id, location_text,
                description, person_id, confidential, received_at, lead_department_id, dispatch_count, redo_count,
                urge_count, supervised, extension_reason, reply_text, reply_reviewed, callback_note, sign_due_at,
                reply_due_at, deadlines_provisional, history_length, history_hash, version, created_at, updated_at)
            SELECT g, CASE WHEN petition THEN 'XF-B-' ELSE '12345-B-' END || lpad(g::text, 8, '0'),
                CASE WHEN petition THEN 'petition' ELSE 'hotline' END,
                CASE WHEN NOT petition THEN (ARRAY['complaint','help','consult','report','suggestion'])[1 + g % 5]
                     WHEN u3 < 0.06 THEN 'accusation' WHEN u3 < 0.45 THEN 'petition_suggestion' ELSE 'grievance' END,
                CASE WHEN petition THEN (ARRAY['letter','visit','web','phone','fax'])[1 + g / 20 % 5] ELSE 'phone' END,
                'general', state, NULL, NULL, (ARRAY[{places}])[1 + floor({len(PLACES)} * u4)::int],
                (ARRAY[{words}])[1 + g % {len(WORDS)}], CASE WHEN u5 < 0.9 THEN 1 + floor({PEOPLE} * u6)::int END,
                false, recv, CASE WHEN state <> 'registered' THEN (ARRAY[{ids}])[1 + floor({n} * u1)::int] END,
                1, 0, 0, false, '', '', state = 'closed', '',
                CASE WHEN NOT petition THEN recv + interval '130 minutes' END,
                CASE WHEN NOT petition THEN recv + interval '5 days' END, false, 0, '', 1, recv, recv
            FROM s""", **span)
        _exec(f"""
            INSERT INTO assignment (id, case_id, department_id, lead, status, active, dispatch_round, dispatched_at,
                sign_due_at, reply_due_at, reply_text)
            SELECT id, id, lead_department_id, true,
                CASE WHEN state IN ('dispatched', 'forwarded') THEN 'pending' WHEN state = 'replied' THEN 'replied'
                     WHEN state IN {OPEN} THEN 'signed' ELSE 'closed' END,
                state IN {OPEN}, 1, received_at + interval '10 minutes', sign_due_at, reply_due_at, ''
            FROM cases WHERE id BETWEEN :lo AND :hi AND lead_department_id IS NOT NULL""", **span)
        columns = ("INSERT INTO deadline (id, case_id, assignment_id, department_id, clock, started_at, due_at, "
                   "warn_at, provisional, warned_at, breached_at, stopped_at, next_at)")
        running = """CASE WHEN t.warn < :at THEN t.warn END, CASE WHEN t.due < :at THEN t.due END, t.stop,
            CASE WHEN t.stop IS NOT NULL THEN NULL WHEN t.warn >= :at THEN t.warn WHEN t.due >= :at THEN t.due END"""
        _exec(f"""{columns}  -- hotline: the handle clock, stopped by the reply
            SELECT c.id, c.id, c.id, c.lead_department_id, 'handle', t.start, t.due, t.warn, false, {running}
            FROM cases c, LATERAL (SELECT c.received_at + interval '10 minutes' AS start, c.reply_due_at AS due,
                c.reply_due_at - interval '1 day' AS warn, CASE WHEN c.state IN ('replied', 'closed')
                THEN c.received_at + interval '2 days' END AS stop) t
            WHERE c.id BETWEEN :lo AND :hi AND c.track = 'hotline'""", **span)
        _exec(f"""{columns}  -- petitions: the running clock of the step, and the forward clock that came before
            SELECT {CASES} + c.id, c.id, NULL, CASE WHEN NOT st.office THEN c.lead_department_id END, st.clock,
                t.start, t.due, t.warn, false, {running}
            FROM cases c JOIN (VALUES {steps}) st(state, clock, off, lim, office) ON st.state = c.state,
                LATERAL (SELECT c.received_at + interval '1 day' * st.off AS start, NULL::timestamptz AS stop,
                    c.received_at + interval '1 day' * (st.off + st.lim) AS due,
                    c.received_at + interval '1 day' * (st.off + 0.75 * st.lim) AS warn) t
            WHERE c.id BETWEEN :lo AND :hi AND c.track = 'petition'""", **span)
        _exec(f"""{columns}
            SELECT {2 * CASES} + id, id, NULL, NULL, 'forward', received_at, received_at + interval '15 days',
                received_at + interval '11 days', false, NULL, NULL, received_at + interval '1 day', NULL
            FROM cases WHERE id BETWEEN :lo AND :hi AND track = 'petition' AND state <> 'registered'""", **span)
        _exec("""INSERT INTO petition (case_id, facts, reasons, oral, major, group_size, new_facts, objection_reason,
                     extension_reason, hearing_days, final)
                 SELECT id, '', '', channel IN ('visit', 'phone'), false, 1, '',
                     CASE WHEN state = 'objected' THEN '不属于本机关职权范围' ELSE '' END, '', 0, false
                 FROM cases WHERE id BETWEEN :lo AND :hi AND track = 'petition'""", **span)
        db.session.commit()
        print(f"  {hi:,} cases loaded", flush=True)


def protections(departments: list[int], operator: User, staff: User, pool: list[int], at: datetime) -> None:
    """~3,000 accused units (one accusation in three names the unit it was sent to: only the anti-join keeps
    it out) and 2,000 recusals: 1,920 over the bench staff, 40 each for the measured operator and clerk,
    among the newest cases, where their first page would show them."""
    _exec(f"""INSERT INTO accused_department (case_id, department_id)
              SELECT id, CASE WHEN id % 3 = 0 AND lead_department_id IS NOT NULL THEN lead_department_id
                  ELSE (ARRAY[{",".join(map(str, departments))}])[1 + floor({len(departments)} * {_u(40, "id")})::int]
                  END FROM cases WHERE kind = 'accusation'""")
    _exec(f"""INSERT INTO recusal (case_id, user_id, reason, recorded_at)
              SELECT 1 + (k * 499) % {CASES}, (ARRAY[{",".join(map(str, pool))}])[1 + k % {len(pool)}], '利害关系', :at
              FROM generate_series(1, 1920) k
              UNION ALL SELECT {CASES} - 37 * k, {operator.id}, '近亲属', :at FROM generate_series(0, 39) k
              UNION ALL SELECT case_id, {staff.id}, '近亲属', :at FROM (
                  SELECT case_id, row_number() OVER (ORDER BY case_id DESC) AS r FROM assignment
                  WHERE department_id = {staff.department_id} AND active) x WHERE r % 3 = 1 AND r < 120""", at=at)
    for table in ("cases", "assignment", "deadline", "person", "recusal"):
        _exec(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    db.session.commit()


def due_sets(at: datetime) -> None:
    """Two sets of 1,000 clocks to make due before a sweep: hotline handle clocks only, and 500 of them with 500
    running petition clocks; 6 in 10 past their warning, 4 in 10 past their deadline (windows that lapse close
    the petition: a job each)."""
    _exec(f"""CREATE TABLE bench_pick AS
        (SELECT 'hotline' AS variant, id FROM deadline WHERE clock = 'handle' AND next_at IS NOT NULL
         ORDER BY id DESC LIMIT {DUE})
        UNION ALL (SELECT 'mixed', id FROM deadline WHERE clock = 'handle' AND next_at IS NOT NULL
         ORDER BY id DESC LIMIT {DUE // 2})
        UNION ALL (SELECT 'mixed', id FROM deadline WHERE clock IN ({",".join(f"'{c}'" for c in PETITION_CLOCKS)})
         AND next_at IS NOT NULL ORDER BY hashint4(id) LIMIT {DUE - DUE // 2})""")
    _exec("CREATE TABLE bench_orig AS SELECT DISTINCT d.id, d.due_at, d.next_at, d.warned_at, d.breached_at "
          "FROM deadline d JOIN bench_pick b ON b.id = d.id")
    _exec("""CREATE TABLE bench_due AS SELECT b.variant, d.id,
            CASE WHEN t.late THEN t.ago ELSE d.due_at END AS due_at, t.ago AS next_at,
            CASE WHEN t.late THEN t.ago - interval '1 day' END AS warned_at
        FROM bench_pick b JOIN deadline d ON d.id = b.id,
            LATERAL (SELECT CAST(:at AS timestamptz) - interval '1 minute' * (1 + d.id % 50) AS ago,
                abs(hashint4(d.id)) % 10 < 4 AS late) t""", at=at)
    db.session.commit()


def staff(departments: list[int]) -> None:
    """A head and three staff more in each department: who the sweep tells, and who the recusals are of."""
    _exec(f"""INSERT INTO users (username, password_hash, display_name, role, department_id, active, is_demo,
                  created_at)
              SELECT 'bench-' || d || '-' || n, '!', 'bench', CASE WHEN n = 0 THEN 'head' ELSE 'staff' END,
                  d, true, false, now()
              FROM unnest(ARRAY[{",".join(map(str, departments))}]) d, generate_series(0, 3) n""")
