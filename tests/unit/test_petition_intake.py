"""What registering a petition checks of its petitioners (信访工作条例 Arts. 19, 20) and how it recognises the same
matter (Arts. 19, 36): the codes the registration page words at each field."""
from datetime import UTC, datetime

import pytest

from hotline.domain.petition_intake import (
    Matter,
    PetitionerIn,
    find_same_matter,
    petitioner_problems,
    valid_id_number,
)

ID = "11010519491231002X"


def person(name="李建国", phone="+8613900001111", address="", representative=False, id_number=""):
    return PetitionerIn(name=name, phone=phone, address=address, representative=representative, id_number=id_number)


@pytest.mark.parametrize(("value", "valid"), [
    (ID, True), ("110105194912310021", False), ("11010519491231002", False), ("11010519491231002x", False),
    ("", False), ("1101051949123100XX", False),
])
def test_id_numbers_carry_their_check_character(value, valid):
    assert valid_id_number(value) is valid


def test_each_petitioner_needs_a_name_and_a_way_to_reach_them():
    assert petitioner_problems([], 1) == {"petitioners": "required"}
    problems = petitioner_problems([person(), person(name=" ", phone=None), person(id_number="123")], 1)
    assert problems == {"petitioners.1.name": "required", "petitioners.1.address": "address_or_phone",
                        "petitioners.2.id_number": "invalid_id_number"}


@pytest.mark.parametrize(("people", "group", "code"), [
    (4, 1, None), (5, 1, "representatives_required"), (2, 30, "representatives_required"),
])
def test_five_people_or_more_choose_representatives(people, group, code):
    problems = petitioner_problems([person(name=f"王{n}") for n in range(people)], group)
    assert problems.get("representatives") == code


def test_at_most_five_representatives():
    six = [person(name=f"王{n}", representative=True) for n in range(6)]
    assert petitioner_problems(six, 6) == {"representatives": "too_many_representatives"}
    five = [person(name=f"王{n}", representative=n < 5) for n in range(8)]
    assert petitioner_problems(five, 8) == {}


TEXT = "要求补发拆迁安置补偿款 2025年旧城改造中房屋被征收，约定的安置补偿款至今未足额发放。"


def matter(case_id, state="accepted", final=False, phones=("+8613900001111",), ids=(), text=TEXT, category=None):
    return Matter(case_id, f"XF-20260101-{case_id:06d}", state, final, category, frozenset(ids), frozenset(phones),
                  text, datetime(2026, 1, 1, tzinfo=UTC))


def test_the_same_person_and_words_is_the_same_matter_a_concluded_one_first():
    new = matter(0, state="registered")
    found = find_same_matter(new, [matter(1), matter(2, state="closed", final=True)])
    assert found.matter.case_id == 2 and found.kind == "settled"
    assert find_same_matter(new, [matter(1)]).kind == "open"


def test_another_person_other_words_or_a_matter_not_yet_accepted_is_not():
    new = matter(0, state="registered")
    assert find_same_matter(new, [matter(1, phones=("+8613800000000",))]) is None
    assert find_same_matter(new, [matter(1, text="小区路灯不亮，晚上出行不便")]) is None
    assert find_same_matter(new, [matter(1, state="forwarded")]) is None  # Art. 19: accepted, not merely sent
    assert find_same_matter(new, [matter(1, phones=(), ids=(ID,))]) is None
    assert find_same_matter(matter(0, ids=(ID,), phones=()), [matter(1, phones=(), ids=(ID,))]) is not None
