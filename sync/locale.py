"""The two languages a workbook may be kept in (what every text is said in)."""

from __future__ import annotations

from typing import Literal

Locale = Literal["zh", "en"]
