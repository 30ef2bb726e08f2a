import pytest

from hotline.domain.phone import InvalidPhone, is_mobile, to_e164
from hotline.domain.privacy import mask_name, mask_phone


@pytest.mark.parametrize(("typed", "e164"), [
    ("13812345678", "+8613812345678"),
    ("138 1234 5678", "+8613812345678"),
    ("+86-138-1234-5678", "+8613812345678"),
    ("008613812345678", "+8613812345678"),
    ("010-62345678", "+861062345678"),
    (" +44 20 7946 0958 ", "+442079460958"),
])
def test_numbers_as_people_type_them_become_e164(typed, e164):
    assert to_e164(typed) == e164


@pytest.mark.parametrize("typed", ["", "12345", "abc", "1381234567", "+86 999", "138123456789012"])
def test_what_is_not_a_number_is_refused(typed):
    with pytest.raises(InvalidPhone):
        to_e164(typed)


def test_only_mobiles_get_sms():
    assert is_mobile("+8613812345678")
    assert not is_mobile("+861062345678")


@pytest.mark.parametrize(("name", "masked"), [("张三丰", "张**"), ("李", "李*"), ("", ""), (None, "")])
def test_names_keep_only_the_first_character(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(("phone", "masked"), [("+8613812345678", "+86138****5678"), ("+8612", "*****"),
                                               (None, "")])
def test_phones_keep_only_the_prefix_and_last_four(phone, masked):
    assert mask_phone(phone) == masked


def test_numbers_are_shown_grouped_for_reading_aloud():
    from hotline.domain.phone import readable

    assert readable("+8613812345678") == "+86 138 1234 5678"
    assert readable(None) == ""
