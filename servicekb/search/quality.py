"""How well search answers a question set: the rank of the first right answer, and the top-k hit rates.

A question is what a manager types and the clauses that answer it
(`tests/fixtures/search/questions.yaml`); it counts as answered in the top
k when any of its answers is among the first k hits. `bench/search.py`
and the tests use these for the command line and the handbook alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Question", "Scored", "load_questions", "score_questions"]


@dataclass(frozen=True)
class Question:
    """A question as typed and the ids of the clauses that answer it."""

    q: str
    answers: tuple[str, ...]
    kind: str = ""


@dataclass(frozen=True)
class Scored:
    """The ranks (1-based; None when no answer is in the hits) of a question set, and its hit rates."""

    questions: tuple[Question, ...]
    ranks: tuple[int | None, ...]

    def rate(self, k: int) -> float:
        """Share of questions with an answer in the first k hits."""
        return sum(1 for r in self.ranks if r is not None and r <= k) / len(self.ranks) if self.ranks else 0.0

    def misses(self, k: int) -> list[tuple[Question, int | None]]:
        """The questions not answered in the first k hits, with the rank of their first answer."""
        return [(q, r) for q, r in zip(self.questions, self.ranks, strict=True) if r is None or r > k]


def load_questions(path: Path) -> list[Question]:
    """The question set of a YAML file: a list of {q, answers, kind}."""
    import yaml

    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [Question(str(item["q"]), tuple(item["answers"]), str(item.get("kind", ""))) for item in raw]


def score_questions(questions: Sequence[Question], rank: Callable[[str], list[str]]) -> Scored:
    """Run every question through `rank` (query -> document ids, best first) and record where its first answer is."""
    ranks = []
    for question in questions:
        hits = rank(question.q)
        ranks.append(next((i + 1 for i, d in enumerate(hits) if d in question.answers), None))
    return Scored(tuple(questions), tuple(ranks))
