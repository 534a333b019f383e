"""A shared gradebook on a real PostgreSQL server (issue 8).

Several trainers of one training site share one gradebook: nbgrader takes any
SQLAlchemy URL, and every ``spptik`` command reads the cohort's URL from
``kohort.toml`` (``spptik init --db-url``) or ``SPPTIK_DB_URL``. The server is
the Debian ``postgresql`` package's, started privately for these tests
(``pgserver.py``), or the one ``SPPTIK_TEST_PG_URL`` names.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect

from autograder.cli import main as cli
from autograder.cohort.workspace import Workspace, init_workspace
from autograder.demo import synthetic
from autograder.grading.run import GRADED, SKIPPED, grade
from autograder.intake.collect import collect
from autograder.reports.scores import cell_scores, submission_scores

import pgserver

pytestmark = pytest.mark.postgres

ASSIGNMENTS = ("m00", "m01", "m02")


@pytest.fixture(scope="module")
def postgres_admin_url():
    given = os.environ.get("SPPTIK_TEST_PG_URL")
    if given:
        yield given
        return
    server = pgserver.PrivateServer()
    try:
        server.start()
        yield server.url("postgres")
    finally:
        server.stop()


@pytest.fixture
def database(postgres_admin_url):
    url, name = pgserver.create_database(postgres_admin_url)
    yield url
    pgserver.drop_database(postgres_admin_url, name)


def _submissions(ws: Workspace, answer_keys, inbox: Path) -> int:
    rng = random.Random(8)
    made = 0
    for i, person in enumerate(sorted(ws.participants, key=lambda p: p.id_peserta)):
        for aid in ASSIGNMENTS:
            release, answers = answer_keys[aid]
            kind = (i + made) % 4
            nb = [synthetic.fill(release, answers), synthetic.partly(release, answers, 0.5, rng),
                  release, synthetic.fill(release, answers)][kind]
            if kind == 3:
                synthetic.answer_cells(nb)[0]["source"] += "\nraise RuntimeError('galat peserta')"
            synthetic.dump(nb, inbox / f"{person.id_peserta}_{aid}.ipynb")
            made += 1
    return made


def test_cohort_grades_in_parallel_into_postgresql(database, roster_file, answer_keys, tmp_path,
                                                    monkeypatch):
    roster = roster_file(6, prefix="PG")
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "pg"), "--roster", str(roster),
                                      "--name", "Uji PostgreSQL (sintetis)", "--db-url", database])
    assert result.exit_code == 0, result.output
    ws = Workspace(tmp_path / "pg")
    assert ws.db_url == database
    assert not (ws.root / "gradebook.db").exists()  # nothing went to SQLite by mistake
    engine = create_engine(database)
    assert engine.dialect.name == "postgresql"
    assert {"grade", "submitted_assignment", "student"} <= set(inspect(engine).get_table_names())
    engine.dispose()

    # the same submissions into an SQLite cohort, for comparison
    local = init_workspace(tmp_path / "sqlite", roster, "Uji SQLite (sintetis)")
    made = _submissions(ws, answer_keys, tmp_path / "kiriman")
    collect(ws, "-", [tmp_path / "kiriman"])
    collect(local, "-", [tmp_path / "kiriman"])

    report = grade(ws, jobs=4)  # four workers writing to the server at once
    assert report.count(GRADED) == made, [r.message for r in report.failures]
    grade(local, jobs=2)

    on_postgres, on_sqlite = cell_scores(ws), cell_scores(local)
    assert len(on_postgres) > 20
    assert on_postgres == on_sqlite
    scores = submission_scores(ws)
    assert len(scores) == made
    assert scores["score"].nunique() > 2

    again = grade(ws, jobs=4)  # interrupted or repeated runs pick up where they were
    assert again.count(SKIPPED) == made and again.count(GRADED) == 0

    out = tmp_path / "ekspor"
    result = CliRunner().invoke(cli, ["export", str(ws.root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    listing = next(out.glob("*.csv")).read_text(encoding="utf-8-sig")
    for person in ws.participants:
        assert person.id_peserta in listing

    # a second trainer's copy of the cohort folder, pointed at the site's gradebook
    second = tmp_path / "pelatih-2"
    shutil.copytree(ws.root, second)
    meta = second / "kohort.toml"
    meta.write_text("".join(line for line in meta.read_text(encoding="utf-8").splitlines(True)
                            if not line.startswith("db_url")), encoding="utf-8")
    assert Workspace(second).db_url != database
    monkeypatch.setenv("SPPTIK_DB_URL", database)
    assert Workspace(second).db_url == database
    assert cell_scores(Workspace(second)) == on_postgres
