"""Grading benchmark: plain `nbgrader autograde` against `spptik grade`, same submissions.

Makes N synthetic submissions (default 100) from the curriculum's released
notebooks, with a realistic mix of right, partly right, blank and erroring
answers, spread over every assignment. Both sides run as a trainer runs them,
as commands, each timed from start to finish: plain nbgrader (its own CLI, one
`nbgrader autograde <tugas>` per assignment, the workspace's own
nbgrader_config.py) grades one copy of the workspace; `spptik grade` grades two
other copies, once before and once after nbgrader. This machine's speed drifts
by several per cent within minutes, and nbgrader takes minutes where spptik
takes under a minute: the ratio uses the mean of spptik's two runs, so that
both sides are measured across the same stretch of time. Prints every time,
the ratio, and whether every cell's score agrees (in both of spptik's runs).

    python benchmarks/grading.py [--n 100] [--jobs N] [--keep DIR]
    python benchmarks/grading.py --n 60 --tugas            # each assignment alone, then the mix
    python benchmarks/grading.py --n 100 --tugas m03 --tanpa-campuran
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]

from autograder.cohort.roster import write_roster  # noqa: E402
from autograder.cohort.workspace import Workspace, init_workspace  # noqa: E402
from autograder.course import manifest  # noqa: E402
from autograder.demo import synthetic  # noqa: E402
from autograder.grading.reference import autograde_with_nbgrader  # noqa: E402
from autograder.grading.run import default_jobs  # noqa: E402
from autograder.intake.collect import collect  # noqa: E402
from autograder.reports.scores import cell_scores  # noqa: E402

ERROR_CELL = "raise ValueError('kode peserta yang salah')"


def make_cohort(root: Path, n: int, assignments: list[str] | None = None, seed: int = 11) -> Workspace:
    """N synthetic submissions spread over ``assignments`` (default: every assignment, the mix)."""
    rng = random.Random(seed)
    course = manifest.load_course()
    aids = assignments or course.assignment_ids
    people = synthetic.make_roster(max(1, (n + len(aids) - 1) // len(aids)), prefix="BEN")
    root.mkdir(parents=True, exist_ok=True)
    write_roster(people, root / "peserta.csv")
    ws = init_workspace(root / "kohort", root / "peserta.csv", "Benchmark (sintetis)")
    keys = {}
    for aid in aids:
        source = synthetic.load(next((manifest.SOURCE_DIR / aid).glob("*.ipynb")))
        keys[aid] = (synthetic.load(ws.release_notebooks(aid)[0]), synthetic.solution_answers(source))
    inbox = root / "kiriman"
    made = 0
    for person in people:
        for aid in aids:
            if made == n:
                break
            release, answers = keys[aid]
            kind = rng.choices(["benar", "sebagian", "kosong", "galat"], [5, 3, 1, 1])[0]
            if kind == "benar":
                nb = synthetic.fill(release, answers)
            elif kind == "sebagian":
                nb = synthetic.partly(release, answers, 0.5, rng)
            elif kind == "kosong":
                nb = release
            else:
                nb = synthetic.fill(release, answers)
                cells = synthetic.answer_cells(nb)
                cells[rng.randrange(len(cells))]["source"] += "\n" + ERROR_CELL
            synthetic.dump(nb, inbox / f"{person.id_peserta}_{aid}.ipynb")
            made += 1
    collect(ws, "-", [inbox])
    return ws


@dataclass
class Measurement:
    label: str
    submissions: int
    cells: int
    peer: float
    ours: tuple[float, float]
    differ: list[tuple]

    @property
    def our_mean(self) -> float:
        return sum(self.ours) / len(self.ours)

    @property
    def ratio(self) -> float:
        return self.peer / self.our_mean


def measure(base: Path, label: str, n: int, jobs: int, assignments: list[str] | None) -> Measurement:
    """One workload: spptik, then plain nbgrader, then spptik again, on copies of one cohort."""
    template = make_cohort(base / label / "templat", n, assignments)
    copies = {name: Workspace(shutil.copytree(template.root, base / label / name))
              for name in ("nbgrader", "spptik-1", "spptik-2")}
    submissions = sum(1 for _ in copies["nbgrader"].submitted.glob("*/*"))
    first = spptik_grade(copies["spptik-1"], jobs)
    peer = autograde_with_nbgrader(copies["nbgrader"], assignments)
    second = spptik_grade(copies["spptik-2"], jobs)
    reference = cell_scores(copies["nbgrader"])
    differ = []
    for name in ("spptik-1", "spptik-2"):
        mine = cell_scores(copies[name])
        differ += [(name, k, reference.get(k), mine.get(k))
                   for k in sorted(set(reference) | set(mine)) if reference.get(k) != mine.get(k)]
    shutil.rmtree(base / label, ignore_errors=True)
    return Measurement(label, submissions, len(reference), peer, (first, second), differ)


def report(m: Measurement, jobs: int) -> None:
    print(f"[{m.label}] kiriman: {m.submissions}, sel dinilai: {m.cells}; "
          f"nbgrader autograde {m.peer:.1f} s; spptik grade --jobs {jobs}: {m.ours[0]:.1f} s sebelum, "
          f"{m.ours[1]:.1f} s sesudah; rasio {m.ratio:.1f}× "
          f"(per putaran {m.peer / m.ours[0]:.1f}× dan {m.peer / m.ours[1]:.1f}×); "
          f"nilai setiap sel sama: {'ya' if not m.differ else 'TIDAK (' + str(len(m.differ)) + ' sel)'}",
          flush=True)
    for item in m.differ[:10]:
        print("  berbeda:", *item)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="jumlah kiriman (per tugas dengan --tugas)")
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--tugas", nargs="*", default=None,
                        help="ukur setiap tugas ini sendiri-sendiri (tanpa nama: semua tugas)")
    parser.add_argument("--tanpa-campuran", action="store_true",
                        help="jangan ukur beban campuran (semua tugas sekaligus)")
    parser.add_argument("--keep", type=Path, default=None, help="simpan ruang kerja di sini")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="spptik-bench-")) if args.keep is None else args.keep
    base.mkdir(parents=True, exist_ok=True)
    workloads: list[tuple[str, list[str] | None]] = []
    if args.tugas is not None:
        workloads += [(aid, [aid]) for aid in (args.tugas or manifest.load_course().assignment_ids)]
    if not args.tanpa_campuran:
        workloads.append(("campuran", None))
    results = []
    for label, assignments in workloads:
        print(f"Menyiapkan {args.n} kiriman sintetis ({label}) di {base} …", flush=True)
        results.append(measure(base, label, args.n, args.jobs, assignments))
        report(results[-1], args.jobs)
    print("\n| beban | kiriman | nbgrader (s) | spptik (s, dua putaran) | rasio | nilai sama |")
    print("|---|---:|---:|---:|---:|---|")
    for m in results:
        print(f"| {m.label} | {m.submissions} | {m.peer:.1f} | {m.ours[0]:.1f} / {m.ours[1]:.1f} | "
              f"{m.ratio:.1f}× | {'ya' if not m.differ else 'TIDAK'} |")
    worst = min(results, key=lambda m: min(m.peer / o for o in m.ours))
    print(f"terburuk: {worst.label}, {min(worst.peer / o for o in worst.ours):.1f}× (putaran terlambat)")
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if not any(m.differ for m in results) else 1


def spptik_grade(ws: Workspace, jobs: int) -> float:
    """`spptik grade` as a trainer runs it: the command, timed from start to finish."""
    spptik = os.path.join(os.path.dirname(sys.executable), "spptik")
    start = time.perf_counter()
    done = subprocess.run([spptik, "grade", str(ws.root), "--jobs", str(jobs)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        print(f"spptik grade melaporkan kiriman gagal (kode {done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


if __name__ == "__main__":
    sys.exit(main())
