"""`aidsync report --from DATE --to DATE [--out FILE]`: read the workbook once, never write it.

The shell around the pure parts: the one read, the clock the CLI hands in, and the one file
written (beside its final name first, then moved into place, so a half-written report is never
left where the office looks for it).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from sync.backends.base import Backend
from sync.config import Settings
from sync.errors import ConfigError
from sync.messages import say
from sync.report.facts import gather_facts
from sync.report.period import parse_period
from sync.report.tables import PeriodReport, build_report
from sync.report.text import report_lines
from sync.rules import load_rules
from sync.schema import Locale, load_schema

FORMATS = (".xlsx", ".csv", ".png")


def period_report(
    backend: Backend,
    settings: Settings,
    start: str | None,
    end: str | None,
    out: Path | None,
    lang: str | None,
    now: datetime,
) -> list[str]:
    """The report's lines for the terminal; with `out`, the file written too."""
    schema = load_schema()
    rules = load_rules(settings.rules, schema)
    snapshot = backend.read(schema)
    locale: Locale = "en" if (lang or snapshot.locale) == "en" else "zh"
    period = parse_period(start, end, settings.timezone, now, locale)
    if out is not None and out.suffix.lower() not in FORMATS:
        raise ConfigError.worded("rp_bad_out", path=out).in_language(locale)
    book = settings.options.get("workbook")
    if out is not None and book and out.resolve() == Path(str(book)).resolve():
        # the report reads the workbook and never writes to it: a file over it would end it
        raise ConfigError.worded("rp_out_is_workbook", path=out).in_language(locale)
    facts = gather_facts(snapshot, rules, schema, settings.timezone, now)
    report = build_report(facts, period, rules, schema, locale, settings.timezone)
    lines = report_lines(report, rules.office, locale)
    if out is not None:
        write_file(out, render_file(report, out.suffix.lower(), rules.office, locale), locale)
        lines += ["", say(locale, "rp_wrote", path=out)]
    return lines


def render_file(report: PeriodReport, suffix: str, office: str, locale: Locale) -> bytes:
    """The bytes of the report in the form a file suffix asks for."""
    from sync.report import files

    if suffix == ".csv":
        return files.csv_bytes(report, locale)
    if suffix == ".xlsx":
        return files.xlsx_bytes(report, locale)
    from sync.report.chart import chart_png  # matplotlib: only when a chart is asked for

    return chart_png(report, office, locale)


def write_file(path: Path, data: bytes, locale: Locale) -> None:
    """Write next to the final name, then move into place in one step."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temp, "wb") as stream:  # open(), not mkstemp: the file's mode follows umask
            stream.write(data)
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ConfigError.worded(
            "rp_cannot_write", path=path, reason=exc.strerror or exc
        ).in_language(locale) from None
