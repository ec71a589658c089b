"""The house keeps modules of one job, none over about 400 lines (issue 13): a module that grows
past it is split along its seams rather than left to grow."""

from __future__ import annotations

from pathlib import Path

LIMIT = 400
ROOT = Path(__file__).resolve().parent.parent


def _sizes() -> dict[str, int]:
    return {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted((ROOT / "sync").rglob("*.py"))
    }


def test_no_module_of_the_package_is_over_400_lines() -> None:
    over = {name: n for name, n in _sizes().items() if n > LIMIT}
    assert over == {}
