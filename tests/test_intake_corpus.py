"""The Inbox reader over the corpus in tests/intake/: precision ≥ 0.98, recall ≥ 0.9 per field."""

from __future__ import annotations

import pytest

from benchmarks import intake as bench

CASES = bench.load_corpus()
SCORES = bench.score(CASES, bench.corpus_rules())


def test_the_corpus_has_at_least_150_messages_of_every_kind() -> None:
    assert len(CASES) >= 150
    asking = [c for c in CASES if c.expect.get("asks", True)]
    assert len(CASES) - len(asking) >= 20  # thanks, replies, chatter
    assert sum(1 for c in CASES if c.expect.get("split")) >= 10
    assert sum(1 for c in CASES if "\n" in c.text.strip()) >= 3  # pasted together


def test_every_expected_field_is_one_the_reader_knows() -> None:
    known = {"asks", "split", *bench.FIELDS}
    for case in CASES + bench.load_corpus(bench.UNSEEN):
        assert set(case.expect) <= known, case.where
        assert case.expect.get("split", "") in ("", "residents", "needs"), case.where


@pytest.mark.parametrize("key", bench.SCORED)
def test_precision_per_field(key: str) -> None:
    score = SCORES[key]
    assert score.right > 0
    assert score.precision >= bench.PRECISION, "\n".join(score.misses)


@pytest.mark.parametrize("key", bench.SCORED)
def test_recall_per_field(key: str) -> None:
    score = SCORES[key]
    assert score.recall >= bench.RECALL, "\n".join(score.misses)


def test_a_wrong_value_counts_against_precision_and_a_blank_only_against_recall() -> None:
    case = bench.Case(
        "x", "海兴花园5号楼 王奶奶 要降压药", "", {"name": "李素文", "phone": "13812345678"}
    )
    scores = bench.score([case], bench.corpus_rules())
    assert (scores["name"].right, scores["name"].wrong, scores["name"].missed) == (0, 1, 0)
    assert (scores["phone"].right, scores["phone"].wrong, scores["phone"].missed) == (0, 0, 1)
    assert scores["name"].precision == 0.0 and scores["phone"].precision == 1.0
    assert scores["community"].wrong == 1  # the text names 创意社区's estate; expected blank
