"""The quicker __init__ of the records a pass builds by the ten thousand changes nothing else."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest

from sync.model import CellChange, LogLine, Request, RowAnchor, SheetRow
from sync.model.quick import quick_init


def test_records_built_quickly_are_the_same_frozen_records() -> None:
    anchor = RowAnchor("R-0001", 3, "abc")
    change = CellChange("requests", anchor, "status", None, "新", "")
    by_keyword = CellChange(
        tab="requests", anchor=RowAnchor("R-0001", 3, "abc"), column="status", old=None,
        new="新", reason="",
    )  # fmt: skip
    assert change == by_keyword and hash(change) == hash(by_keyword)
    assert repr(anchor) == "RowAnchor(id='R-0001', row=3, fingerprint='abc')"
    assert pickle.loads(pickle.dumps(change)) == change
    with pytest.raises(dataclasses.FrozenInstanceError):
        change.new = "x"  # type: ignore[misc]
    assert not hasattr(change, "__dict__")


def test_defaults_keywords_and_replace_as_the_dataclass_has_them() -> None:
    line = LogLine("2022-12-20 15:00", "R-0001", "新编号", "", "需求登记第 2 行")
    assert line.routine is False
    assert LogLine("t", "r", "a", "", "d", routine=True).routine is True
    assert dataclasses.replace(line, ref="R-0002").ref == "R-0002"
    with pytest.raises(TypeError):
        LogLine("t", "r", "a")  # type: ignore[call-arg]
    row = SheetRow(2, ("a",))
    values = dict.fromkeys((f.name for f in dataclasses.fields(Request)), "")
    request = Request(**{**values, "row": row, "problems": ()})
    assert request.row is row and request.problems == ()
    with pytest.raises(TypeError):
        Request(**{**values, "row": row, "unknown": 1})


def test_only_for_frozen_slotted_records_without_post_init() -> None:
    @dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclass(slots=True)
    class NotFrozen:
        a: int

    @dataclass(frozen=True, slots=True)
    class Factory:
        a: list[int] = field(default_factory=list)

    @dataclass(frozen=True, slots=True)
    class Post:
        a: int

        def __post_init__(self) -> None:
            pass

    for cls in (NoSlots, NotFrozen, Factory, Post):
        with pytest.raises(TypeError):
            quick_init(cls)
