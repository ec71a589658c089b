"""The small interface every backend implements (the placement they share is sync.placement)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from sync.model import ApplyResult, LogLine, Plan, Snapshot
from sync.schema import Locale, Schema


class Backend(Protocol):
    """A workbook store: read everything in one go, write a plan with compare-and-set."""

    def describe(self) -> str:
        """A human-readable name of the workbook (no secrets)."""
        ...

    def lock_path(self) -> Path:
        """The file lock that keeps two passes on this workbook from overlapping."""
        ...

    def read(self, schema: Schema) -> Snapshot:
        """Every tab, in one round trip."""
        ...

    def apply(self, snapshot: Snapshot, plan: Plan, schema: Schema) -> ApplyResult:
        """Write a plan made from this snapshot; raise StaleSnapshot to have the pass re-plan."""
        ...

    def initialise(
        self, schema: Schema, locale: Locale, sample: Mapping[str, list[dict[str, object]]] | None
    ) -> list[str]:
        """Create missing tabs and headers (and sample rows); return what was done."""
        ...

    def append_log(self, snapshot: Snapshot, lines: Sequence[LogLine], schema: Schema) -> None:
        """Append lines to the Log tab after a pass's write (used to record sent notifications)."""
        ...
