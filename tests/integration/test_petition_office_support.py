"""Helpers for the petition office's screen tests: a small office's worth of petitions at known moments, and the
pages read as a person would. (No tests here; the other test_petition_office_* modules import these.)"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from hotline.domain.kinds import Kind
from tests.integration.lifecycle_helpers import dept, local, step
from tests.integration.petition_helpers import new_petition, petitioner
from tests.integration.test_screens_support import html_of, signed_in

# the screens' "now": a Tuesday, in ISO week 2026-W49 (Monday 11-30 to Sunday 12-06)
NOW = local(2026, 12, 1, 10)
ACCUSER = "钱检举"


def valid_id(seed: int) -> str:
    """A well-formed ID number (GB 11643): 17 digits and the check character."""
    body = f"1101051980{seed:04d}{seed % 1000:03d}"[:17]
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


ACCUSER_ID = valid_id(3)


@dataclass(frozen=True)
class Office:
    grievance: str  # received 11-27, forwarded to 东湖区政府: acceptance due 12-14, objection until 12-04
    accusation: str  # accuses 东湖区城管执法局, forwarded to 东湖区政府
    extension: str  # with 东湖区住建局, accepted, an extension awaiting its head
    reviewing: str  # decided by 东湖区住建局, under review at 东湖区政府
    hearing: str  # under re-review at 市住建委, in a hearing
    unforwarded: str  # received 11-01, never forwarded: forwarding was due 11-16


def build_office(app) -> Office:
    gov, zjj, cgj, zjw = (dept(app, c) for c in ("dh-gov", "dh-zjj", "dh-cgj", "zjw"))
    grievance = new_petition(app, local(2026, 11, 27, 10), people=(petitioner("孙申诉", "+8613900002222",
                                                                                 valid_id(2)),))
    step(app, grievance, "dispatcher", "forward", local(2026, 11, 27, 11), organ_id=gov, forwarding="forward")

    accusation = new_petition(app, local(2026, 11, 20, 9), kind=Kind.ACCUSATION,
                              people=(petitioner(ACCUSER, "+8613900003333", ACCUSER_ID),),
                              request="检举东湖区城管执法局执法人员收受摊主好处费",
                              facts="夜市摊主反映每月被收取管理费。", reasons="执法人员以权谋私。",
                              accused_department_ids=(cgj,))
    step(app, accusation, "dispatcher", "forward", local(2026, 11, 20, 10), organ_id=gov, forwarding="assign")

    extension = new_petition(app, local(2026, 9, 20, 9), people=(petitioner("周延期", "+8613900004444", valid_id(4)),))
    step(app, extension, "dispatcher", "forward", local(2026, 9, 21, 9), organ_id=zjj, forwarding="forward")
    step(app, extension, "dh-zjj-staff", "accept", local(2026, 9, 23, 9), decision="accept")
    step(app, extension, "dh-zjj-staff", "request-extension", local(2026, 11, 16, 9), days=20, reason="需现场测量")

    reviewing = new_petition(app, local(2026, 8, 3, 9), people=(petitioner("吴复查", "+8613900005555", valid_id(5)),))
    step(app, reviewing, "dispatcher", "forward", local(2026, 8, 3, 10), organ_id=zjj, forwarding="forward")
    step(app, reviewing, "dh-zjj-staff", "accept", local(2026, 8, 5, 9), decision="accept")
    step(app, reviewing, "dh-zjj-staff", "decide", local(2026, 10, 20, 9), outcome="reject", facts="f", basis="b",
         text="不予支持")
    step(app, reviewing, "operator", "request-review", local(2026, 11, 10, 9), organ_id=gov, note="请求复查")

    hearing = new_petition(app, local(2026, 6, 1, 9), people=(petitioner("郑复核", "+8613900006666", valid_id(6)),))
    step(app, hearing, "dispatcher", "forward", local(2026, 6, 1, 10), organ_id=zjj, forwarding="forward")
    step(app, hearing, "dh-zjj-staff", "accept", local(2026, 6, 2, 9), decision="accept")
    step(app, hearing, "dh-zjj-staff", "decide", local(2026, 7, 1, 9), outcome="explain", facts="f", basis="b",
         text="t")
    step(app, hearing, "operator", "request-review", local(2026, 7, 10, 9), organ_id=gov, note="请求复查")
    step(app, hearing, "dh-gov-staff", "decide-review", local(2026, 8, 1, 9), outcome="uphold", facts="f", basis="b",
         text="维持")
    step(app, hearing, "operator", "request-re-review", local(2026, 8, 20, 9), organ_id=zjw, note="请求复核")
    step(app, hearing, "zjw-staff", "start-hearing", local(2026, 8, 25, 9), note="听证")

    unforwarded = new_petition(app, local(2026, 11, 1, 9), people=(petitioner("冯未转", "+8613900007777",
                                                                                  valid_id(7)),))
    return Office(grievance, accusation, extension, reviewing, hearing, unforwarded)


NUMBER = re.compile(r"XF-\d{8}-\d{6}")


def numbers(html: str) -> set[str]:
    return set(NUMBER.findall(html))


class Browsers:
    """One signed-in client per person (signing in again for every page would meet the login rate limit).
    `see(username, url)` → (status, page)."""

    def __init__(self, app):
        self.app, self.clients = app, {}

    def __call__(self, username: str, url: str) -> tuple[int, str]:
        response = self.response(username, url)
        return response.status_code, html_of(response)

    def response(self, username: str, url: str):
        if username not in self.clients:
            self.clients[username] = signed_in(self.app, username)
        return self.clients[username].get(url)


def calendar_cell(html: str, clock: str, day: str) -> set[str]:
    """The petition numbers in the calendar's cell of a step (clock) and a day ("2026-12-04", or "overdue")."""
    row = re.search(rf'<tr [^>]*data-clock="{clock}">(.*?)</tr>', html, re.S)
    assert row, f"no row for {clock}"
    cell = re.search(rf'data-day="{day}">(.*?)</td>', row.group(1), re.S)
    assert cell, f"no cell for {day}"
    return numbers(cell.group(1))


def queue_step(html: str, step_name: str) -> str:
    match = re.search(rf'<section [^>]*data-step="{step_name}">(.*?)</section>', html, re.S)
    assert match, f"no section {step_name}"
    return unescape(match.group(1))
