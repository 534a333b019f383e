"""Every verb of ``spptik`` as a trainer runs it: exit codes, messages, files written.

In-process through click's CliRunner; where the installed command as a whole matters
(``--help``, ``check`` on a copied tree, ``demo``) in a subprocess. States are read
through the package's status constants, never through the Indonesian labels.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from autograder.cli import main
from autograder.cohort import gradebook_guard
from autograder.cohort.workspace import Workspace
from autograder.course import manifest
from autograder.demo import synthetic
from autograder.demo.run import sandbox_available
from autograder.intake import collect as intake
from autograder.reports import completion
from autograder.site import exchange as hub_exchange

SPPTIK = str(Path(sys.executable).parent / "spptik")
# every verb and its test below; test_every_verb_has_a_test keeps the two lists together
TESTED = {"init", "collect", "grade", "feedback", "export", "merge", "check", "lab", "pulihkan",
          "demo", "situs akun", "situs siapkan", "situs ambil", "situs mulai",
          # their command-line tests sit beside their features
          "analisis",  # tests/test_analysis.py::test_command_line
          "kunci", "sertifikat", "verifikasi",  # tests/test_certificates.py::test_command_line_route
          "dasbor"}  # tests/test_dashboard.py


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def refused(result, *words: str, code: int = 2) -> None:
    """A refusal a trainer reads: the exit code, 'Gagal:' and the reason, no traceback."""
    assert result.exit_code == code, (result.exit_code, result.output, result.stderr)
    assert "Gagal:" in result.stderr and "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


def copy_cohort(ws: Workspace, target: Path, name: str | None = None) -> Workspace:
    """A copy of a cohort (its SQLite gradebook inside), optionally under another batch name."""
    shutil.copytree(ws.root, target)
    if name:
        meta = target / "kohort.toml"
        lines = [f'name = "{name}"' if line.startswith("name =") else line
                 for line in meta.read_text(encoding="utf-8").splitlines()]
        meta.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Workspace(target)


def submit(ws: Workspace, inbox: Path, student: str, aid: str, filled: bool = True) -> Path:
    release = synthetic.load(ws.release_notebooks(aid)[0])
    if filled:
        source = synthetic.load(next((manifest.SOURCE_DIR / aid).glob("*.ipynb")))
        release = synthetic.fill(release, synthetic.solution_answers(source))
    path = inbox / student / f"{aid}.ipynb"
    synthetic.dump(release, path)
    return path


def test_every_verb_has_a_test():
    listed = subprocess.run([SPPTIK, "--help"], capture_output=True, text=True, check=True).stdout
    situs = subprocess.run([SPPTIK, "situs", "--help"], capture_output=True, text=True, check=True).stdout
    verbs = ({v for v in main.commands if v != "situs"}
             | {f"situs {v}" for v in main.commands["situs"].commands})
    assert verbs == TESTED
    for verb in verbs:
        assert verb.split()[-1] in (situs if verb.startswith("situs ") else listed)


# init --------------------------------------------------------------------------------

def test_init_writes_a_cohort(roster_file, tmp_path):
    result = run("init", tmp_path / "kohort", "--roster", roster_file(3), "--name", "Uji CLI")
    assert result.exit_code == 0, result.output + result.stderr
    assert "3 peserta" in result.output
    ws = Workspace(tmp_path / "kohort")
    assert ws.name == "Uji CLI" and len(ws.participants) == 3
    for aid in ws.course.assignment_ids:
        assert ws.release_notebooks(aid), aid
    assert (ws.root / "gradebook.db").is_file() and (ws.root / "course.toml").is_file()


def test_init_refuses_a_bad_roster_and_leaves_nothing(tmp_path):
    bad = tmp_path / "peserta.csv"
    bad.write_text("nama,email\nBudi,budi@contoh.id\n", encoding="utf-8")
    refused(run("init", tmp_path / "kohort", "--roster", bad), "Daftar peserta ditolak",
            "id_peserta")
    assert not (tmp_path / "kohort").exists()


def test_init_refuses_a_folder_in_use(roster_file, tmp_path):
    (tmp_path / "kohort").mkdir()
    (tmp_path / "kohort" / "catatan.txt").write_text("milik orang lain")
    refused(run("init", tmp_path / "kohort", "--roster", roster_file(2)), "tidak kosong")
    assert [p.name for p in (tmp_path / "kohort").iterdir()] == ["catatan.txt"]


# collect ----------------------------------------------------------------------------

def test_collect_files_a_submission_and_logs_it(fresh_cohort, tmp_path):
    student = fresh_cohort.participants[0].id_peserta
    submit(fresh_cohort, tmp_path / "masuk", student, "m00")
    (tmp_path / "masuk" / "catatan.txt").write_text("bukan notebook")
    result = run("collect", fresh_cohort.root, "m00", tmp_path / "masuk")
    assert result.exit_code == 0, result.output + result.stderr
    filed = fresh_cohort.submitted / student / "m00"
    assert (filed / "m00.ipynb").is_file() and (filed / "timestamp.txt").is_file()
    ledger = [json.loads(line) for line in
              (fresh_cohort.reports / "penerimaan.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(r["outcome"] for r in ledger) == sorted([intake.FILED, intake.IGNORED])
    assert "karantina" in result.output  # where the unrecognised file went


def test_collect_refuses_an_unknown_assignment_and_a_missing_folder(fresh_cohort, tmp_path):
    submit(fresh_cohort, tmp_path / "masuk", fresh_cohort.participants[0].id_peserta, "m00")
    refused(run("collect", fresh_cohort.root, "m99", tmp_path / "masuk"), "m99", "tidak dikenal",
            "m00")
    refused(run("collect", tmp_path / "tidak-ada", "m00", tmp_path / "masuk"), "tidak ada")
    refused(run("collect", tmp_path / "masuk", "m00", tmp_path / "masuk"),
            "bukan ruang kerja kohort")
    assert not fresh_cohort.submitted.joinpath(fresh_cohort.participants[0].id_peserta).exists()


# grade ------------------------------------------------------------------------------

def test_grade_scores_collected_work(fresh_cohort, tmp_path):
    people = [p.id_peserta for p in fresh_cohort.participants]
    submit(fresh_cohort, tmp_path / "masuk", people[0], "m00")
    submit(fresh_cohort, tmp_path / "masuk", people[1], "m00", filled=False)
    assert run("collect", fresh_cohort.root, "m00", tmp_path / "masuk").exit_code == 0
    # a subprocess: grading starts kernels, whose output needs the real terminal's descriptors
    args = [SPPTIK, "grade", str(fresh_cohort.root), "m00", "-j", "1"]
    if not sandbox_available():
        args.append("--percaya")  # said by the command itself; the sandbox tests cover refusal
    done = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    for student in people[:2]:
        assert (fresh_cohort.autograded / student / "m00" / "m00.ipynb").is_file()
    with fresh_cohort.gradebook() as gb:
        full = gb.find_submission("m00", people[0])
        blank = gb.find_submission("m00", people[1])
        assert full.score == full.max_score > 0 and blank.score == 0
    assert gradebook_guard.list_snapshots(fresh_cohort)  # a snapshot before the run wrote


def test_grade_refuses_bad_input(fresh_cohort, tmp_path):
    refused(run("grade", tmp_path / "tidak-ada"), "tidak ada")
    refused(run("grade", fresh_cohort.root, "m99"), "m99", "tidak dikenal")
    assert not fresh_cohort.autograded.exists()


# feedback, export, merge (on copies of the graded cohort of conftest) ----------------------

@pytest.fixture
def graded_copy(graded_cohort, tmp_path):
    return copy_cohort(graded_cohort["ws"], tmp_path / "kohort")


def test_feedback_writes_indonesian_pages(graded_copy, graded_cohort):
    shutil.rmtree(graded_copy.feedback, ignore_errors=True)
    result = run("feedback", graded_copy.root, "m00")
    assert result.exit_code == 0, result.output + result.stderr
    pages = sorted(graded_copy.feedback.glob("*/m00/m00.html"))
    graded = {p.name for p in (graded_copy.autograded).iterdir() if (p / "m00").is_dir()}
    assert {p.parts[-3] for p in pages} == graded and f"{len(pages)} berkas umpan balik" in result.output
    page = pages[0].read_text(encoding="utf-8")
    assert "Umpan balik" in page and "Student's answer" not in page
    assert not list(graded_copy.feedback.glob("*/m01"))  # only what was asked


def test_feedback_refuses_bad_input(graded_copy, tmp_path):
    refused(run("feedback", graded_copy.root, "m99"), "m99", "tidak dikenal")
    refused(run("feedback", tmp_path / "tidak-ada"), "tidak ada")


def test_export_writes_the_completion_list(graded_copy, graded_cohort, tmp_path):
    out = tmp_path / "ekspor"
    result = run("export", graded_copy.root, "--out", out)
    assert result.exit_code == 0, result.output + result.stderr
    for name in ("daftar_kelulusan.csv", "daftar_kelulusan.xlsx", "ringkasan.html",
                 "kelulusan_per_provinsi.png", "tentang.json"):
        assert (out / name).is_file(), name
    with (out / "daftar_kelulusan.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {r["ID Peserta"]: r for r in csv.DictReader(handle)}
    ids = graded_cohort["ids"]
    assert set(rows) == set(ids)
    assert rows[ids[0]]["Status"] == completion.LULUS
    assert rows[ids[3]]["Status"] == completion.BELUM_LULUS  # sent nothing
    assert rows[ids[4]]["Status"] == completion.MENUNGGU     # capstone not graded by hand
    assert sorted(p.stem for p in (out / "rekam").glob("*.html")) == sorted(ids)
    about = json.loads((out / "tentang.json").read_text(encoding="utf-8"))
    assert about["peserta"] == len(ids) and about["angkatan"] == graded_copy.name
    assert not list(out.glob(".*.tmp"))  # no temporary file left behind


def test_export_refuses_a_missing_folder(tmp_path):
    refused(run("export", tmp_path / "tidak-ada"), "tidak ada")


def test_merge_joins_cohorts_and_flags_an_id_in_two(graded_cohort, fresh_cohort, tmp_path):
    first = copy_cohort(graded_cohort["ws"], tmp_path / "a", name="Angkatan A")
    second = copy_cohort(graded_cohort["ws"], tmp_path / "b", name="Angkatan B")
    out = tmp_path / "nasional"
    result = run("merge", "--out", out, first.root, second.root, fresh_cohort.root)
    assert result.exit_code == 0, result.output + result.stderr
    with (out / "daftar_kelulusan_nasional.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    ids = graded_cohort["ids"]
    assert len(rows) == 2 * len(ids) + len(fresh_cohort.participants)
    flagged = {r["ID Peserta"] for r in rows if r["Catatan"]}
    assert flagged == set(ids)  # every id of the copied batch is in two batches
    assert (out / "daftar_kelulusan_nasional.xlsx").is_file()
    assert ids[0] in result.stderr  # the duplicates table, for the trainer to resolve


def test_merge_refuses_a_missing_cohort(fresh_cohort, tmp_path):
    refused(run("merge", "--out", tmp_path / "n", fresh_cohort.root, tmp_path / "tidak-ada"),
            "tidak ada")
    assert not (tmp_path / "n").exists()


# check: on a copy of the tree, one assignment, so that it executes in seconds ------------

def _course_tree(tmp_path: Path) -> Path:
    """The package, course, sources and releases copied, with a manifest of m00 alone."""
    root = tmp_path / "pohon"
    for name in ("autograder", "course", "source", "assignments"):
        shutil.copytree(manifest.REPO_ROOT / name, root / name,
                        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    m00 = manifest.load_course().module_for("m00")
    (root / "course" / "course.toml").write_text(
        '[course]\nid = "uji"\ntitle = "Uji"\n\n[[modules]]\n'
        f'id = "m00"\ntitle = "{m00.title}"\nday = 1\njp = {m00.jp}\nkind = "latihan"\n'
        f'weight = 1\nlesson = "{m00.lesson}"\nassignment = "m00"\n\n'
        '[completion]\ncapstone = ""\npre_test = ""\npost_test = ""\nrequire_post_test = false\n',
        encoding="utf-8")
    return root


def _check(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-m", "autograder.cli", "check", *args], cwd=root,
                          env=env, capture_output=True, text=True, timeout=600)


def test_check_passes_a_sound_course_and_runs_its_notebooks(tmp_path):
    root = _course_tree(tmp_path)
    done = _check(root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "m00 diperiksa" in done.stdout and "1 tugas diperiksa" in done.stdout


def test_check_reports_a_leaky_and_a_stale_release(tmp_path):
    root = _course_tree(tmp_path)
    release = next((root / "assignments" / "m00").glob("*.ipynb"))
    nb = json.loads(release.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "id": "bocor",
                        "source": "### BEGIN SOLUTION\njawaban = 42\n### END SOLUTION"})
    release.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    done = _check(root, "--quick")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{release}: memuat jawaban" in done.stderr.replace("\n", "")
    assert "tidak sinkron dengan sumbernya" in done.stderr


# lab: its argument handling (the server itself is started by the browser tests) -----------

@pytest.fixture
def lab_calls(monkeypatch):
    calls = []
    monkeypatch.setattr(subprocess, "call", lambda argv, **kw: calls.append((argv, kw)) or 0)
    return calls


def test_lab_on_a_cohort_opens_the_formgrader_and_keeps_a_snapshot(fresh_cohort, lab_calls):
    result = run("lab", fresh_cohort.root, "--port", "8899", "--no-browser")
    assert result.exit_code == 0, result.output + result.stderr
    assert "Formgrader" in result.output
    (argv, kw), = lab_calls
    assert kw["cwd"] == fresh_cohort.root and "--no-browser" in " ".join(argv)
    assert "8899" in " ".join(argv)
    assert any(s.reason == "lab" for s in gradebook_guard.list_snapshots(fresh_cohort))


def test_lab_on_the_course_and_on_a_missing_folder(tmp_path, lab_calls):
    result = run("lab", tmp_path, "--no-browser")
    assert result.exit_code == 0 and "Membuka kursus" in result.output
    refused(run("lab", tmp_path / "tidak-ada"), "tidak ada")
    assert len(lab_calls) == 1


# pulihkan ---------------------------------------------------------------------------------

def test_pulihkan_lists_restores_and_refuses(fresh_cohort):
    kept = gradebook_guard.before_write(fresh_cohort, "uji").snapshot
    listing = run("pulihkan", fresh_cohort.root)
    assert listing.exit_code == 0 and kept.path.name in listing.output
    restored = run("pulihkan", fresh_cohort.root, kept.path.name)
    assert restored.exit_code == 0, restored.output + restored.stderr
    assert f"dipulihkan dari {kept.path.name}" in restored.output
    assert "Keadaan sebelumnya disimpan" in restored.output
    refused(run("pulihkan", fresh_cohort.root, "cadangan-yang-tidak-ada.db"),
            code=gradebook_guard.EXIT_CODE)
    refused(run("pulihkan", fresh_cohort.root, "--baru"), "utuh", code=gradebook_guard.EXIT_CODE)
    for lost in fresh_cohort.root.glob("gradebook.db*"):
        lost.unlink()
    rebuilt = run("pulihkan", fresh_cohort.root, "--baru")
    assert rebuilt.exit_code == 0, rebuilt.output + rebuilt.stderr
    assert f"{len(fresh_cohort.participants)} peserta" in rebuilt.output


# demo ---------------------------------------------------------------------------------------

def test_demo_runs_the_whole_flow(tmp_path):
    out = tmp_path / "demo"
    done = subprocess.run([SPPTIK, "demo", "--out", str(out), "--participants", "3", "-j", "2"],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    ws = Workspace(out / "kohort")
    assert len(ws.participants) == 3
    assert list(ws.autograded.glob("*/*/*.ipynb")) and list(ws.feedback.glob("*/*/*.html"))
    assert (out / "ekspor" / "daftar_kelulusan.csv").is_file()
    assert len(list((out / "ekspor" / "rekam").glob("*.html"))) == 3
    assert f"{out / 'ekspor' / 'daftar_kelulusan.csv'}" in done.stdout.replace("\n", "")


def test_demo_refuses_bad_input(tmp_path):
    refused(run("demo", "--out", tmp_path / "d", "--participants", "0"), "minimal 1")
    (tmp_path / "isi").mkdir()
    (tmp_path / "isi" / "x.txt").write_text("x")
    refused(run("demo", "--out", tmp_path / "isi", "--participants", "1"), "sudah berisi")


# situs ----------------------------------------------------------------------------------------

def test_situs_akun_dry_run_changes_nothing(fresh_cohort, tmp_path):
    card = tmp_path / "kartu.csv"
    result = run("situs", "akun", fresh_cohort.root, "--fasilitator", "pelatihuji",
                 "--kartu", card, "--dry-run")
    assert result.exit_code == 0, result.output + result.stderr
    assert f"{len(fresh_cohort.participants) + 1} akun akan dibuat" in result.output
    assert "pst-0001" in result.output and not card.exists()


def test_situs_siapkan_dry_run_and_bad_settings(fresh_cohort, tmp_path):
    result = run("situs", "siapkan", fresh_cohort.root, "--fasilitator", "pelatihuji",
                 "--exchange", tmp_path / "exchange", "--kartu", tmp_path / "kartu.csv", "--dry-run")
    if "configurable-http-proxy tidak ditemukan" in result.stderr:
        pytest.skip("the hub's proxy is not installed (make hub-setup)")
    assert result.exit_code == 0, result.output + result.stderr
    assert "tidak ada yang diubah" in result.output and not (tmp_path / "exchange").exists()
    refused(run("situs", "siapkan", fresh_cohort.root, "--fasilitator", "root", "--dry-run"),
            "akun sistem")


def test_situs_ambil_takes_nothing_twice_and_refuses_a_missing_exchange(fresh_cohort, tmp_path):
    exchange = tmp_path / "exchange"
    hub_exchange.prepare_exchange(exchange, fresh_cohort.info["course_id"])
    result = run("situs", "ambil", fresh_cohort.root, "--exchange", exchange)
    assert result.exit_code == 0, result.output + result.stderr
    assert "0 kiriman baru" in result.output
    refused(run("situs", "ambil", fresh_cohort.root, "--exchange", tmp_path / "kosong"),
            "exchange", "tidak ada")


def test_situs_mulai_refuses_settings_without_a_token(tmp_path):
    refused(run("situs", "mulai", "--env", tmp_path / "tidak-ada.env"), "siapkan")
    env = tmp_path / "situs.env"
    env.write_text("SPPTIK_HUB_PORT=8000\n", encoding="utf-8")
    refused(run("situs", "mulai", "--env", env), "SPPTIK_HUB_API_TOKEN")

