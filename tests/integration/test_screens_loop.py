"""The whole closed loop from the pages only: 受理 → 派单 → 签收 → 退单 → 延期 → 答复 → 审核 → 回访 → 重办 → 办结."""
from __future__ import annotations

from tests.helpers import department_id
from tests.integration.test_screens_support import (
    case_row,
    display_name,
    file_case,
    html_of,
    offered,
    post_action,
    signed_in,
)


def step(client, number, action, expect_state, app, **fields):
    response = post_action(client, number, action, **fields)
    assert response.status_code == 302, (action, html_of(response)[:2000])
    assert case_row(app, number).state == expect_state, action
    return response


def test_the_whole_loop_works_from_the_pages(app):
    number = file_case(app)
    dispatcher = signed_in(app, "dispatcher")
    supervisor = signed_in(app, "supervisor")
    operator = signed_in(app, "operator")
    staff = signed_in(app, "dh-cgj-staff")

    # the dispatcher finds the new case in the queue and dispatches it, with a co-handling street office
    queue = html_of(dispatcher.get("/cases/queue"))
    assert number in queue
    lead, co = department_id(app, "dh-cgj"), department_id(app, "dh-xhj")
    step(dispatcher, number, "dispatch", "dispatched", app, lead_department_id=str(lead),
         co_department_ids=[str(co)], note="请尽快核实夜间施工情况")
    assert number not in html_of(dispatcher.get("/cases/queue"))

    # the department signs for it, then finds it is not theirs and returns it
    assert number in html_of(staff.get("/dept/inbox?tab=pending"))
    step(staff, number, "sign", "in_progress", app)
    response = step(staff, number, "return", "returned", app, reason="该工地属市住建委监管的在建项目")
    assert response.headers["Location"].endswith("/dept/inbox")  # no longer theirs to see
    assert staff.get(f"/cases/{number}").status_code == 404

    # the dispatcher sees who returned it and why, and refuses the return
    queue = html_of(dispatcher.get("/cases/queue?state=returned"))
    assert number in queue and "该工地属市住建委监管的在建项目" in queue
    assert display_name(app, "dh-cgj-staff") in queue
    step(dispatcher, number, "review-return", "dispatched", app, decision="refuse",
         note="夜间施工噪声属城管执法范围，请继续办理")

    # signed again; an extension is asked for and the supervisor approves it
    step(staff, number, "sign", "in_progress", app)
    step(staff, number, "request-extension", "in_progress", app, days="3", reason="需协调施工单位整改")
    assert number in html_of(supervisor.get("/supervise/extensions"))
    due_before = case_row(app, number).reply_due_at
    step(supervisor, number, "decide-extension", "in_progress", app, decision="approve", note="同意延期")
    assert case_row(app, number).reply_due_at > due_before

    # the reply, the centre's review, and a dissatisfied callback
    step(staff, number, "reply", "replied", app, text="已责令施工单位夜间停工。", resolved="yes")
    assert number in html_of(dispatcher.get("/supervise/review"))
    step(dispatcher, number, "review-reply", "replied", app, decision="approve", note="")
    assert number in html_of(operator.get("/supervise/callback"))
    step(operator, number, "callback", "replied", app, satisfaction="dissatisfied", resolved="no",
         note="市民反映昨晚仍在施工")

    # redo: back to the department; a second reply, review, and a satisfied callback close it
    step(dispatcher, number, "redo", "in_progress", app, note="市民不满意，请重新办理")
    assert case_row(app, number).redo_count == 1
    step(staff, number, "reply", "replied", app, text="已现场检查并查封夜间施工设备。", resolved="yes")
    step(dispatcher, number, "review-reply", "replied", app, decision="approve")
    step(operator, number, "callback", "closed", app, satisfaction="satisfied", resolved="yes", note="满意")

    # the timeline shows every step, who took it, and the notes
    page = html_of(supervisor.get(f"/cases/{number}"))
    assert offered(page, number) == set()  # closed: nothing left to do
    timeline = page[page.index('class="timeline"'):]
    steps = ["register", "dispatch", "sign", "return", "review-return", "sign", "request-extension",
             "decide-extension", "reply", "review-reply", "callback", "redo", "reply", "review-reply", "callback"]
    assert [s for s in _events(timeline)] == steps
    for username in ("dispatcher", "supervisor", "operator", "dh-cgj-staff"):
        assert display_name(app, username) in timeline
    for words in ("请尽快核实夜间施工情况", "该工地属市住建委监管的在建项目", "需协调施工单位整改",
                  "市民不满意，请重新办理", "已现场检查并查封夜间施工设备。", "市民反映昨晚仍在施工"):
        assert words in timeline
    assert "东湖区城管执法局" in timeline and "西湖街道" in timeline  # the lead and the co-handler


def _events(timeline_html: str) -> list[str]:
    import re
    return re.findall(r'<li class="ev-([a-z-]+)">', timeline_html)


def test_a_flash_confirms_each_step_and_the_page_moves_on(app):
    number = file_case(app)
    dispatcher = signed_in(app, "dispatcher")
    response = post_action(dispatcher, number, "dispatch", lead_department_id=str(department_id(app, "dh-cgj")))
    page = html_of(dispatcher.get(response.headers["Location"]))
    assert 'class="flash flash-success"' in page
    assert "dispatch" not in offered(page, number) and "urge" in offered(page, number)
