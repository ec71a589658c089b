"""A first pass's new ids and their Log details skip safe_text only where it would change nothing."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sync.planner.ids import plain_ids, plain_rows
from sync.values import safe_text

# titles and texts around a row number, rich in what safe_text acts on: digits, spaces,
# hyphens, '+', '*', control characters, and the catalogue's own words
_PIECES = st.text(alphabet="0123456789 -+*\x01\x0b第行需求登记 rowRequests（）", max_size=12)


@given(_PIECES, _PIECES, st.integers(min_value=1, max_value=2_000_000))
def test_a_row_number_put_in_as_is_only_where_safe_text_would_leave_it(
    before: str, after: str, row: int
) -> None:
    where = f"{before}\x00{after}"
    if plain_rows(where, row):
        text = where.replace("\x00", str(row))
        assert safe_text(text, 2000) == text


@given(st.text(alphabet="AR-S0V9 x", max_size=4), st.integers(min_value=1, max_value=9_999_999))
def test_a_new_id_written_as_is_only_where_safe_text_would_leave_it(prefix: str, n: int) -> None:
    if plain_ids(prefix, n):
        for k in (1, n // 2 + 1, n):
            assert safe_text(f"{prefix}{k:04d}") == f"{prefix}{k:04d}"


def test_the_workbooks_own_ids_and_row_texts_take_the_quick_way() -> None:
    assert plain_ids("R-", 13_000) and plain_ids("S-", 2_000) and plain_ids("V-", 999_999)
    assert not plain_ids("R-", 1_000_000)  # seven digits could be a phone: safe_text decides
    assert plain_rows("需求登记第 \x00 行", 10_001) and plain_rows("Requests row \x00", 9)
    assert not plain_rows("需求登记 2022 \x00 行", 5)  # digits beside the number: safe_text decides
    assert not plain_rows("需求登记第 \x00 行", 1_000_000)
