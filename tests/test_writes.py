"""The write laid out as plain data: lay_out(plan, what the store holds now, schema) → WriteSet."""

from __future__ import annotations

from typing import Any

from builders import NOW, RULES, SCHEMA, TZ, grid, headers, request, snapshot_of, volunteer, zh_tabs

from sync.model import CellChange, LogLine, NewRow, Plan, RowAnchor, Snapshot
from sync.placement import table_last_row
from sync.planner import build_plan
from sync.writes import free_title, last_filled_row, lay_out, same_summary

LOG = SCHEMA.tab("log").title("zh")
SUMMARY = SCHEMA.tab("summary").title("zh")
ARCHIVE = SCHEMA.tab("archive").title("zh")
REQUESTS = "需求登记"


def _tabs() -> dict[str, list[list[Any]]]:
    return zh_tabs([request("张三"), request("李四", category="药品")], [volunteer("王五")])


def _plan(tabs: dict[str, list[list[Any]]]) -> tuple[Plan, Snapshot]:
    snapshot = snapshot_of(tabs)
    return build_plan(snapshot, RULES, NOW, TZ, SCHEMA), snapshot


def _written(tabs: dict[str, list[list[Any]]]) -> dict[str, list[list[Any]]]:
    """The grids after writing the WriteSet laid out on them (cells, Log, Summary)."""
    plan, snapshot = _plan(tabs)
    writes = lay_out(plan, snapshot, SCHEMA)
    result = {title: [list(r) for r in rows] for title, rows in tabs.items()}
    for tab in writes.tabs:
        result[tab.title] = []
    cells = [*writes.cells()]
    for block in writes.tab_headers:
        cells += block.cells()
    if writes.log is not None:
        cells += writes.log.block().cells()
    assert writes.summary is not None
    result[writes.summary.title] = []
    for r, line in enumerate(writes.summary.grid(), start=1):
        for c, value in enumerate(line):
            _put(result[writes.summary.title], r, c, value)
    for cell in cells:
        _put(result[cell.title], cell.row, cell.col, cell.value)
    return result


def _put(rows: list[list[Any]], row: int, col: int, value: Any) -> None:
    while len(rows) < row:
        rows.append([])
    line = rows[row - 1]
    line.extend([None] * (col + 1 - len(line)))
    line[col] = value


def test_a_first_pass_adds_the_summary_and_log_under_their_titles_with_the_log_header() -> None:
    plan, snapshot = _plan(_tabs())
    writes = lay_out(plan, snapshot, SCHEMA)
    assert [(t.key, t.title) for t in writes.tabs] == [("summary", SUMMARY), ("log", LOG)]
    assert writes.log is not None and writes.log.row == 1
    assert writes.log.header == tuple(headers("log"))
    assert writes.log.lines == tuple(plan.log) and writes.log_lines
    assert writes.summary is not None and writes.summary.rows == plan.summary
    assert (writes.summary.clear_rows, writes.summary.clear_cols) == (0, 0)
    assert not writes.deferred and not writes.is_empty()
    assert writes.written == len(plan.changes)


def test_every_change_lands_on_its_cell_and_a_pass_over_the_result_changes_no_cell() -> None:
    tabs = _written(_tabs())
    again, snapshot = _plan(tabs)
    writes = lay_out(again, snapshot, SCHEMA)
    assert again.changes == () and writes.cells() == () and writes.log_lines == ()
    assert writes.summary is not None and not writes.summary.unchanged  # "this pass: 0 cells"
    assert lay_out(*_plan(_written(tabs)), SCHEMA).is_empty()  # and then nothing at all
    table = snapshot.table("requests")
    assert table is not None
    ids = [table.get(r, "id") for r in table.data_rows]
    assert all(ids) and len(set(ids)) == 2  # the first pass's ids were written in their cells


def test_the_log_block_starts_after_the_last_filled_row() -> None:
    tabs = _written(_tabs())
    tabs[REQUESTS].append(request("赵六", category="药品"))  # something new to log
    plan, snapshot = _plan(tabs)
    writes = lay_out(plan, snapshot, SCHEMA)
    assert writes.log is not None and writes.log.header == ()
    assert (
        writes.log.row
        == last_filled_row(tabs[LOG]) + 1
        == table_last_row(snapshot.table("log")) + 1
    )
    assert writes.tabs == ()


def test_an_empty_log_tab_gets_its_header_first() -> None:
    tabs = _tabs()
    tabs[LOG] = []
    plan, snapshot = _plan(tabs)
    writes = lay_out(plan, snapshot, SCHEMA)
    assert [t.key for t in writes.tabs] == ["summary"]
    assert writes.log is not None and (writes.log.title, writes.log.row) == (LOG, 1)
    assert writes.log.rows()[0] == tuple(headers("log"))
    assert writes.log.next_row == 2 + len(writes.log.lines)


def test_new_columns_go_after_the_tables_width_and_changes_to_them_land_there() -> None:
    tabs = _tabs()
    keys = SCHEMA.tab("requests").keys()
    dropped = [keys.index("priority"), keys.index("sync_note")]
    tabs[REQUESTS] = [[v for i, v in enumerate(r) if i not in dropped] for r in tabs[REQUESTS]]
    plan, snapshot = _plan(tabs)
    writes = lay_out(plan, snapshot, SCHEMA)
    width = len(tabs[REQUESTS][0])
    assert {(h.column, h.row) for h in writes.headers} == {("priority", 1), ("sync_note", 1)}
    assert sorted(h.col for h in writes.headers) == [width, width + 1]
    at = {h.column: h.col for h in writes.headers}
    placed = [c for c in writes.changes if c.column in at]
    assert {c.column for c in placed} == {"priority", "sync_note"}
    assert all(c.col == at[c.column] and c.change is not None for c in placed)


def test_a_row_edited_after_the_read_is_deferred_whole_and_logged() -> None:
    plan, _read = _plan(_tabs())
    tabs = _tabs()
    col = SCHEMA.tab("requests").keys().index("items")
    tabs[REQUESTS][1][col] = "白菜和土豆"  # 张三's request changed between plan and write
    current = snapshot_of(tabs)
    writes = lay_out(plan, current, SCHEMA)
    zhang = {c for c in plan.changes if c.tab == "requests" and c.anchor.row == 2}
    assert zhang and set(writes.deferred) == zhang, writes.deferred
    assert all(c.row != 2 for c in writes.changes if c.title == REQUESTS)
    assert any(c.row == 3 for c in writes.changes)
    deferral = [
        line for line in writes.log_lines if line.action not in {x.action for x in plan.log}
    ]
    assert len(deferral) == 1
    assert writes.written == len(plan.changes) - len(zhang)


def test_a_change_whose_cell_no_longer_holds_what_was_read_is_deferred() -> None:
    tabs = _tabs()
    snapshot = snapshot_of(tabs)
    table = snapshot.table("requests")
    assert table is not None
    row = table.data_rows[0]
    anchor = RowAnchor(None, row.number, table.fingerprint(row))
    change = CellChange("requests", anchor, "note", "was here", "new note", "test")
    plan = Plan(changes=(change,), time="2022-12-20 15:00")
    writes = lay_out(plan, snapshot, SCHEMA)
    assert writes.deferred == (change,) and writes.changes == ()
    assert [line.ref for line in writes.log_lines] == ["#2"]


def test_a_new_row_whose_id_is_present_is_skipped_and_others_appended_below_the_last_row() -> None:
    tabs = _tabs()
    tabs[REQUESTS][1][0] = "R-0001"
    snapshot = snapshot_of(tabs)
    cells = (("id", "R-0001/2022-12-21"), ("name", "张三"))
    present = NewRow("requests", "R-0001", (("id", "R-0001"), ("name", "张三")))
    fresh = NewRow("requests", "R-0001/2022-12-21", cells)
    log = (
        LogLine("t", "R-0001", "a", "", "present"),
        LogLine("t", "R-0001/2022-12-21", "a", "", ""),
    )
    writes = lay_out(Plan(new_rows=(present, fresh), log=log), snapshot, SCHEMA)
    assert writes.skipped == frozenset({"R-0001"})
    assert {(c.row, c.column, c.value) for c in writes.rows} == {
        (4, "id", "R-0001/2022-12-21"),
        (4, "name", "张三"),
    }
    assert [line.ref for line in writes.log_lines] == ["R-0001/2022-12-21"]


def test_a_quiet_pass_writes_nothing_when_the_summary_already_shows_its_rows() -> None:
    tabs = _written(_written(_tabs()))
    plan, snapshot = _plan(tabs)
    writes = lay_out(plan, snapshot, SCHEMA)
    assert writes.summary is not None and writes.summary.unchanged and writes.is_empty()
    changed = Plan(summary=((*plan.summary[0], "more"), *plan.summary[1:]), chart=plan.chart)
    assert not lay_out(changed, snapshot, SCHEMA).is_empty()


def test_the_summary_is_rewritten_over_the_whole_extent_it_held() -> None:
    tabs = _tabs()
    tabs[SUMMARY] = [["旧的"], [], ["a", "b", "c", "d"]]
    plan = Plan(summary=(("新的", 1),))
    writes = lay_out(plan, snapshot_of(tabs), SCHEMA)
    assert writes.summary is not None and not writes.summary.unchanged
    assert writes.summary.grid() == (
        ("新的", 1, None, None),
        (None, None, None, None),
        (None, None, None, None),
    )
    assert [t.key for t in writes.tabs] == []  # the Log is not needed: no line to write


def test_same_summary_ignores_trailing_blanks() -> None:
    snapshot = snapshot_of({**_tabs(), SUMMARY: [["标题", None], ["x", 1, ""]]})
    assert same_summary(snapshot.table("summary"), [("标题",), ("x", 1), ()])
    assert not same_summary(snapshot.table("summary"), [("标题",), ("x", 2)])
    assert not same_summary(None, [])


def test_free_titles_ignore_case_as_excel_and_sheets_do() -> None:
    assert free_title(["summary", "Log"], "Summary") == "Summary 2"
    assert free_title(["SUMMARY", "summary 2"], "Summary") == "Summary 3"
    assert free_title(["Requests"], "Summary") == "Summary"


def test_an_empty_archive_gets_its_header_row() -> None:
    tabs = {**_tabs(), ARCHIVE: []}
    plan, snapshot = _plan(tabs)
    writes = lay_out(plan, snapshot, SCHEMA)
    (block,) = writes.tab_headers
    assert (block.title, block.row, block.rows) == (ARCHIVE, 1, (tuple(headers("archive")),))


def test_an_archive_with_rows_gets_no_header_and_the_chart_is_the_plans() -> None:
    tabs = {**_tabs(), ARCHIVE: grid("archive", [])}
    plan, snapshot = _plan(tabs)
    writes = lay_out(plan, snapshot, SCHEMA)
    assert writes.tab_headers == () and writes.chart == plan.chart


def test_init_lays_out_missing_tabs_headers_and_sample_rows_and_then_nothing() -> None:
    from sync.backends.memory import MemoryBackend
    from sync.sample import sample_rows

    store = MemoryBackend({REQUESTS: [["居民姓名"]]})  # a tab people began by hand
    done = store.initialise(SCHEMA, "zh", sample_rows(SCHEMA, "zh"))
    assert f"添加了「{SUMMARY}」表" in done and f"添加了「{ARCHIVE}」表" not in done  # on demand
    assert "在「需求登记」表添加了「编号」列" in done
    assert store.grids[REQUESTS][0][0] == "居民姓名" and "编号" in store.grids[REQUESTS][0]
    assert store.grids["志愿者"][0] == headers("volunteers") and len(store.grids["志愿者"]) > 1
    assert store.initialise(SCHEMA, "zh", None) == []
    again = store.initialise(SCHEMA, "zh", sample_rows(SCHEMA, "zh"))
    assert again and all(line.endswith("保持原样，没有加示例行") for line in again)
