"""A damaged gradebook is refused, and every run keeps a snapshot (issue 13).

What a trainer would see: ``spptik grade`` on a gradebook overwritten with a few
bytes, deleted, or replaced by an empty one refuses, writes nothing, and names
the snapshot to restore; ``spptik pulihkan`` lists the snapshots and brings the
grades back, keeping what was there before.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from autograder.cli import main as cli
from autograder.cohort import gradebook_guard as guard
from autograder.cohort.workspace import Workspace
from autograder.demo import synthetic
from autograder.grading.run import GRADED, grade
from autograder.intake.collect import collect

import pgserver


def _submit(ws: Workspace, answer_keys, tmp_path: Path, who: str, aid: str = "m00") -> None:
    release, answers = answer_keys[aid]
    inbox = tmp_path / f"kiriman-{who}-{aid}"
    synthetic.dump(synthetic.fill(release, answers), inbox / f"{who}_{aid}.ipynb")
    collect(ws, aid, [inbox])


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its hash: what "nothing written" is checked against."""
    return {str(p.relative_to(folder)): _digest(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def _gradebook(ws: Workspace) -> Path:
    return guard.sqlite_path(ws)


def _remove_gradebook(ws: Workspace) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(_gradebook(ws)) + suffix).unlink(missing_ok=True)


def test_guard_knows_nbgraders_tables():
    from nbgrader.api import Base

    assert set(Base.metadata.tables) == guard.NBGRADER_TABLES


def test_new_cohort_grades_right_after_init_and_keeps_a_snapshot(fresh_cohort, answer_keys, tmp_path):
    ws = fresh_cohort
    assert guard.list_snapshots(ws) == []
    who = ws.participants[0].id_peserta
    _submit(ws, answer_keys, tmp_path, who)
    report = grade(ws, jobs=1)
    assert [r.status for r in report.results] == [GRADED]
    assert report.results[0].score > 0
    snaps = guard.list_snapshots(ws)
    assert len(snaps) == 1 and snaps[0].reason == "grade"
    # taken before the run: the brand-new gradebook, sound and without submissions
    health = guard.inspect_sqlite_file(ws, snaps[0].path)
    assert health.sound and health.submissions == 0
    assert health.participants == len(ws.participants)


def _spptik(*args: str) -> subprocess.CompletedProcess:
    """Run ``spptik`` as a trainer does: each command its own process."""
    done = subprocess.run([sys.executable, "-m", "autograder.cli", *args], capture_output=True,
                          text=True, env={**os.environ, "COLUMNS": "200"})
    done.output = done.stdout + done.stderr
    return done


SCORES = """
import json, sys
from autograder.reports.scores import submission_scores
from autograder.cohort.workspace import Workspace
frame = submission_scores(Workspace(sys.argv[1])).sort_values(["student", "assignment"])
print(json.dumps(frame[["student", "assignment", "score", "max_score"]].values.tolist()))
"""


def _scores_outside(ws: Workspace) -> list[list]:
    """``submission_scores`` in a process of its own, as ``spptik export`` reads it."""
    done = subprocess.run([sys.executable, "-c", SCORES, str(ws.root)], capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def test_truncated_gradebook_is_refused_then_restored(fresh_cohort, answer_keys, tmp_path):
    ws = fresh_cohort
    people = [p.id_peserta for p in ws.participants]
    _submit(ws, answer_keys, tmp_path, people[0])
    first = _spptik("grade", str(ws.root), "--jobs", "1")
    assert first.returncode == 0, first.output
    graded = _scores_outside(ws)
    assert [row[:2] for row in graded] == [[people[0], "m00"]] and graded[0][2] > 0
    # the afternoon's run: a new submission; the snapshot before it holds the morning's grades
    _submit(ws, answer_keys, tmp_path, people[1])
    second = _spptik("grade", str(ws.root), "--jobs", "1")
    assert second.returncode == 0, second.output
    snaps = guard.list_snapshots(ws)
    assert len(snaps) == 2
    assert "Cadangan gradebook terbaru" in second.output and snaps[0].name in second.output
    morning = snaps[0]
    afternoon = _scores_outside(ws)
    assert len(afternoon) == 2

    # a run with nothing new still keeps the afternoon's state; one more, with nothing changed
    # since, takes no copy that would push the history out
    assert _spptik("grade", str(ws.root), "--jobs", "1").returncode == 0
    snaps = guard.list_snapshots(ws)
    assert len(snaps) == 3 and snaps[1] == morning
    assert _spptik("grade", str(ws.root), "--jobs", "1").returncode == 0
    assert guard.list_snapshots(ws) == snaps

    # the gradebook is overwritten with a few bytes; a new submission waits
    _gradebook(ws).write_bytes(b"SQLite")
    _submit(ws, answer_keys, tmp_path, people[2])
    before = _tree(ws.root)
    refused = _spptik("grade", str(ws.root), "--jobs", "1")
    assert refused.returncode == guard.EXIT_CODE
    assert "rusak" in refused.output and "bukan basis data SQLite" in refused.output
    assert f"spptik pulihkan {ws.root} {snaps[0].name}" in refused.output  # the newest sound one
    assert _tree(ws.root) == before  # not a byte written: gradebook, autograded/, reports, snapshots

    # the list names every snapshot and what it holds; the trainer picks the morning's
    listing = _spptik("pulihkan", str(ws.root))
    assert listing.returncode == 0, listing.output
    assert "TIDAK UTUH" in listing.output
    assert f"{morning.name}\n" in listing.output
    assert "1 kiriman dinilai" in listing.output and "2 kiriman dinilai" in listing.output

    restored = _spptik("pulihkan", str(ws.root), snaps[0].name)
    assert restored.returncode == 0, restored.output
    assert _scores_outside(ws) == afternoon  # the afternoon's grades are back
    damaged = [s for s in guard.list_snapshots(ws) if s.reason == guard.DAMAGED]
    assert len(damaged) == 1 and damaged[0].path.read_bytes() == b"SQLite"  # kept, not deleted
    assert _spptik("pulihkan", str(ws.root), morning.name).returncode == 0
    assert _scores_outside(ws) == graded  # an older one: the morning's
    kept = [s for s in guard.list_snapshots(ws) if s.reason == guard.BEFORE_RESTORE]
    assert len(kept) == 1 and "2 kiriman dinilai" in guard.describe(ws, kept[0])

    # grading goes on from there: what the older snapshot lacks is graded again
    again = _spptik("grade", str(ws.root), "--jobs", "1")
    assert again.returncode == 0, again.output
    now = _scores_outside(ws)
    assert [row[:2] for row in now] == [[p, "m00"] for p in people[:3]]
    assert now[:2] == afternoon


def test_deleted_gradebook_is_refused_and_not_recreated(fresh_cohort, answer_keys, tmp_path):
    ws = fresh_cohort
    guard.snapshot(ws, "grade")
    _submit(ws, answer_keys, tmp_path, ws.participants[0].id_peserta)
    _remove_gradebook(ws)
    with pytest.raises(guard.GradebookError) as refused:
        grade(ws, jobs=1)
    message = str(refused.value)
    assert "tidak ada" in message and guard.list_snapshots(ws)[0].name in message
    assert not _gradebook(ws).exists()
    assert not (ws.autograded).exists()

    for command in (["feedback", str(ws.root)], ["export", str(ws.root)]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == guard.EXIT_CODE, command
        assert not _gradebook(ws).exists(), command


def test_formgrader_opens_only_on_a_sound_gradebook(fresh_cohort, monkeypatch):
    ws = fresh_cohort
    launched = []
    monkeypatch.setattr(subprocess, "call", lambda cmd, **kw: launched.append(cmd) or 0)
    opened = CliRunner().invoke(cli, ["lab", str(ws.root), "--no-browser"])
    assert opened.exit_code == 0, opened.output
    assert len(launched) == 1 and [s.reason for s in guard.list_snapshots(ws)] == ["lab"]
    _gradebook(ws).write_bytes(b"abc")
    refused = CliRunner().invoke(cli, ["lab", str(ws.root), "--no-browser"])
    assert refused.exit_code == guard.EXIT_CODE and "spptik pulihkan" in refused.output
    assert len(launched) == 1  # JupyterLab was not started on the damaged gradebook


def test_init_over_an_existing_cohort_leaves_its_gradebook_alone(fresh_cohort, roster_file):
    ws = fresh_cohort
    before = _tree(ws.root)
    again = CliRunner().invoke(cli, ["init", str(ws.root), "--roster", str(roster_file(3))])
    assert again.exit_code != 0 and "sudah ada dan tidak kosong" in " ".join(again.output.split())
    assert _tree(ws.root) == before


def test_no_snapshot_says_how_to_start_again(fresh_cohort, answer_keys, tmp_path):
    ws = fresh_cohort
    who = ws.participants[0].id_peserta
    _submit(ws, answer_keys, tmp_path, who)
    _gradebook(ws).write_bytes(b"\x00" * 7)
    refused = CliRunner().invoke(cli, ["grade", str(ws.root)])
    assert refused.exit_code == guard.EXIT_CODE
    assert "Belum ada cadangan" in refused.output and "--baru" in refused.output

    rebuilt = CliRunner().invoke(cli, ["pulihkan", str(ws.root), "--baru"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert guard.inspect_gradebook(ws).sound
    assert [s.path.read_bytes() for s in guard.list_snapshots(ws)] == [b"\x00" * 7]
    report = grade(ws, force=True, jobs=1)
    assert [(r.student, r.status) for r in report.results] == [(who, GRADED)]


def _empty_nbgrader_gradebook(path: Path) -> None:
    from nbgrader.api import Gradebook

    Gradebook(f"sqlite:///{path}").close()


def test_empty_nbgrader_gradebook_is_refused(fresh_cohort, tmp_path):
    ws = fresh_cohort
    guard.snapshot(ws, "grade")
    empty = tmp_path / "kosong.db"
    _empty_nbgrader_gradebook(empty)
    _remove_gradebook(ws)
    shutil.copy(empty, _gradebook(ws))
    before = _digest(_gradebook(ws))
    with pytest.raises(guard.GradebookError) as refused:
        grade(ws, jobs=1)
    message = str(refused.value)
    assert "tidak memuat satu pun tugas" in message
    assert "tidak memuat satu pun peserta" in message
    assert _digest(_gradebook(ws)) == before

    # restoring over a readable gradebook keeps it as a snapshot first
    result = guard.restore(ws, guard.list_snapshots(ws)[0].name)
    assert result.health.sound and result.health.participants == len(ws.participants)
    kept = [s for s in guard.list_snapshots(ws) if s.reason == guard.BEFORE_RESTORE]
    assert len(kept) == 1 and not guard.inspect_sqlite_file(ws, kept[0].path).sound


def test_participants_missing_from_the_gradebook_are_named(fresh_cohort):
    ws = fresh_cohort
    gone = ws.participants[2].id_peserta
    with sqlite3.connect(_gradebook(ws)) as conn:
        conn.execute("DELETE FROM student WHERE id = ?", (gone,))
    conn.close()
    with pytest.raises(guard.GradebookError) as refused:
        guard.before_write(ws, "grade")
    assert f"tidak memuat 1 peserta dari roster.csv: {gone}" in str(refused.value)
    assert f"spptik pulihkan {ws.root} --baru" in str(refused.value)
    assert guard.list_snapshots(ws) == []
    # a participant added to the roster after init is enrolled; nothing else changes
    result = CliRunner().invoke(cli, ["pulihkan", str(ws.root), "--baru"])
    assert result.exit_code == 0, result.output
    health = guard.inspect_gradebook(ws)
    assert health.sound and health.participants == len(ws.participants)
    assert [s.reason for s in guard.list_snapshots(ws)] == [guard.REBUILT]


def test_rotation_keeps_the_last_n_and_every_copy_taken_by_a_restore(fresh_cohort):
    root = fresh_cohort.root
    with (root / "kohort.toml").open("a", encoding="utf-8") as meta:
        meta.write("cadangan_disimpan = 3\n")
    ws = Workspace(root)
    taken = []
    for i in range(5):
        with sqlite3.connect(_gradebook(ws)) as conn:
            conn.execute("UPDATE student SET email = ? WHERE id = ?", (f"ganti{i}@contoh.id",
                                                                       ws.participants[0].id_peserta))
        conn.close()
        result = guard.before_write(ws, "grade")
        assert result.new
        taken.append(result.snapshot.name)
        if i == 1:
            guard.restore(ws, taken[0])  # leaves a 'sebelum-pulihkan' copy
    regular = [s.name for s in guard.list_snapshots(ws) if s.reason == "grade"]
    assert regular == taken[::-1][:3]
    assert len([s for s in guard.list_snapshots(ws) if s.reason == guard.BEFORE_RESTORE]) == 1
    assert not guard.before_write(ws, "grade").new  # unchanged: nothing taken


def test_pg_commands_keep_the_password_off_the_command_line(tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "dari-shell")
    url = "postgresql+psycopg2://pelatih:rahasia%40123@db.contoh.id:6543/kohort_padang?sslmode=require"
    dump = tmp_path / "cadangan.sql"
    argv, env = guard.pg_dump_command(url, dump)
    assert Path(argv[0]).name == "pg_dump"
    assert {"--clean", "--if-exists", "--format=plain", f"--file={dump}"} <= set(argv)
    assert not any("rahasia" in a for a in argv)
    assert env["PGPASSWORD"] == "rahasia@123"
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"], env["PGSSLMODE"]) == (
        "db.contoh.id", "6543", "pelatih", "kohort_padang", "require")
    argv, env = guard.pg_restore_command(url, dump)
    assert Path(argv[0]).name == "psql"
    assert {"--single-transaction", "--set=ON_ERROR_STOP=1", f"--file={dump}"} <= set(argv)
    assert not any("rahasia" in a for a in argv)
    # a Unix socket given as ?host=, as tests/pgserver.py writes it; no password in the URL:
    # libpq's own (here the shell's PGPASSWORD) is used, as nbgrader's connection does
    env = guard.pg_environment("postgresql+psycopg2://spptik@/db?host=/tmp/sock&port=5432")
    assert (env["PGHOST"], env["PGPORT"], env["PGPASSWORD"]) == ("/tmp/sock", "5432", "dari-shell")


def test_without_pg_dump_the_run_says_so(fresh_cohort, monkeypatch):
    ws = fresh_cohort
    monkeypatch.setattr(Workspace, "db_url", "postgresql+psycopg2://u:p@localhost/none")
    monkeypatch.setattr(guard.shutil, "which", lambda name: None)
    result = guard.snapshot(ws, "grade")
    assert result.snapshot is None and "pg_dump tidak terpasang" in result.note
    assert "pg_dump tidak terpasang" in guard.status_line(ws)


@pytest.mark.postgres
def test_postgresql_gradebook_snapshot_refusal_and_restore(roster_file, tmp_path):
    from autograder.cohort.workspace import init_workspace

    if shutil.which("pg_dump") is None:
        pytest.fail("pg_dump tidak terpasang: pasang paket Debian 'postgresql-client'")
    given = os.environ.get("SPPTIK_TEST_PG_URL")
    server = None
    if not given:
        server = pgserver.PrivateServer()
        server.start()
    admin = given or server.url("postgres")
    try:
        url, name = pgserver.create_database(admin)
        roster = roster_file(3, prefix="PG")
        ws = init_workspace(tmp_path / "pg", roster, "Uji PostgreSQL (sintetis)", db_url=url)
        result = guard.before_write(ws, "grade")
        assert result.new and result.snapshot.path.suffix == ".sql"
        assert "CREATE TABLE" in result.snapshot.path.read_text(encoding="utf-8")

        # a second cohort pointed at the same database is refused before it writes
        again = CliRunner().invoke(cli, ["init", str(tmp_path / "lain"), "--roster", str(roster),
                                         "--db-url", url])
        assert again.exit_code == guard.EXIT_CODE and "sudah berisi gradebook" in again.output

        engine = ws.engine()
        with engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM student")
        with pytest.raises(guard.GradebookError) as refused:
            grade(ws, jobs=1)
        assert "tidak memuat satu pun peserta" in str(refused.value)
        assert result.snapshot.name in str(refused.value)

        restored = guard.restore(ws, result.snapshot.name)
        assert restored.health.sound and restored.health.participants == 3
        assert restored.kept and restored.kept[0].suffix == ".sql"
        engine.dispose()
        pgserver.drop_database(admin, name)
    finally:
        if server:
            server.stop()


def test_the_live_service_never_pushes_the_trainers_snapshots_out(fresh_cohort, monkeypatch):
    """In class the live service writes the gradebook every few seconds: its snapshots are
    rate-limited and rotate among themselves; the trainer's own stay."""
    ws = fresh_cohort

    def change(i: int) -> None:
        with sqlite3.connect(_gradebook(ws)) as conn:
            conn.execute("UPDATE student SET email = ? WHERE id = ?", (f"ubah{i}@contoh.id",
                                                                       ws.participants[0].id_peserta))
        conn.close()

    change(0)
    trainers = guard.before_write(ws, "grade").snapshot.name
    change(1)
    first_live = guard.before_write(ws, guard.LIVE)
    assert first_live.new
    change(2)
    again = guard.before_write(ws, guard.LIVE)  # moments later: no new copy
    assert not again.new and again.snapshot.name == first_live.snapshot.name
    monkeypatch.setattr(guard, "LIVE_INTERVAL", 0)
    for i in range(guard.LIVE_KEEP + 3):
        change(10 + i)
        assert guard.before_write(ws, guard.LIVE).new
    names = [s.name for s in guard.list_snapshots(ws)]
    assert trainers in names
    assert len([s for s in guard.list_snapshots(ws) if s.reason == guard.LIVE]) == guard.LIVE_KEEP
