"""Export benchmark: a synthetic 10,000-participant gradebook, list and records.

Builds a cohort workspace whose nbgrader gradebook holds N participants (default
10,000) × every assignment, with scores for every grade cell (bulk-inserted
into nbgrader's own tables: grading 110,000 notebooks first would take hours),
then times `spptik export`'s parts: the completion list (CSV and Excel with
summaries), and the per-participant records (HTML through the nbconvert
exporter) on a sample. Prints the figures.

    python benchmarks/export.py [--n 10000] [--records 500]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]

from autograder.cohort.roster import write_roster  # noqa: E402
from autograder.cohort.workspace import Workspace, init_workspace  # noqa: E402
from autograder.demo import synthetic
from autograder.reports import export  # noqa: E402


def build(root: Path, n: int, seed: int = 5) -> Workspace:
    from nbgrader.api import (
        Assignment,
        Grade,
        GradeCell,
        Notebook,
        Student,
        SubmittedAssignment,
        SubmittedNotebook,
    )

    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    small = synthetic.make_roster(1, prefix="EXP")
    write_roster(small, root / "satu.csv")
    ws = init_workspace(root / "kohort", root / "satu.csv", "Benchmark ekspor (sintetis)")
    people = synthetic.make_roster(n, prefix="NAS")
    write_roster(people, ws.root / "roster.csv")
    with ws.gradebook() as gb:
        db = gb.db
        conn = db.connection()
        conn.execute(Student.__table__.insert(), [
            {"id": p.id_peserta, "first_name": p.first_name, "last_name": p.last_name}
            for p in people])
        cells = {}
        for aid, nb_id in db.query(Assignment.name, Notebook.id).join(
                Notebook, Notebook.assignment_id == Assignment.id).all():
            cells[aid] = (nb_id, db.query(GradeCell.id, GradeCell.max_score)
                          .filter(GradeCell.notebook_id == nb_id).all())
        assignment_ids = dict(db.query(Assignment.name, Assignment.id).all())
        now = datetime(2022, 5, 14, 12, 0)
        for p in people:
            skill = rng.random()
            subs, nbs, grades = [], [], []
            for aid, (nb_id, grade_cells) in cells.items():
                if rng.random() < 0.05:
                    continue  # some work never arrives
                sub_id, snb_id = uuid.uuid4().hex, uuid.uuid4().hex
                subs.append({"id": sub_id, "assignment_id": assignment_ids[aid],
                             "student_id": p.id_peserta, "timestamp": now})
                nbs.append({"id": snb_id, "assignment_id": sub_id, "notebook_id": nb_id,
                            "flagged": False})
                for cell_id, max_score in grade_cells:
                    got = max_score if rng.random() < skill + 0.3 else 0.0
                    grades.append({"id": uuid.uuid4().hex, "notebook_id": snb_id,
                                   "cell_id": cell_id, "auto_score": got,
                                   "manual_score": None, "extra_credit": None,
                                   "needs_manual_grade": False})
            conn.execute(SubmittedAssignment.__table__.insert(), subs)
            conn.execute(SubmittedNotebook.__table__.insert(), nbs)
            conn.execute(Grade.__table__.insert(), grades)
        db.commit()
    return Workspace(ws.root)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=500, help="rekam yang dibuat untuk diukur")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="spptik-ekspor-"))
    try:
        start = time.perf_counter()
        ws = build(base, args.n)
        print(f"gradebook sintetis: {args.n} peserta dalam {time.perf_counter() - start:.1f} s")

        from autograder.reports import completion
        from autograder.reports.scores import submission_scores

        parts = {}
        start = t = time.perf_counter()
        scores = submission_scores(ws)
        parts["baca gradebook"] = time.perf_counter() - t
        t = time.perf_counter()
        outcomes = completion.evaluate_all(ws.course, [p.id_peserta for p in ws.participants], scores)
        parts["aturan kelulusan"] = time.perf_counter() - t
        t = time.perf_counter()
        table = export.build_table(ws.name, ws.course, ws.participants, outcomes)
        summaries = {name: export.summarise(table, col) for name, col in export.SUMMARIES.items()}
        parts["tabel dan ringkasan"] = time.perf_counter() - t
        out = base / "ekspor"
        t = time.perf_counter()
        export.write_csv(table, out / "daftar_kelulusan.csv")
        parts["CSV"] = time.perf_counter() - t
        t = time.perf_counter()
        chart = export.write_chart(table, out / "kelulusan_per_provinsi.png")
        parts["grafik"] = time.perf_counter() - t
        t = time.perf_counter()
        export.write_xlsx(table, summaries, out / "daftar_kelulusan.xlsx", chart)
        parts["Excel"] = time.perf_counter() - t
        list_seconds = time.perf_counter() - start
        print(f"daftar kelulusan ({len(table)} baris; CSV, Excel dengan ringkasan, grafik): "
              f"{list_seconds:.1f} s")
        print("  rincian: " + ", ".join(f"{k} {v:.1f} s" for k, v in parts.items()))
        print("status:", table["Status"].value_counts().to_dict())

        sample = min(args.records, len(outcomes))
        start = time.perf_counter()
        sub = _Subset(ws, sample)
        export.write_records(sub, outcomes[:sample], out / "rekam")
        seconds = time.perf_counter() - start
        print(f"rekam HTML: {sample} dalam {seconds:.1f} s = {sample / seconds:.0f} rekam/detik")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


class _Subset:
    """The workspace seen through its first k participants (records are timed on a sample)."""

    def __init__(self, ws: Workspace, k: int):
        self._ws, self._k = ws, k

    def __getattr__(self, name):
        return getattr(self._ws, name)

    @property
    def participants(self):
        return self._ws.participants[: self._k]


if __name__ == "__main__":
    sys.exit(main())
