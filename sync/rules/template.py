"""The daily report template (report.zh.txt / report.en.txt): one sandbox to check and render it."""

from __future__ import annotations

from collections.abc import Mapping

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment


def _plural(word: str, count: object, plural: str = "") -> str:
    """English plural for templates: {{ "volunteer" | plural(n) }}, or plural(n, "people")."""
    try:
        one = float(str(count)) == 1
    except ValueError:
        one = False
    return word if one else (plural or word + "s")


_ENV = SandboxedEnvironment(
    undefined=StrictUndefined, keep_trailing_newline=False, autoescape=False
)
_ENV.filters["plural"] = _plural

# every figure summary.report_figures gives, for checking a template before any pass renders it
_SAMPLE_FIGURES: dict[str, object] = {
    "office": "x", "date": "2022-12-20", "volunteers_total": 1, "volunteers_active": 1,
    "dispatches_completed": 1, "dispatches_completed_total": 1, "residents_served": 1,
    "residents_served_total": 1, "elderly_served": 1, "elderly_served_total": 1,
    "requests_total": 1, "waiting": 1, "escalated": 1, "open_tasks": 1, "medicine_in_stock": 1,
    "residents_helped_by_stock": 1, "residents_helped_by_stock_total": 1,
}  # fmt: skip


def check_template(text: str) -> str | None:
    """None when a report template renders with sample figures, else the reason."""
    try:
        _ENV.from_string(text).render(_SAMPLE_FIGURES)
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        return f"line {line}: {exc}" if line else str(exc)
    return None


def render_template(text: str, figures: Mapping[str, object]) -> str:
    """A report template filled with a pass's figures, without surrounding blank lines."""
    return _ENV.from_string(text).render(figures).strip()
