"""The whole pipeline on a small synthetic cohort: real nbgrader grades, real statuses."""

import json

import pandas as pd

from autograder.feedback.write import generate_feedback
from autograder.grading.run import GRADED, SKIPPED, grade
from autograder.intake.collect import FILED, UNMATCHED
from autograder.reports import completion
from autograder.reports.export import export
from autograder.reports.scores import submission_scores


def test_every_submission_was_filed_and_graded(graded_cohort):
    ws, ids = graded_cohort["ws"], graded_cohort["ids"]
    n = len(ws.course.assignment_ids)
    intake = graded_cohort["intake"]
    assert intake.count(FILED) == 4 * n - 2  # UJI-0003 left out m05 and post
    assert intake.count(UNMATCHED) == 0
    assert graded_cohort["grading"].count(GRADED) == 4 * n - 2
    assert not graded_cohort["grading"].failures
    # the participant matched by name alone (UJI-0003, files named "m01 - <nama>")
    assert (ws.submitted / ids[2] / "m01").is_dir()


def test_correct_work_gets_full_autograde_points_and_blank_gets_zero(graded_cohort):
    ws, ids = graded_cohort["ws"], graded_cohort["ids"]
    scores = submission_scores(ws).set_index(["student", "assignment"])
    for aid in ws.course.assignment_ids:
        auto_max = scores.loc[(ids[0], aid), "max_score"] - scores.loc[(ids[0], aid), "manual_max"]
        auto_got = scores.loc[(ids[0], aid), "score"] - scores.loc[(ids[0], aid), "manual_score"]
        assert auto_got == auto_max > 0, aid
        assert scores.loc[(ids[1], aid), "score"] == 0, aid


def test_statuses_follow_the_rule(graded_cohort):
    ws, ids = graded_cohort["ws"], graded_cohort["ids"]
    table = export(ws, ws.root / "ekspor-uji").table.set_index("ID Peserta")
    assert table.loc[ids[0], "Status"] == completion.LULUS
    assert table.loc[ids[1], "Status"] == completion.BELUM_LULUS
    assert "Nilai akhir 0 di bawah batas 70" in table.loc[ids[1], "Alasan"]
    assert table.loc[ids[2], "Status"] == completion.BELUM_LULUS
    assert "Belum mengumpulkan: m05, post" in table.loc[ids[2], "Alasan"]
    assert table.loc[ids[3], "Status"] == completion.BELUM_LULUS
    assert table.loc[ids[3], "Alasan"].startswith("Belum mengumpulkan: m00, pre")
    assert table.loc[ids[4], "Status"] == completion.MENUNGGU
    assert table.loc[ids[4], "Alasan"] == "Menunggu penilaian manual: m08"
    assert table.loc[ids[0], "JP Diselesaikan"] == ws.course.total_jp
    assert table.loc[ids[3], "JP Diselesaikan"] == 0


def test_grading_again_skips_what_is_done(graded_cohort):
    ws = graded_cohort["ws"]
    report = grade(ws, ["m00"], jobs=1)
    assert report.count(GRADED) == 0 and report.count(SKIPPED) == 4


def test_feedback_is_indonesian_and_holds_one_participants_data(graded_cohort):
    ws, ids = graded_cohort["ws"], graded_cohort["ids"]
    report = generate_feedback(ws, ["m00"])
    assert not report.failed
    page = (ws.feedback / ids[1] / "m00" / "m00.html").read_text(encoding="utf-8")
    assert "Umpan balik" in page and "Nilai: 0.0 dari" in page and "Sel pemeriksa" in page
    assert ids[1] in page and ids[0] not in page
    assert "Student's answer" not in page


def test_feedback_keeps_hidden_tests_hidden(graded_cohort):
    """The next batch gets the same assignment: feedback shows the checks' results, not their code."""
    import html
    import json
    import re

    from autograder.course import manifest

    ws, ids = graded_cohort["ws"], graded_cohort["ids"]
    generate_feedback(ws, ["m00"])
    page = (ws.feedback / ids[1] / "m00" / "m00.html").read_text(encoding="utf-8")
    source = json.loads((manifest.SOURCE_DIR / "m00" / "m00.ipynb").read_text(encoding="utf-8"))
    hidden = [line.strip() for cell in source["cells"]
              for block in "".join(cell["source"]).split("### BEGIN HIDDEN TESTS")[1:]
              for line in block.split("### END HIDDEN TESTS")[0].splitlines() if line.strip()]
    assert hidden, "m00 has hidden tests"
    assert "HIDDEN TESTS" not in page
    text = html.unescape(re.sub(r"<[^>]+>", "", page))  # the code as the participant reads it
    for line in hidden:
        assert line not in text
    assert "Sel pemeriksa" in page and "Nilai:" in page


def test_export_files_exist_and_read_back(graded_cohort):
    ws, ids = graded_cohort["ws"], graded_cohort["ids"]
    result = export(ws, ws.root / "ekspor-baca")
    frame = pd.read_csv(result.csv, dtype={"Kode Wilayah": str}, encoding="utf-8-sig")
    assert list(frame["ID Peserta"]) == ids
    sheets = pd.read_excel(result.xlsx, sheet_name=None)
    assert {"Daftar Kelulusan", "Per Provinsi", "Per Jenis Kelamin"} <= set(sheets)
    record = (result.folder / "rekam" / f"{ids[0]}.html").read_text(encoding="utf-8")
    person = graded_cohort["people"][0]
    assert person.nama in record and "Lulus" in record
    assert graded_cohort["people"][1].nama not in record
    assert json.loads((result.folder / "tentang.json").read_text())["peserta"] == 5
