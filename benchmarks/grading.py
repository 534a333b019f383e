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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]

from autograder.cohort.roster import write_roster  # noqa: E402
from autograder.cohort.workspace import Workspace, init_workspace  # noqa: E402
from autograder.course import manifest  # noqa: E402
from autograder.demo import synthetic
from autograder.grading.reference import autograde_with_nbgrader  # noqa: E402
from autograder.grading.run import default_jobs  # noqa: E402
from autograder.intake.collect import collect  # noqa: E402
from autograder.reports.scores import cell_scores  # noqa: E402

ERROR_CELL = "raise ValueError('kode peserta yang salah')"


def make_cohort(root: Path, n: int, seed: int = 11) -> Workspace:
    rng = random.Random(seed)
    course = manifest.load_course()
    aids = course.assignment_ids
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="jumlah kiriman")
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--keep", type=Path, default=None, help="simpan ruang kerja di sini")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="spptik-bench-")) if args.keep is None else args.keep
    base.mkdir(parents=True, exist_ok=True)
    print(f"Menyiapkan {args.n} kiriman sintetis di {base} …", flush=True)
    template = make_cohort(base / "templat", args.n)
    copies = {name: Workspace(shutil.copytree(template.root, base / name))
              for name in ("nbgrader", "spptik-1", "spptik-2")}
    submissions = sum(1 for _ in copies["nbgrader"].submitted.glob("*/*"))

    ours = [spptik_grade(copies["spptik-1"], args.jobs)]
    peer_seconds = autograde_with_nbgrader(copies["nbgrader"])
    ours.append(spptik_grade(copies["spptik-2"], args.jobs))
    our_seconds = sum(ours) / len(ours)

    reference = cell_scores(copies["nbgrader"])
    differ = set()
    for name in ("spptik-1", "spptik-2"):
        mine = cell_scores(copies[name])
        differ |= {(name, k, reference.get(k), mine.get(k))
                   for k in set(reference) | set(mine) if reference.get(k) != mine.get(k)}
    print(f"kiriman: {submissions}, sel dinilai: {len(reference)}")
    print(f"nbgrader autograde: {peer_seconds:.1f} s ({submissions / peer_seconds:.2f} kiriman/detik)")
    print(f"spptik grade --jobs {args.jobs}: {ours[0]:.1f} s sebelum, {ours[1]:.1f} s sesudah nbgrader; "
          f"rata-rata {our_seconds:.1f} s ({submissions / our_seconds:.2f} kiriman/detik)")
    print(f"rasio kecepatan: {peer_seconds / our_seconds:.1f}× "
          f"(per putaran: {peer_seconds / ours[0]:.1f}× dan {peer_seconds / ours[1]:.1f}×)")
    print(f"nilai setiap sel sama: {'ya' if not differ else 'TIDAK'} "
          f"({len(differ)} sel berbeda dari {len(reference)} × 2 putaran)")
    for item in sorted(differ)[:10]:
        print("  berbeda:", *item)
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if not differ else 1


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
