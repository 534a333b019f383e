"""The completion rule from ``course.toml`` applied to each participant.

Status is ``Lulus``, ``Belum lulus`` (with every reason) or ``Menunggu
penilaian`` (manual grading outstanding and nothing else already failing).
Reasons that more grading cannot change (work not submitted, no post-test)
decide ``Belum lulus`` even while manual grading is outstanding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import pandas as pd

from autograder.course.manifest import Course

LULUS = "Lulus"
BELUM_LULUS = "Belum lulus"
MENUNGGU = "Menunggu penilaian"


@dataclass
class Outcome:
    student: str
    status: str
    reasons: list[str] = field(default_factory=list)
    percent: dict[str, float | None] = field(default_factory=dict)  # per assignment, None = missing
    final_score: float = 0.0
    pre_test: float | None = None
    post_test: float | None = None
    capstone_manual_percent: float | None = None
    jp_completed: float = 0.0
    pending: list[str] = field(default_factory=list)

    @property
    def gain(self) -> float | None:
        if self.pre_test is None or self.post_test is None:
            return None
        return round(self.post_test - self.pre_test, 1)


def format_number(value: float | None, suffix: str = "") -> str:
    """A number the Indonesian way: 69,5 (and 70 rather than 70,0); a dash for no value."""
    if value is None or value != value:  # None or NaN
        return "–"
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",") + suffix


def evaluate(course: Course, student: str, rows) -> Outcome:
    """Apply the rule to one participant's submission rows (see scores.submission_scores).

    ``rows`` is a table of that participant's rows, or a dict assignment → row.
    """
    if isinstance(rows, pd.DataFrame):
        rows = {r.assignment: r for r in rows.itertuples()} if len(rows) else {}
    return _evaluate(course, student, rows)


def _evaluate(course: Course, student: str, by_assignment: dict) -> Outcome:
    rule = course.completion
    outcome = Outcome(student=student, status=LULUS)
    hard: list[str] = []
    soft: list[str] = []

    weighted = 0.0
    for module in course.assignments:
        aid = module.assignment_id
        row = by_assignment.get(aid)
        if row is None:
            outcome.percent[aid] = None
            continue
        pct = 100.0 * row.score / row.max_score if row.max_score else 0.0
        outcome.percent[aid] = round(pct, 1)
        weighted += module.weight * pct
        outcome.jp_completed += module.jp
        if row.needs_manual_grade:
            outcome.pending.append(aid)
    total_weight = course.total_weight
    outcome.final_score = round(weighted / total_weight, 1) if total_weight else 0.0

    missing = [m.assignment_id for m in course.assignments
               if m.required and outcome.percent[m.assignment_id] is None]
    if missing:
        hard.append("Belum mengumpulkan: " + ", ".join(missing))
    if rule.pre_test:
        outcome.pre_test = outcome.percent.get(rule.pre_test)
    if rule.post_test:
        outcome.post_test = outcome.percent.get(rule.post_test)
        if rule.require_post_test and outcome.post_test is None and rule.post_test not in missing:
            hard.append("Belum mengikuti tes akhir")

    if rule.capstone and rule.capstone in by_assignment:
        row = by_assignment[rule.capstone]
        if row.manual_max:
            outcome.capstone_manual_percent = round(100.0 * row.manual_score / row.manual_max, 1)
    if outcome.final_score < rule.min_final_score:
        soft.append(f"Nilai akhir {format_number(outcome.final_score)} di bawah batas "
                    f"{format_number(rule.min_final_score)}")
    if rule.capstone and rule.capstone in by_assignment and \
            outcome.capstone_manual_percent is not None and \
            outcome.capstone_manual_percent < rule.min_capstone_manual_percent and \
            rule.capstone not in outcome.pending:
        soft.append(f"Penilaian manual tugas akhir {format_number(outcome.capstone_manual_percent)}% "
                    f"di bawah batas {format_number(rule.min_capstone_manual_percent)}%")

    if hard:
        outcome.status, outcome.reasons = BELUM_LULUS, hard + soft
    elif outcome.pending:
        outcome.status = MENUNGGU
        outcome.reasons = ["Menunggu penilaian manual: " + ", ".join(outcome.pending)]
    elif soft:
        outcome.status, outcome.reasons = BELUM_LULUS, soft
    return outcome


def evaluate_all(course: Course, students: list[str], scores: pd.DataFrame) -> list[Outcome]:
    """The rule for every participant, in roster order, in one pass over the scores."""
    by_student: dict[str, dict] = {}
    for row in scores.itertuples():
        # itertuples' fields are typed as any cell; these two columns hold ids (str)
        by_student.setdefault(cast(str, row.student), {})[row.assignment] = row
    return [_evaluate(course, s, by_student.get(s, {})) for s in students]
