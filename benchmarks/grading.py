"""Grading benchmark: plain `nbgrader autograde` against `spptik grade`, same submissions.

Makes N synthetic submissions (default 100) from the curriculum's released
notebooks, with a realistic mix of right, partly right, blank and erroring
answers, spread over every assignment. The same workspace is copied twice:
plain nbgrader (its own CLI, one `nbgrader autograde <tugas>` per assignment,
the workspace's own nbgrader_config.py) grades one copy, `spptik grade` the
other. Prints both times, the ratio, and whether every cell's score agrees.

    python benchmarks/grading.py [--n 100] [--jobs N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]

from autograder import manifest, synthetic  # noqa: E402
from autograder.grading import default_jobs, grade  # noqa: E402
from autograder.intake import collect  # noqa: E402
from autograder.reference import autograde_with_nbgrader  # noqa: E402
from autograder.roster import write_roster  # noqa: E402
from autograder.scores import cell_scores  # noqa: E402
from autograder.workspace import Workspace, init_workspace  # noqa: E402

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
    shutil.copytree(template.root, base / "nbgrader")
    shutil.copytree(template.root, base / "spptik")
    peer, ours = Workspace(base / "nbgrader"), Workspace(base / "spptik")
    submissions = sum(1 for _ in ours.submitted.glob("*/*"))

    peer_seconds = autograde_with_nbgrader(peer)
    start = time.perf_counter()
    report = grade(ours, jobs=args.jobs)
    our_seconds = time.perf_counter() - start

    a, b = cell_scores(peer), cell_scores(ours)
    differ = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    print(f"kiriman: {submissions}, sel dinilai: {len(a)}")
    print(f"nbgrader autograde: {peer_seconds:.1f} s ({submissions / peer_seconds:.2f} kiriman/detik)")
    print(f"spptik grade --jobs {args.jobs}: {our_seconds:.1f} s "
          f"({submissions / our_seconds:.2f} kiriman/detik)")
    print(f"rasio kecepatan: {peer_seconds / our_seconds:.1f}×")
    print(f"nilai setiap sel sama: {'ya' if not differ else 'TIDAK'} "
          f"({len(differ)} sel berbeda dari {len(set(a) | set(b))})")
    for key in differ[:10]:
        print("  berbeda:", key, a.get(key), b.get(key))
    if report.failures:
        print(f"gagal dinilai: {len(report.failures)}")
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if not differ else 1


if __name__ == "__main__":
    sys.exit(main())
