"""The completion rule, one status and reason at a time, on hand-made score rows."""

import pandas as pd
import pytest

from autograder.reports import completion
from autograder.reports.scores import COLUMNS


def rows(course, student="S1", percent=100.0, skip=(), pending=(), capstone_manual=1.0):
    data = []
    for aid in course.assignment_ids:
        if aid in skip:
            continue
        manual_max = 30.0 if aid == course.completion.capstone else 0.0
        data.append({
            "student": student, "assignment": aid, "score": percent / 100 * 40.0,
            "max_score": 40.0, "needs_manual_grade": aid in pending,
            "manual_score": manual_max * capstone_manual, "manual_max": manual_max,
            "timestamp": None,
        })
    return pd.DataFrame(data, columns=COLUMNS)


def test_full_work_passes(course):
    outcome = completion.evaluate(course, "S1", rows(course))
    assert outcome.status == completion.LULUS and outcome.reasons == []
    assert outcome.final_score == 100.0
    assert outcome.jp_completed == course.total_jp


def test_nothing_submitted_fails_and_says_what_is_missing(course):
    outcome = completion.evaluate(course, "S1", rows(course, skip=course.assignment_ids))
    assert outcome.status == completion.BELUM_LULUS
    assert outcome.reasons[0].startswith("Belum mengumpulkan: m00, pre, m01")
    assert outcome.final_score == 0 and outcome.jp_completed == 0


def test_low_score_fails_with_the_score_and_the_bar(course):
    outcome = completion.evaluate(course, "S1", rows(course, percent=65.0))
    assert outcome.status == completion.BELUM_LULUS
    assert outcome.reasons == ["Nilai akhir 65 di bawah batas 70"]


def test_weighted_score_uses_the_manifest_weights(course):
    data = rows(course)
    # m08 carries weight 25 of 100: half marks there cost 12.5 points
    data.loc[data["assignment"] == "m08", "score"] = 20.0
    outcome = completion.evaluate(course, "S1", data)
    weights = {m.assignment: m.weight for m in course.assignments}
    expected = 100 - 50 * weights["m08"] / course.total_weight
    assert outcome.final_score == pytest.approx(expected, abs=0.05)


def test_missing_post_test_fails(course):
    outcome = completion.evaluate(course, "S1", rows(course, skip=("post",)))
    assert outcome.status == completion.BELUM_LULUS
    assert "Belum mengumpulkan: post" in outcome.reasons
    assert outcome.gain is None


def test_weak_capstone_fails_even_with_a_high_final_score(course):
    outcome = completion.evaluate(course, "S1", rows(course, capstone_manual=0.5))
    assert outcome.status == completion.BELUM_LULUS
    assert outcome.reasons == ["Penilaian manual tugas akhir 50% di bawah batas 60%"]


def test_outstanding_manual_grading_waits(course):
    outcome = completion.evaluate(course, "S1", rows(course, pending=("m08", "m05")))
    assert outcome.status == completion.MENUNGGU
    assert outcome.reasons == ["Menunggu penilaian manual: m05, m08"]


def test_missing_work_decides_even_while_manual_grading_waits(course):
    outcome = completion.evaluate(course, "S1", rows(course, skip=("m03",), pending=("m08",)))
    assert outcome.status == completion.BELUM_LULUS
    assert outcome.reasons == ["Belum mengumpulkan: m03"]


def test_gain_is_post_minus_pre(course):
    data = rows(course)
    data.loc[data["assignment"] == "pre", "score"] = 10.0   # 25 %
    data.loc[data["assignment"] == "post", "score"] = 34.0  # 85 %
    outcome = completion.evaluate(course, "S1", data)
    assert (outcome.pre_test, outcome.post_test, outcome.gain) == (25.0, 85.0, 60.0)
