"""What the accessibility tests look at, and the cases they look at it on. (No tests here.)"""
from __future__ import annotations

from urllib.parse import urlsplit

from werkzeug.exceptions import MethodNotAllowed, NotFound

from tests.helpers import act, dispatch
from tests.integration.test_screens_support import register_case

# (name, who is signed in, path): the pages people spend their day on, or meet first
KEY_PAGES = [
    ("home", None, "/"),
    ("file", None, "/file"),
    ("track", None, "/track"),
    ("open", None, "/open/"),
    ("open-departments", None, "/open/figures/department"),
    ("open-questions", None, "/open/questions"),
    ("login", None, "/login"),
    ("inbox", "dh-cgj-staff", "/dept/inbox"),
    ("case-to-sign", "dh-cgj-staff", "/cases/{pending}"),
    ("case-in-hand", "dh-cgj-staff", "/cases/{signed}"),
    ("notifications", "dh-cgj-head", "/notifications"),
    ("knowledge", "dh-cgj-staff", "/admin/knowledge"),
    ("cases", "operator", "/cases/"),
    ("case-centre", "operator", "/cases/{signed}"),
    ("console", "operator", "/console"),
    ("sms-inbox", "operator", "/inbox"),
    ("callbacks", "operator", "/supervise/callback"),
    ("dispatch-queue", "dispatcher", "/cases/queue"),
    ("case-to-dispatch", "dispatcher", "/cases/{new}"),
    ("supervision", "supervisor", "/supervise/"),
    ("board", "supervisor", "/supervise/board"),
    ("assessment", "supervisor", "/supervise/assessment"),
    ("assessment-flags", "supervisor", "/supervise/assessment/flags"),
    ("assessment-formula", "supervisor", "/supervise/assessment/formula"),
    ("moderation", "supervisor", "/open/moderation"),
    ("catalogue", "admin", "/admin/catalogue"),
    ("deadlines", "admin", "/admin/sla"),
    ("calendar", "admin", "/admin/calendar"),
    ("api-tokens", "operator", "/settings/tokens"),
    # the petition office (issue 8)
    ("petition-register", "operator", "/petitions/register"),
    ("petition-online", None, "/petitions/file"),
    ("petition-registry", "dispatcher", "/petitions/"),
    ("petition-queue", "dh-gov-staff", "/petitions/queue"),
    ("petition-case-organ", "dh-gov-staff", "/cases/{petition}"),
    ("petition-document", "dh-gov-staff", "/cases/{petition}/documents/{document}"),
    ("petition-calendar", "supervisor", "/petitions/calendar"),
    ("petition-report", "supervisor", "/petitions/report"),
    # integrations (issue 9)
    ("api-keys", "admin", "/admin/api-keys"),
    ("api-key-new", "admin", "/admin/api-keys/new"),
    ("webhooks-head", "dh-cgj-head", "/admin/webhooks"),
    ("webhook-new", "admin", "/admin/webhooks/new"),
    ("places", "dispatcher", "/admin/places"),
    ("api-docs", "admin", "/api/docs"),
]


def a_story(app) -> dict[str, str]:
    """A case waiting for the dispatcher, one waiting to be signed for and one in hand with its extension asked."""
    new = register_case(app, "小区门口路灯不亮已经一周，晚上出行很不方便。")
    pending = register_case(app, "工地每天夜里十一点以后还在施工，噪音很大，影响休息。")
    dispatch(app, pending, "dh-cgj")
    signed = register_case(app, "西湖路人行道上的井盖松动，踩上去会翻，很危险。", confidential=True)
    dispatch(app, signed, "dh-cgj", "dh-xhj")
    act(app, signed, "dh-cgj-staff", "sign")
    act(app, signed, "dh-cgj-staff", "request-extension", days=5, reason="需要协调产权单位共同维修。")
    return {"new": new, "pending": pending, "signed": signed, **a_petition(app)}


def a_petition(app) -> dict[str, str]:
    """A grievance accepted by 东湖区政府, with its acceptance notice issued."""
    from datetime import timedelta

    from sqlalchemy import select

    from hotline.clock import now
    from hotline.extensions import db
    from hotline.models import Case, PetitionDocument
    from tests.integration.lifecycle_helpers import dept, step
    from tests.integration.petition_helpers import new_petition

    start = now() - timedelta(days=3)
    number = new_petition(app, start)
    step(app, number, "dispatcher", "forward", start + timedelta(hours=1), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    step(app, number, "dh-gov-staff", "accept", start + timedelta(days=1), decision="accept")
    with app.app_context():
        document = db.session.scalar(select(PetitionDocument.id).join(Case, Case.id == PetitionDocument.case_id)
                                     .where(Case.number == number))
    return {"petition": number, "document": str(document)}


def route_exists(app, url: str) -> bool:
    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(urlsplit(url).path, method="GET")
    except (NotFound, MethodNotAllowed):
        return False
    return True


def errors_of(page) -> list[str]:
    """Everything the browser reports as failing on the page: script errors, console errors (a blocked script or
    style, a missing file) and requests for the app's own files that fail."""
    problems: list[str] = []

    def console(message) -> None:
        # the browser asks for /favicon.ico on its own; the app has no icon (yet), which is no fault of the page
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(f"console: {message.text} ({message.location.get('url')})")

    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", console)
    page.on("response", lambda response: response.status >= 400 and "/static/" in response.url
            and problems.append(f"{response.status} {response.url}"))
    return problems


# Run in the page: fields without an accessible name, how far the page sticks out sideways (and what sticks out),
# images without alt text, the page's language and title, and text drawn smaller than 12 CSS pixels.
A11Y_CHECK = """() => {
  const shown = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const text = el => (el && el.textContent || '').trim();
  const named = el => (el.labels && [...el.labels].some(l => text(l)))
    || (el.getAttribute('aria-label') || '').trim()
    || (el.getAttribute('aria-labelledby') || '').split(/\\s+/).some(id => text(document.getElementById(id)))
    || (el.getAttribute('title') || '').trim();
  const fields = [...document.querySelectorAll('input, select, textarea')]
    .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type));
  const unnamed = fields.filter(el => !named(el)).map(el => el.outerHTML.slice(0, 140));
  const buttons = [...document.querySelectorAll('button, a[href], summary')].filter(shown)
    .filter(el => !text(el) && !(el.getAttribute('aria-label') || el.title)).map(el => el.outerHTML.slice(0, 140));
  const width = window.innerWidth;
  const overflow = document.documentElement.scrollWidth - width;
  const wide = overflow > 0 ? [...document.querySelectorAll('body *')]
    .filter(el => shown(el) && el.getBoundingClientRect().right > width + 1)
    .filter(el => !el.parentElement || el.parentElement.getBoundingClientRect().right <= width + 1)
    .slice(0, 6).map(el => `${el.tagName.toLowerCase()}.${el.className} `
                           + `(${Math.round(el.getBoundingClientRect().right)} px)`) : [];
  const images = [...document.images].filter(i => !i.hasAttribute('alt')).map(i => i.src);
  const small = [...document.querySelectorAll('body *')].filter(el => shown(el)
      && [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
      && parseFloat(getComputedStyle(el).fontSize) < 12)
    .slice(0, 6).map(el => `${el.tagName.toLowerCase()}.${el.className} ${getComputedStyle(el).fontSize}`);
  return {unnamed: unnamed.concat(buttons.map(b => 'no text: ' + b)), overflow, wide, images,
          lang: document.documentElement.lang, title: document.title, small_text: small};
}"""

# Run in the page: the controls a keyboard user must be able to reach (a radio group is one stop), and the element
# that has the focus now, with whether the focus can be seen (an outline or a ring drawn by box-shadow).
FOCUS_CHECK = {
    "controls": """() => {
      // inside a closed <details> a control has a box but is not rendered: checkVisibility knows
      const shown = el => el.checkVisibility({checkVisibilityCSS: true}) && el.getClientRects().length > 0;
      const key = el => el.type === 'radio' ? `radio:${el.name}` : `${el.tagName.toLowerCase()}:`
        + (el.id || el.name || el.getAttribute('href') || el.textContent.trim().slice(0, 30));
      return [...new Set([...document.querySelectorAll(
          'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
        .filter(el => shown(el) && !el.disabled && el.type !== 'hidden' && el.tabIndex >= 0
                && getComputedStyle(el).visibility !== 'hidden')
        .map(key))];
    }""",
    "focused": """() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const key = el.type === 'radio' ? `radio:${el.name}` : `${el.tagName.toLowerCase()}:`
        + (el.id || el.name || el.getAttribute('href') || el.textContent.trim().slice(0, 30));
      const style = getComputedStyle(el);
      const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
      // a date or month field shows its focus on the part being edited, inside the browser's own control
      const segmented = ['date', 'month', 'week', 'time', 'datetime-local'].includes(el.type);
      // the focus has come round to it a second time (a date or month field takes one Tab per part)
      const again = el.dataset.tabbed === '1' && !segmented;
      el.dataset.tabbed = '1';
      return {key, again, visible: outline || style.boxShadow !== 'none' || segmented};
    }""",
}

