"""Words the planner writes about what people changed by hand on a row the worker decided."""

from __future__ import annotations

from sync.messages.entry import Entry

WORDS: dict[str, Entry] = {
    # a person typed another volunteer over the one the worker (or a claim) had put there
    "reassigned": ("已改派给 {volunteer}（原为 {before}，人工修改）",
                   "reassigned by hand to {volunteer} (was {before})"),
}  # fmt: skip
