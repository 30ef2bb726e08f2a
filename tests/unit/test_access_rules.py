"""Who may see a case, over every role (个人信息保护法 Arts. 34–36: access only within duty)."""
import pytest

from hotline.domain.access import Actor, CaseScope, can_view_case, sees_contact_unmasked
from hotline.domain.roles import CENTRE_ROLES, DEPARTMENT_ROLES, Role

OWN, OTHER = 7, 8
CASE = CaseScope(department_ids=frozenset({OWN}))
UNDISPATCHED = CaseScope(department_ids=frozenset())


def test_every_role_is_on_exactly_one_side():
    assert set(Role) == CENTRE_ROLES | DEPARTMENT_ROLES and not CENTRE_ROLES & DEPARTMENT_ROLES


@pytest.mark.parametrize("role", sorted(CENTRE_ROLES))
def test_the_centre_sees_every_case(role):
    actor = Actor(1, role, None)
    assert can_view_case(actor, CASE) and can_view_case(actor, UNDISPATCHED)
    assert sees_contact_unmasked(actor, confidential=True)


@pytest.mark.parametrize("role", sorted(DEPARTMENT_ROLES))
@pytest.mark.parametrize(("department", "case", "visible"), [
    (OWN, CASE, True), (OTHER, CASE, False), (OWN, UNDISPATCHED, False), (None, CASE, False),
])
def test_a_department_sees_only_its_own_cases(role, department, case, visible):
    assert can_view_case(Actor(1, role, department), case) is visible


@pytest.mark.parametrize("role", sorted(DEPARTMENT_ROLES))
def test_a_department_never_sees_a_confidential_contact(role):
    actor = Actor(1, role, OWN)
    assert not sees_contact_unmasked(actor, confidential=True)
    assert sees_contact_unmasked(actor, confidential=False)
