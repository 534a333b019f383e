"""Fast grading gives nbgrader's own grades, and every submission starts from a clean state.

A small batch with right, partly right, blank, erroring, endless (timeout) and
tampered answers is graded three times from the same files: by plain
``nbgrader autograde`` (fresh kernel per notebook), by ``spptik grade`` (warm
forked kernels, parallel workers) and by ``spptik grade`` with
``SPPTIK_TANPA_PERCEPATAN=1`` (no patch of another package's internals, still
sandboxed). Every cell's score must agree.
"""

from __future__ import annotations

import random
import shutil

from autograder.cohort.workspace import Workspace
from autograder.demo import synthetic
from autograder.grading import patches
from autograder.grading.reference import autograde_with_nbgrader
from autograder.grading.run import GRADED, grade
from autograder.intake.collect import collect
from autograder.reports.scores import cell_scores, submission_scores

ASSIGNMENTS = ("m00", "pre")


def _set_cell_timeout(ws: Workspace, seconds: int) -> None:
    meta = ws.root / "kohort.toml"
    meta.write_text(meta.read_text(encoding="utf-8") + f"cell_timeout = {seconds}\n", encoding="utf-8")


def _tamper(nb: dict) -> dict:
    """Replace the first test cell's code with `pass` (a participant 'fixing' a failing check)."""
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and cell["cell_type"] == "code":
            cell["source"] = "pass"
            break
    return nb


def _delete_a_test_cell(nb: dict) -> dict:
    tests = [i for i, c in enumerate(nb["cells"])
             if c.get("metadata", {}).get("nbgrader", {}).get("grade")
             and not c["metadata"]["nbgrader"].get("solution")]
    del nb["cells"][tests[-1]]
    return nb


def _with_extra(nb: dict, code: str, which: int = 0) -> dict:
    cells = synthetic.answer_cells(nb)
    cells[which]["source"] += "\n" + code
    return nb


def test_every_cell_scores_as_plain_nbgrader(fresh_cohort, answer_keys, tmp_path, monkeypatch):
    ws = fresh_cohort
    _set_cell_timeout(ws, 3)
    ids = sorted(p.id_peserta for p in ws.participants)
    rng = random.Random(5)
    inbox = tmp_path / "kiriman"
    kinds = {
        "benar": lambda rel, ans: synthetic.fill(rel, ans),
        "sebagian": lambda rel, ans: synthetic.partly(rel, ans, 0.5, rng),
        "kosong": lambda rel, ans: rel,
        "galat": lambda rel, ans: _with_extra(synthetic.fill(rel, ans), "raise ValueError('salah')"),
        "tanpa_henti": lambda rel, ans: _with_extra(synthetic.fill(rel, ans), "while True:\n    pass", 1),
        "ubah_tes": lambda rel, ans: _tamper(synthetic.fill(rel, ans)),
        "hapus_tes": lambda rel, ans: _delete_a_test_cell(synthetic.fill(rel, ans)),
    }
    names = list(kinds)
    plan = [(student, aid, names[(i * len(ids) + j) % len(names)])
            for i, aid in enumerate(ASSIGNMENTS) for j, student in enumerate(ids)]
    assert {kind for *_, kind in plan} == set(names)
    for student, aid, kind in plan:
        release, answers = answer_keys[aid]
        synthetic.dump(kinds[kind](release, answers), inbox / f"{student}_{aid}.ipynb")
    collect(ws, "-", [inbox])
    peer = Workspace(shutil.copytree(ws.root, tmp_path / "nbgrader-biasa"))
    unpatched = Workspace(shutil.copytree(ws.root, tmp_path / "tanpa-percepatan"))

    autograde_with_nbgrader(peer, ASSIGNMENTS)
    monkeypatch.delenv(patches.SWITCH, raising=False)
    report = grade(ws, jobs=3)
    monkeypatch.setenv(patches.SWITCH, "1")
    slow = grade(unpatched, jobs=3)

    plain = cell_scores(peer)
    assert len(plain) > 30
    for run, workspace, speedups in ((report, ws, True), (slow, unpatched, False)):
        assert run.count(GRADED) == len(plan), [r.message for r in run.failures]
        assert run.warm  # kernels forked by the zygote, confined, in both runs
        assert run.speedups is speedups
        ours = cell_scores(workspace)
        differ = {k: (plain.get(k), ours.get(k)) for k in set(plain) | set(ours)
                  if plain.get(k) != ours.get(k)}
        assert differ == {}, f"speed-ups {'on' if speedups else 'off'}"
    assert slow.sandbox == report.sandbox  # the switch changes no protection
    assert "dengan percepatan" in report.isolation
    assert "tanpa percepatan" in slow.isolation and "tanpa percepatan" not in report.isolation
    totals = submission_scores(ws).set_index(["student", "assignment"])["score"]
    assert totals.nunique() > 2  # the mix really scored differently


def test_no_submission_sees_what_an_earlier_one_did(fresh_cohort, answer_keys, tmp_path):
    """One worker grades two submissions in turn from the same warm kernel template.

    The first participant's code changes everything it can reach: the course's
    checking helper, a built-in, pandas' settings, a file next to the notebook,
    and leaves its code in IPython's input history.
    The second participant's work is right; it still gets full marks only if
    none of that is visible to it.
    """
    ws = fresh_cohort
    first, second = sorted(p.id_peserta for p in ws.participants)[:2]
    release, answers = answer_keys["m00"]
    mischief = "\n".join([
        "import builtins, pandas, coursekit.cek",
        "builtins.BOCOR = 1",
        "pandas.set_option('display.max_rows', 1)",
        "def _selalu_gagal(*a, **k):",
        "    raise AssertionError('fungsi cek diganti peserta lain')",
        "coursekit.cek.angka = _selalu_gagal",
        "open('bocor.txt', 'w').write('x')",
    ])
    synthetic.dump(_with_extra(synthetic.fill(release, answers), mischief, 1),
                   tmp_path / "kiriman" / f"{first}_m00.ipynb")
    watchful = dict(answers)
    key3 = next(k for k in answers if k.endswith("_3"))
    watchful[key3] += (
        "\nimport builtins, os, pandas\n"
        "seen = list(get_ipython().history_manager.search('*_selalu' + '_gagal*', unique=False))\n"
        "if hasattr(builtins, 'BOCOR') or os.path.exists('bocor.txt') or seen "
        "or pandas.get_option('display.max_rows') == 1:\n"
        "    total_pengunjung = 0\n"
    )
    synthetic.dump(synthetic.fill(release, watchful), tmp_path / "kiriman" / f"{second}_m00.ipynb")
    collect(ws, "m00", [tmp_path / "kiriman"])

    report = grade(ws, jobs=1)  # one worker, one kernel template: the order is first, second

    assert report.warm
    # (graded biggest first: the first one's extra code makes it the bigger notebook)
    assert [r.student for r in report.results if r.status == GRADED] == [first, second]
    scores = submission_scores(ws).set_index("student")
    assert scores.loc[second, "score"] == scores.loc[second, "max_score"] > 0
    assert scores.loc[first, "score"] < scores.loc[first, "max_score"]  # its own change hit itself
