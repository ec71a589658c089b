"""How well the Inbox reader reads the corpus of pasted messages in tests/intake/.

    python -m benchmarks.intake            # prints precision and recall per field
    python -m benchmarks.intake --misses   # also every message a field got wrong or missed
    python -m benchmarks.intake --unseen   # the messages kept back from tuning

Per field, over the messages that ask for something: a value read is *right* when it equals
what a careful person reads (items compare as a set), *wrong* when it differs, and a value the
person reads but the reader left blank is *missed*. Precision = right / (right + wrong), recall
= right / (right + wrong + missed). A wrong value is worse than a blank (a blank sends the
request to "needs info"; a wrong one sends a volunteer to the wrong door), so precision is held
to 0.98 and recall to 0.9. `asks` scores whether a message makes a request at all, over every
message. Results go to benchmarks/results/intake-*.json and .md.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from sync.intake.reading import FIELDS, Context, Reading, context_from, read_message
from sync.resources import default_rules_dir
from sync.rules import Rules, load_rules
from sync.rules.vocabulary import Vocabulary
from sync.sample import sample_rows
from sync.schema import load_schema

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "intake"
UNSEEN = CORPUS / "unseen"  # written after the vocabulary was settled; never tuned on
RESULTS = Path(__file__).resolve().parent / "results"
SCORED = ("asks", *FIELDS, "split")
PRECISION, RECALL = 0.98, 0.9


@dataclass(frozen=True)
class Case:
    """One message of the corpus and what a person reads from it."""

    where: str  # file:index, for the misses
    text: str
    source: str
    expect: dict[str, Any]


@dataclass
class Score:
    """Counts for one field."""

    right: int = 0
    wrong: int = 0
    missed: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Right among the values read (1.0 when nothing was read)."""
        read = self.right + self.wrong
        return self.right / read if read else 1.0

    @property
    def recall(self) -> float:
        """Right among the values a person reads (1.0 when there were none)."""
        wanted = self.right + self.wrong + self.missed
        return self.right / wanted if wanted else 1.0


def load_corpus(folder: Path = CORPUS) -> list[Case]:
    """Every message of every *.yaml in the corpus folder."""
    cases = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, entry in enumerate(data["messages"], start=1):
            cases.append(
                Case(
                    f"{path.name}:{i}",
                    str(entry["text"]),
                    str(entry.get("source", "")),
                    dict(entry.get("expect") or {}),
                )
            )
    return cases


def corpus_rules() -> Rules:
    """The shipped rules: communities with their estates, stock synonyms, the vocabulary."""
    return load_rules(default_rules_dir(), load_schema())


def reader(rules: Rules) -> tuple[Vocabulary, Context]:
    """The vocabulary and the context the corpus is read with (the sample's volunteers)."""
    vocabulary = rules.intake.with_synonyms(s.words for s in rules.synonyms)
    volunteers = [str(v["name"]) for v in sample_rows(load_schema(), "zh")["volunteers"]]
    return vocabulary, context_from(rules, volunteers)


def value_of(reading: Reading, key: str) -> Any:
    """A reading's value for a scored field, in the corpus's terms."""
    if key == "asks":
        return reading.asks
    if key == "split":
        return (
            "residents" if reading.several_residents else "needs" if reading.several_needs else ""
        )
    if key == "items":
        return frozenset(i for i in reading.items.split("、") if i)
    return getattr(reading, key)


def expected(case: Case, key: str) -> Any:
    """What a person reads for a field ('' when the text does not state it)."""
    if key == "asks":
        return bool(case.expect.get("asks", True))
    if key == "items":
        return frozenset(str(i) for i in case.expect.get("items") or ())
    return str(case.expect.get(key, "") or "")


def score(cases: Iterable[Case], rules: Rules) -> dict[str, Score]:
    """Right, wrong and missed values per field over the corpus."""
    vocabulary, context = reader(rules)
    scores = {key: Score() for key in SCORED}
    for case in cases:
        here = Context(**{**context.__dict__, "source": case.source})
        reading = read_message(case.text, vocabulary, here)
        for key in SCORED:
            if key != "asks" and not expected(case, "asks"):
                continue  # no request is made from it: only whether it asks is scored
            got, want = value_of(reading, key), expected(case, key)
            if key == "asks":
                got_any, want_any = got, want
            else:
                got_any, want_any = bool(got), bool(want)
            tally = scores[key]
            if got_any and got == want:
                tally.right += 1
            elif got_any and (key != "asks" or not want):
                tally.wrong += 1
                tally.misses.append(
                    f"{case.where} wrong {_show(got)!s} (want {_show(want)}): {case.text[:60]}"
                )
            elif want_any:
                tally.missed += 1
                tally.misses.append(f"{case.where} missed {_show(want)}: {case.text[:60]}")
    return scores


def _show(value: Any) -> str:
    if isinstance(value, frozenset):
        return "、".join(sorted(value)) or "—"
    return str(value) if value != "" else "—"


def table(scores: dict[str, Score], count: int, where: str = "tests/intake") -> str:
    """The figures as a Markdown table."""
    lines = [
        f"{count} messages in {where}/",
        "",
        "| field | right | wrong | missed | precision | recall |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, s in scores.items():
        lines.append(
            f"| {key} | {s.right} | {s.wrong} | {s.missed} | {s.precision:.3f} | {s.recall:.3f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Score the corpus, print the table, record it in benchmarks/results/."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every wrong or missed value")
    parser.add_argument("--no-record", action="store_true", help="print only")
    parser.add_argument("--unseen", action="store_true", help="score the kept-back messages")
    args = parser.parse_args(argv)
    folder = UNSEEN if args.unseen else CORPUS
    cases = load_corpus(folder)
    scores = score(cases, corpus_rules())
    text = table(scores, len(cases), folder.relative_to(ROOT).as_posix())
    print(text)
    if args.misses:
        for key, s in scores.items():
            for line in s.misses:
                print(f"{key}: {line}")
    if not args.no_record:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + ("-unseen" if args.unseen else "")
        RESULTS.mkdir(exist_ok=True)
        figures = {
            key: {"right": s.right, "wrong": s.wrong, "missed": s.missed,
                  "precision": round(s.precision, 4), "recall": round(s.recall, 4)}
            for key, s in scores.items()
        }  # fmt: skip
        record = {"when": stamp, "corpus": folder.relative_to(ROOT).as_posix(),
                  "messages": len(cases), "fields": figures}  # fmt: skip
        (RESULTS / f"intake-{stamp}.json").write_text(
            json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        (RESULTS / f"intake-{stamp}.md").write_text(text + "\n", encoding="utf-8")
        print(f"\nrecorded in benchmarks/results/intake-{stamp}.json and .md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
