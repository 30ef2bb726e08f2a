import pytest

from hotline.domain.search import classify


@pytest.mark.parametrize(("typed", "kind", "value"), [
    ("12345-20261127-000123", "number", "12345-20261127-000123"),
    (" xf-20261127-000007 ", "number", "XF-20261127-000007"),
    ("13812345678", "phone", "+8613812345678"),
    ("138 1234 5678", "phone", "+8613812345678"),
    ("+86 138-1234-5678", "phone", "+8613812345678"),
    ("010-62345678", "phone", "+861062345678"),
    ("噪音", "text", "噪音"),
    ("5678", "text", "5678"),
    ("西湖路88号", "text", "西湖路88号"),
    ("", "empty", ""),
])
def test_what_the_operator_typed_is_recognised(typed, kind, value):
    query = classify(typed)
    assert (query.kind, query.value) == (kind, value)
