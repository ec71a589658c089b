"""Bad-input fuzz (Hypothesis): cell contents and rule files.

Cells: any text (control characters, full-width forms, emoji, 40,000-character strings,
formula-looking text such as =IMPORTXML(…), +1, -5, @x), integers, floats, dates, times and
booleans in every column people fill, on Requests, Volunteers and Stock, in Chinese or English
sheets. The plan must never raise, every problem it reports must name its tab, row and column,
and a second pass over the result must plan nothing. Some examples also go through the real
command (`aidsync check`, then `aidsync sync`) on a saved .xlsx: exit 0 or 1, an `Error:` line
and never a traceback.

Rule files: one shipped rule file mutated one to three times (lines deleted, duplicated,
swapped, re-indented, truncated; characters inserted; values replaced by other types; unknown
keys; field names misspelt; invalid UTF-8). Loading must either succeed, and then a pass over
the sample afternoon must not raise, or stop with a RuleError naming the file and the line.

tests/test_fuzz.py runs these properties with few examples; `python -m reliability.fuzz
--trials N` runs N examples of each.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import re
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from reliability.common import ROOT, SCHEMA, Report, make_sample, parse_args, read_xlsx
from sync.errors import RuleError
from sync.layout import build_snapshot
from sync.planner import build_plan
from sync.rules import Rules, load_rules

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2022, 12, 20, 15, 0, tzinfo=TZ)
RULES_DIR = ROOT / "rules"
RULES: Rules = load_rules(RULES_DIR, SCHEMA)
#: words that name a column in problem texts whose message template names it implicitly
COLUMN_WORDS = ("电话", "phone", "社区", "community", "状态", "status", "值班时间", "hours",
                "编号", " id ", "姓名", "name")  # fmt: skip
_ROW = re.compile(r"^(?P<tab>.+?)(?: row |第 )(?P<row>\d+)\b")

# -- cells ----------------------------------------------------------------------------------------
FORMULA_LIKE = [
    '=IMPORTXML("http://x","//a")', "=1+1", "+1 555 0100", "-5", "@SUM(A1)",
    '=HYPERLINK("http://evil")', "'=quoted", "=", "+", "-", "@",
]  # fmt: skip
REALISTIC = [
    "创意社区", "建设社区、乐园社区", "全部", "all", "药品", "蔬菜食品", "medicine", "独居",
    "living alone", "紧急", "一般", "urgent", "是", "否", "yes", "no", "全天", "24h",
    "08:00-20:00", "22:00-06:00", "待派单", "已派单", "配送中", "已送达", "已取消",
    "待协调", "信息不全", "delivered", "段珊珊", "张伟", "V-0001", "R-0001", "S-0001",
    "13840001001", "１３８４０００１００２", "+86 138 4000 1003", "2022-12-20 14:30",
    "12月20日 13:00", "2022/12/20", "2023-03-31", "布洛芬", "退烧药", "盒", "6",
]  # fmt: skip


def any_text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Any text at all: control characters, surrogates excepted (no sheet can hold them)."""
    return st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=max_size)


fullwidth = st.text(alphabet=st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E), max_size=12)
control = st.text(alphabet=st.characters(max_codepoint=0x1F), min_size=1, max_size=8)
huge = st.builds(lambda c, n: c * n, st.sampled_from(["x", "长", "=", "\n", "😀"]),
                 st.integers(1000, 40_000))  # fmt: skip
cell_value = st.one_of(
    st.sampled_from(REALISTIC),
    any_text(),
    fullwidth,
    control,
    st.sampled_from(FORMULA_LIKE),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.times(),
    st.none(),
    huge,
)


@st.composite
def workbooks(draw: Callable[..., Any], max_rows: int = 6) -> tuple[str, dict[str, list[Any]]]:
    """(locale, grids): template headers, then rows of fuzzed cells in the human columns."""
    locale = draw(st.sampled_from(["zh", "en"]))
    tabs: dict[str, list[Any]] = {}
    for key in ("requests", "volunteers", "stock"):
        tab = SCHEMA.tab(key)
        headers = [c.label(locale) for c in tab.columns]  # type: ignore[arg-type]
        rows = [headers]
        for _ in range(draw(st.integers(0, max_rows))):
            row = []
            for column in tab.columns:
                fill = column.owner != "worker" or draw(st.integers(0, 9)) == 0
                row.append(draw(cell_value) if fill else None)
            rows.append(row)
        tabs[tab.title(locale)] = rows  # type: ignore[arg-type]
    return locale, tabs


def problem_names_its_place(problem: str, titles: set[str]) -> bool:
    """'需求登记 row 9 (R-0008): 缺少地址' names a tab, a row and a column."""
    match = _ROW.match(problem)
    if not match or match.group("tab") not in titles:
        return False
    labels = {label for tab in SCHEMA.tabs for c in tab.columns for label in c.names()}
    text = problem[match.end() :]
    return any(label in text for label in labels) or any(w in text for w in COLUMN_WORDS)


def check_plan(locale: str, tabs: dict[str, list[Any]]) -> None:
    """The planner never raises; problems name their place; a second pass plans nothing."""
    from builders import apply_in_memory

    snapshot = build_snapshot("fuzz", tabs, SCHEMA)
    plan = build_plan(snapshot, RULES, NOW, TZ, SCHEMA)
    for problem in plan.problems:
        assert problem_names_its_place(problem, set(tabs)), f"problem without a place: {problem}"
    after = apply_in_memory({t: [list(r) for r in g] for t, g in tabs.items()}, plan)
    again = build_plan(build_snapshot("fuzz", after, SCHEMA), RULES, NOW, TZ, SCHEMA)
    assert again.is_empty(), f"a second pass still plans {again.changes[:3]}"


def storable(value: Any) -> Any:
    """What an .xlsx can hold: no illegal control characters, at most 32,767 characters."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:32_767]
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    return value


def run_cli(argv: list[str]) -> tuple[int, str]:
    """sync.cli.main in-process: (exit code, stdout + stderr)."""
    from sync import cli

    out = io.StringIO()
    saved = sys.argv
    sys.argv = ["aidsync", *argv]
    code = 0
    try:
        with contextlib.redirect_stderr(out), contextlib.redirect_stdout(out):
            cli.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv = saved
    return code, out.getvalue()


def check_command(locale: str, tabs: dict[str, list[Any]], folder: Path) -> None:
    """`aidsync check` then `aidsync sync` on the saved workbook: no crash, text stays text."""
    import openpyxl

    from sync.backends.xlsx import set_text_safe

    path = folder / "fuzz.xlsx"
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in tabs.items():
        ws = book.create_sheet(title)
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                if value is not None:
                    set_text_safe(ws.cell(row=r, column=c), storable(value))
    book.save(path)
    flags = ["--workbook", str(path), "--rules", str(RULES_DIR), "--now", NOW.isoformat()]
    for command, allowed in (("check", (0, 1)), ("sync", (0,))):
        code, output = run_cli([command, *flags])
        assert "Traceback" not in output and "unexpected" not in output, output[-2000:]
        assert code in allowed, f"aidsync {command} exited {code}: {output[-1000:]}"
    formulas = [
        (ws.title, cell.coordinate)
        for ws in openpyxl.load_workbook(path).worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert not formulas, f"cells became formulas: {formulas[:5]}"


# -- rule files -----------------------------------------------------------------------------------
RULE_FILES = sorted(p.name for p in RULES_DIR.glob("*.yaml"))
MUTATIONS = ("delete", "duplicate", "swap", "indent", "dedent", "insert", "value", "key",
             "field", "truncate", "tab", "bytes", "empty")  # fmt: skip
VALUES = [
    "-5", "abc", "[]", "{}", "~", "1e309", "true", '"=1+1"', "[1, [2]]", "{zh: 1}", "0",
    "99999999999999999999", "-0.5", "'", '"', ": :", "&anchor", "*alias", "!!python/object:x",
]  # fmt: skip
mutation = st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 10**6), any_text(12))


def mutate(text: str, steps: list[tuple[str, int, str]]) -> bytes:
    """Apply mutations to a rule file's text."""
    lines = text.split("\n")
    raw: bytes | None = None
    for kind, n, word in steps:
        i = n % max(1, len(lines))
        if kind == "delete" and lines:
            del lines[i]
        elif kind == "duplicate" and lines:
            lines.insert(i, lines[i])
        elif kind == "swap" and len(lines) > 1:
            j = (n // 7) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "indent" and lines:
            lines[i] = " " * (1 + n % 4) + lines[i]
        elif kind == "dedent" and lines:
            lines[i] = lines[i].lstrip()
        elif kind == "insert" and lines:
            at = n % (len(lines[i]) + 1)
            lines[i] = lines[i][:at] + word + lines[i][at:]
        elif kind == "value" and lines and ":" in lines[i]:
            head = lines[i].split(":", 1)[0]
            lines[i] = f"{head}: {VALUES[n % len(VALUES)]}"
        elif kind == "key":
            lines.insert(i, f"{' ' * (2 * (n % 3))}{word or 'x'}: {VALUES[n % len(VALUES)]}")
        elif kind == "field" and lines:
            fields = r"\b(household|urgency|category|community|items)\b"
            lines[i] = re.sub(fields, lambda _m, w=word: w, lines[i])
        elif kind == "truncate":
            lines = lines[:i]
        elif kind == "tab" and lines:
            lines[i] = "\t" + lines[i]
        elif kind == "bytes":
            raw = "\n".join(lines).encode() + bytes([0xFF, 0xFE, n % 256])
        elif kind == "empty":
            lines = []
    return raw if raw is not None else "\n".join(lines).encode("utf-8", "surrogatepass")


def check_rules(name: str, steps: list[tuple[str, int, str]], folder: Path) -> None:
    """Loading succeeds (and a pass over the sample does not raise) or names file and line."""
    rules_dir = folder / "rules"
    shutil.rmtree(rules_dir, ignore_errors=True)
    shutil.copytree(RULES_DIR, rules_dir)
    target = rules_dir / name
    target.write_bytes(mutate(target.read_text(encoding="utf-8"), steps))
    try:
        rules = load_rules(rules_dir, SCHEMA)
    except RuleError as exc:
        assert Path(exc.path).parent == rules_dir or Path(exc.path) == rules_dir, exc.path
        if Path(exc.path) == rules_dir:  # something missing from the whole folder: no line
            assert exc.hint, f"no hint in: {exc}"
            return
        assert exc.line is not None and exc.line >= 1, f"no line in: {exc}"
        assert str(exc).startswith(f"{exc.path}:{exc.line}: ")
        return
    build_plan(_sample_snapshot(folder), rules, NOW, TZ, SCHEMA)


_SAMPLE: dict[str, Any] = {}
COUNTS: dict[str, int] = {}


def _sample_snapshot(folder: Path) -> Any:
    if "snapshot" not in _SAMPLE:
        tabs = read_xlsx(make_sample(folder / "sample.xlsx"))
        _SAMPLE["snapshot"] = build_snapshot("sample", tabs, SCHEMA)
    return _SAMPLE["snapshot"]


# -- the properties, for tests and the campaign ---------------------------------------------------
def properties(examples: int, command_examples: int) -> dict[str, Callable[[], None]]:
    """Hypothesis tests with these example counts (each call runs the whole property)."""
    common = {"deadline": None, "database": None, "derandomize": False,
              "suppress_health_check": list(HealthCheck)}  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="aidsync-fuzz-"))
    atexit.register(shutil.rmtree, folder, True)

    @settings(max_examples=examples, **common)
    @given(workbooks())
    def cells_plan(book: tuple[str, dict[str, list[Any]]]) -> None:
        COUNTS["cells → plan"] = COUNTS.get("cells → plan", 0) + 1
        check_plan(*book)

    @settings(max_examples=command_examples, **common)
    @given(workbooks(max_rows=4))
    def cells_command(book: tuple[str, dict[str, list[Any]]]) -> None:
        COUNTS["cells → aidsync check/sync"] = COUNTS.get("cells → aidsync check/sync", 0) + 1
        check_command(book[0], book[1], folder)

    @settings(max_examples=examples, **common)
    @given(st.sampled_from(RULE_FILES), st.lists(mutation, min_size=1, max_size=3))
    def rule_files(name: str, steps: list[tuple[str, int, str]]) -> None:
        COUNTS["rule files → load"] = COUNTS.get("rule files → load", 0) + 1
        check_rules(name, steps, folder)

    return {"cells → plan": cells_plan, "cells → aidsync check/sync": cells_command,
            "rule files → load": rule_files}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run each property for --trials examples (the command property for a tenth of them)."""
    args = parse_args("fuzz", __doc__ or "", 2000, argv)
    report = Report(args)
    from hypothesis import seed

    figures: dict[str, Any] = {}
    ok = True
    checks = properties(args.trials, max(1, args.trials // 10))
    for i, (name, test) in enumerate(checks.items(), start=1):
        COUNTS[name] = 0
        try:
            seed(args.seed)(test)()
            figures[f"{name}: failures"] = 0
        except Exception as exc:
            ok = False
            figures[f"{name}: failures"] = 1
            for problem in getattr(exc, "exceptions", [exc]):
                detail = "".join(traceback.format_exception_only(problem)).strip()
                report.finding(f"{name}: {detail[:3000]}")
        figures[f"{name}: examples run"] = COUNTS[name]
        report.progress(i, len(checks), f"{name}: {COUNTS[name]} examples")
    return report.finish(figures, ok)


if __name__ == "__main__":
    raise SystemExit(main())
