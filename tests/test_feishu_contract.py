"""The backend contract suite on Feishu: the same tests that run on the local workbook and on
Google, unchanged, with `make` building Feishu worlds (this module's fixture wins over the
shared one in conftest.py). Left out: the Summary chart (Feishu's API has no chart endpoint
among those aidsync uses)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from emulator.feishu import FeishuEmulator
from emulator.feishu.world import FeishuWorld
from test_archive import (  # noqa: F401
    test_a_human_edit_during_the_pass_is_kept_on_both_backends,
    test_both_backends_move_rows_in_one_write_and_then_rest,
)
from test_backend_contract import (  # noqa: F401
    test_a_volunteers_typed_claim_is_kept,
    test_cells_people_typed_are_untouched,
    test_missing_phone_needs_info_then_returns_to_new_once_fixed,
    test_second_pass_plans_nothing,
    test_urgent_request_of_someone_living_alone_is_assigned,
)
from test_notify import (  # noqa: F401
    receiver,
    secrets,
    test_crash_after_the_write_before_sending_skips_nothing,
    test_crash_in_the_middle_of_sending_sends_the_rest_once,
    test_failing_channel_retries_and_shows_in_the_summary,
    test_rerun_sends_nothing_twice,
)
from test_peak import (  # noqa: F401
    peak_grids,
    test_on_both_backends_a_second_pass_at_the_peak_changes_nothing,
)
from test_recurring_contract import (  # noqa: F401
    test_a_row_people_appended_meanwhile_is_not_overwritten,
    test_an_occurrence_is_opened_once_whatever_the_number_of_passes,
    test_the_daily_report_falls_due_once_after_the_set_time,
)


@pytest.fixture
def make(tmp_path: Path) -> Iterator[Any]:
    """A factory of Feishu worlds: make(tabs) → FeishuWorld."""
    with FeishuEmulator() as emulator:

        def factory(tabs: dict[str, list[list[Any]]], **options: Any) -> FeishuWorld:
            return FeishuWorld(emulator, tmp_path, tabs, **options)

        yield factory
