"""Broken and hostile submissions: each gets its stated outcome, and the batch goes on."""

import copy
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from autograder.cohort.workspace import Workspace
from autograder.demo import synthetic
from autograder.grading.run import BROKEN, FAILED, GRADED, SKIPPED, grade
from autograder.grading.sandbox import bwrap_path
from autograder.intake.collect import collect
from autograder.reports.scores import submission_scores


def with_cell(nb, source, before_grade_id="m00_tes_1"):
    """The notebook with a participant's own code cell inserted before a test cell."""
    nb = copy.deepcopy(nb)
    index = next(i for i, c in enumerate(nb["cells"])
                 if c["metadata"].get("nbgrader", {}).get("grade_id") == before_grade_id)
    nb["cells"].insert(index, {"cell_type": "code", "execution_count": None, "id": "eigen01",
                               "metadata": {}, "outputs": [], "source": source})
    return nb


@pytest.fixture
def quick_cohort(fresh_cohort):
    """A cohort whose cells time out after 5 seconds, to keep the tests short."""
    meta = fresh_cohort.root / "kohort.toml"
    meta.write_text(meta.read_text() + "cell_timeout = 5\n", encoding="utf-8")
    return Workspace(fresh_cohort.root)


def submit(ws, tmp_path, notebooks):
    inbox = tmp_path / "masuk"
    for pid, nb in notebooks.items():
        path = inbox / f"{pid}_m00.ipynb"
        if isinstance(nb, str):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(nb, encoding="utf-8")
        else:
            synthetic.dump(nb, path)
    return collect(ws, "m00", [inbox])


def test_hostile_batch_each_outcome_and_the_rest_graded(quick_cohort, answer_keys, tmp_path):
    ws = quick_cohort
    release, answers = answer_keys["m00"]
    good = synthetic.fill(release, answers)
    ids = [p.id_peserta for p in ws.participants]
    tampered = copy.deepcopy(release)
    tampered["cells"] = [c for c in tampered["cells"]
                         if c["metadata"].get("nbgrader", {}).get("grade_id") != "m00_tes_2"]
    for cell in tampered["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "m00_tes_3":
            cell["source"] = "pass  # diubah peserta"
    submit(ws, tmp_path, {
        ids[0]: with_cell(good, "while True:\n    pass"),
        ids[1]: with_cell(good, "import os\nos._exit(1)"),
        ids[2]: with_cell(good, "import ctypes\nctypes.string_at(0)"),
        ids[3]: with_cell(good, "blok = bytearray(16 * 1024**3)"),
        ids[4]: with_cell(good, "for i in range(200_000):\n    print('baris', i)"),
        ids[5]: tampered,
    })
    report = grade(ws, jobs=2)
    by_id = {r.student: r for r in report.results}
    full = max(r.max_score or 0 for r in report.results)
    # infinite loop: the cell times out, the rest of the notebook still runs
    assert by_id[ids[0]].status == GRADED and by_id[ids[0]].score == full
    assert "batas waktu sel terlampaui" in by_id[ids[0]].message
    # a kernel that dies: reported in Indonesian, scored 0, the batch goes on
    for pid in (ids[1], ids[2]):
        assert by_id[pid].status == FAILED
        assert "kernel berhenti mendadak" in by_id[pid].message
    # memory exhaustion stops at the limit, and is reported
    assert by_id[ids[3]].status == GRADED and by_id[ids[3]].score == full
    assert "batas memori tercapai" in by_id[ids[3]].message
    # huge output is truncated
    assert by_id[ids[4]].status == GRADED and by_id[ids[4]].score == full
    graded_nb = next((ws.autograded / ids[4] / "m00").glob("*.ipynb"))
    assert graded_nb.stat().st_size < 200_000
    # deleted and edited test cells are restored and reported: blank answers still score 0
    assert by_id[ids[5]].status == GRADED and by_id[ids[5]].score == 0
    assert "dihapus peserta, dipulihkan dari gradebook: m00_tes_2" in by_id[ids[5]].message
    assert "diubah peserta, dipulihkan dari gradebook: m00_tes_3" in by_id[ids[5]].message
    restored = json.loads(next((ws.autograded / ids[5] / "m00").glob("*.ipynb")).read_text())
    grade_ids = [c["metadata"].get("nbgrader", {}).get("grade_id") for c in restored["cells"]]
    assert "m00_tes_2" in grade_ids
    scores = submission_scores(ws).set_index("student")
    assert scores.loc[ids[1], "score"] == 0 and scores.loc[ids[2], "score"] == 0


def test_corrupted_json_is_kept_reported_and_scored_zero(quick_cohort, answer_keys, tmp_path):
    ws = quick_cohort
    pid = ws.participants[0].id_peserta
    other = ws.participants[1].id_peserta
    release, answers = answer_keys["m00"]
    submit(ws, tmp_path, {pid: '{"cells": [ {"cell_type": "code", ',
                          other: synthetic.fill(release, answers)})
    report = grade(ws, jobs=1)
    by_id = {r.student: r for r in report.results}
    assert by_id[pid].status == BROKEN and "bukan JSON yang sah" in by_id[pid].message
    assert by_id[other].status == GRADED and by_id[other].score > 0
    kept = next((ws.submitted / pid / "m00").glob("*.ipynb")).read_text()
    assert kept.startswith('{"cells": [ {')
    assert submission_scores(ws).set_index("student").loc[pid, "score"] == 0


def test_student_code_cannot_reach_the_gradebook_or_other_work(quick_cohort, answer_keys, tmp_path):
    ws = quick_cohort
    release, answers = answer_keys["m00"]
    ids = [p.id_peserta for p in ws.participants]
    victim = synthetic.fill(release, answers)
    attack = f"""
import os, pathlib
here = pathlib.Path.cwd()
found = [str(p / "gradebook.db") for p in [here, *here.parents] if (p / "gradebook.db").exists()]
print("DITEMUKAN", found)
for target in found + [{str(ws.root / 'gradebook.db')!r}]:
    try:
        open(target, "w").write("rusak")
        print("DITULIS", target)
    except Exception as exc:
        print("GAGAL", type(exc).__name__)
for path in pathlib.Path({str(ws.submitted)!r}).rglob("*.ipynb"):
    try:
        path.write_text("{{}}")
        print("DIUBAH", path)
    except Exception as exc:
        print("GAGAL", type(exc).__name__)
"""
    submit(ws, tmp_path, {ids[0]: with_cell(victim, attack), ids[1]: victim})
    before = (ws.submitted / ids[1] / "m00").joinpath("m00.ipynb").read_bytes()
    report = grade(ws, jobs=1)
    assert all(r.status == GRADED for r in report.results)
    assert report.warm  # warm kernels really ran
    assert report.sandbox == ("bubblewrap" if bwrap_path() else "landlock")
    graded = json.loads(next((ws.autograded / ids[0] / "m00").glob("*.ipynb")).read_text())
    out = json.dumps([c.get("outputs", []) for c in graded["cells"]])
    assert "DITEMUKAN []" in out  # walking up from its folder finds no gradebook
    assert "DITULIS" not in out and "DIUBAH" not in out
    assert (ws.submitted / ids[1] / "m00" / "m00.ipynb").read_bytes() == before
    scores = submission_scores(ws).set_index("student")  # the gradebook still reads
    assert scores.loc[ids[1], "score"] == scores.loc[ids[1], "max_score"] > 0


def test_grading_killed_half_way_resumes_without_grading_twice(fresh_cohort, answer_keys, tmp_path):
    ws = fresh_cohort
    release, answers = answer_keys["m00"]
    submit(ws, tmp_path, {p.id_peserta: synthetic.fill(release, answers) for p in ws.participants})
    env = dict(os.environ)
    proc = subprocess.Popen([sys.executable, "-m", "autograder.cli", "grade", str(ws.root),
                             "--jobs", "1"], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if list(ws.autograded.glob("*/m00/.spptik-dinilai.json")):
            break
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len(list(ws.autograded.glob("*/m00/.spptik-dinilai.json")))
    assert 1 <= done_before < len(ws.participants)
    report = grade(ws, jobs=2)
    assert report.count(GRADED) == len(ws.participants) - done_before
    assert report.count(SKIPPED) == done_before
    scores = submission_scores(ws)
    assert len(scores) == len(ws.participants)  # one submission each in the gradebook
    assert (scores["score"] == scores["max_score"]).all()
