"""What the case page tells: assignments with their own times and the co-handlers' parts, the extension,
the reply and callback, merges both ways, and the history with who did what."""
from __future__ import annotations

import re

from tests.helpers import act, dispatch
from tests.integration.test_screens_support import display_name, html_of, post_action, register_case, signed_in


def section(html: str, opening: str) -> str:
    """From the element with this class to the end of its list."""
    start = html.index(opening)
    end = min(i for i in (html.find("</ul>", start), html.find("</ol>", start)) if i != -1)
    return html[start:end]


def test_the_lead_sees_the_co_handlers_part_and_each_assignment_with_its_times(app):
    number = register_case(app)
    dispatch(app, number, "dh-cgj", "dh-xhj")
    act(app, number, "dh-cgj-staff", "sign")
    co = signed_in(app, "dh-xhj-staff")
    assert {"sign"} <= set(re.findall(r"/actions/([a-z-]+)", html_of(co.get(f"/cases/{number}"))))
    post_action(co, number, "sign")
    response = post_action(co, number, "reply", text="街道已配合排查，路灯线路老化。", resolved="no")
    assert response.status_code == 302

    lead = signed_in(app, "dh-cgj-staff")
    html = html_of(lead.get(f"/cases/{number}"))
    handling = section(html, 'class="assignments"')
    assert "东湖区城市管理综合执法局" in handling and "东湖区西湖街道办事处" in handling
    assert "街道已配合排查，路灯线路老化。" in handling  # the co-handler's part, for the lead
    assert handling.count(display_name(app, "dh-xhj-staff")) == 2  # signed by, replied by
    assert "dh-xhj" not in html  # names, not codes
    timeline = section(html, 'class="timeline"')
    assert timeline.count('class="ev-sign"') == 2 and 'class="ev-reply"' in timeline
    assert "reply" in set(re.findall(r"/actions/([a-z-]+)", html))  # the lead still has to reply


def test_an_approved_extension_and_the_callback_are_shown(app):
    number = register_case(app)
    dispatch(app, number, "dh-cgj")
    act(app, number, "dh-cgj-staff", "sign")
    act(app, number, "dh-cgj-staff", "request-extension", days=3, reason="需协调供电公司更换线路")
    act(app, number, "supervisor", "decide-extension", decision="approve")
    act(app, number, "dh-cgj-staff", "reply", text="线路已更换，路灯恢复。", resolved=True)
    act(app, number, "dispatcher", "review-reply", decision="approve")
    act(app, number, "operator", "callback", satisfaction="basically", resolved=True, note="基本满意")
    html = html_of(signed_in(app, "supervisor").get(f"/cases/{number}"))
    assert "需协调供电公司更换线路" in html and "线路已更换，路灯恢复。" in html and "基本满意" in html
    assert 'class="badge ok"' in html  # reviewed, and a satisfied-enough callback
    assert 'state state-closed' in html


def test_a_merge_shows_on_both_cases(app):
    duplicate, original = register_case(app), register_case(app)
    operator = signed_in(app, "operator")
    response = post_action(operator, duplicate, "merge", into=original.lower(), note="同一路灯重复来电")
    assert response.status_code == 302
    html = html_of(operator.get(f"/cases/{duplicate}"))
    assert 'state state-merged' in html and f'href="/cases/{original}"' in html
    target = html_of(operator.get(f"/cases/{original}"))
    timeline = section(target, 'class="timeline"')
    assert 'class="ev-merged-in"' in timeline and f'href="/cases/{duplicate}"' in timeline
    assert "同一路灯重复来电" in timeline and display_name(app, "operator") in timeline


def test_a_direct_answer_closes_the_case_from_the_page(app):
    number = register_case(app, kind="consult")
    operator = signed_in(app, "operator")
    response = post_action(operator, number, "answer-directly", note="已告知办理公积金提取所需材料。")
    assert response.status_code == 302
    html = html_of(operator.get(f"/cases/{number}"))
    assert 'state state-closed' in html and "已告知办理公积金提取所需材料。" in html


def test_the_pages_work_in_english_too(app):
    number = register_case(app)
    dispatch(app, number, "dh-cgj")
    staff = signed_in(app, "dh-cgj-staff")
    staff.get("/language/en")
    html = html_of(staff.get(f"/cases/{number}"))
    assert 'lang="en"' in html and "Sign for this case" in html and "Donghu District" in html
    assert re.search(r"due in \d+ (days|hr)", html)
    assert staff.get("/dept/inbox?tab=pending").status_code == 200
    dispatcher = signed_in(app, "dispatcher")
    dispatcher.get("/language/en")
    for path in ("/cases/", "/cases/queue", "/supervise/overdue"):
        assert dispatcher.get(path).status_code == 200, path
