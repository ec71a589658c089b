"""Rule files (rules/*.yaml) → compiled rules; every problem reported with file and line.

``compiled`` holds the frozen values, ``reader`` walks one file (conditions compiled there),
``sections`` reads each section, ``loading`` reads a folder, ``vocabulary`` the intake words,
``template`` the daily report template.
"""

from __future__ import annotations

from sync.rules.compiled import (
    PAIR_FIELDS,
    RANKING_KEYS,
    REQUEST_FIELDS,
    Community,
    Condition,
    LowStock,
    Name,
    PairRule,
    PointsRule,
    RequiredWhen,
    Rules,
    Synonym,
    TimedRule,
    WaitRule,
)
from sync.rules.loading import load_rules
from sync.rules.template import check_template

__all__ = [
    "PAIR_FIELDS",
    "RANKING_KEYS",
    "REQUEST_FIELDS",
    "Community",
    "Condition",
    "LowStock",
    "Name",
    "PairRule",
    "PointsRule",
    "RequiredWhen",
    "Rules",
    "Synonym",
    "TimedRule",
    "WaitRule",
    "check_template",
    "load_rules",
]
