"""``spptik check``: the curriculum is sound.

For every assignment in the manifest:
- ``assignments/<id>`` is what nbgrader generates from ``source/<id>`` today;
- the released notebooks hold no solution and no hidden test;
- the source solution passes every test (nbgrader's Validator);
- the blank release passes none (Validator with ``invert``);
and every committed notebook is clean (no outputs, no execution counts).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from nbgrader.validator import Validator
from traitlets.config import Config

from autograder.course import manifest, nbgrader_settings

LEAK_PATTERN = re.compile(r"BEGIN SOLUTION|END SOLUTION|BEGIN HIDDEN TESTS|END HIDDEN TESTS|"
                          r"MARK SCHEME")


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _comparable(nb: dict) -> list[tuple]:
    """What must match between a committed release and a fresh one."""
    return [(c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list) else c["source"],
             json.dumps(c.get("metadata", {}).get("nbgrader", {}), sort_keys=True))
            for c in nb["cells"]]


def generate_releases(assignment_ids: list[str], source_dir: Path = manifest.SOURCE_DIR) -> Path:
    """Generate every release into a temporary nbgrader course; return its release folder."""
    root = Path(tempfile.mkdtemp(prefix="spptik-check-"))
    for aid in assignment_ids:
        shutil.copytree(source_dir / aid, root / "source" / aid)
    c = Config()
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}"
    nbgrader_settings.apply(c)
    api = NbGraderAPI(coursedir=CourseDirectory(config=c), config=c)
    for aid in assignment_ids:
        result = api.generate_assignment(aid, force=True, create=True)
        if not result["success"]:
            raise RuntimeError(f"nbgrader gagal membuat versi peserta {aid}:\n{result['error']}")
    return root / "release"


def check_sync(assignment_ids: list[str], release_dir: Path = manifest.RELEASE_DIR,
               source_dir: Path = manifest.SOURCE_DIR) -> list[str]:
    problems = []
    fresh_root = generate_releases(assignment_ids, source_dir)
    try:
        for aid in assignment_ids:
            fresh = sorted((fresh_root / aid).glob("*.ipynb"))
            committed = sorted((release_dir / aid).glob("*.ipynb"))
            if [p.name for p in fresh] != [p.name for p in committed]:
                problems.append(f"{aid}: assignments/{aid} tidak sama dengan hasil nbgrader "
                                f"dari source/{aid} (jalankan: nbgrader generate_assignment "
                                f"{aid} --force)")
                continue
            for f, c in zip(fresh, committed, strict=True):
                if _comparable(json.loads(f.read_text())) != _comparable(json.loads(c.read_text())):
                    problems.append(f"{aid}/{c.name}: versi peserta tidak sinkron dengan sumbernya "
                                    f"(jalankan: nbgrader generate_assignment {aid} --force)")
    finally:
        shutil.rmtree(fresh_root.parent, ignore_errors=True)
    return problems


def check_no_leaks(assignment_ids: list[str], release_dir: Path = manifest.RELEASE_DIR) -> list[str]:
    problems = []
    for aid in assignment_ids:
        notebooks = sorted((release_dir / aid).glob("*.ipynb"))
        if not notebooks:
            problems.append(f"{aid}: tidak ada notebook peserta di assignments/{aid}")
        for path in notebooks:
            if LEAK_PATTERN.search(path.read_text(encoding="utf-8")):
                problems.append(f"{path}: memuat jawaban atau tes tersembunyi")
    return problems


def check_clean(paths: list[Path]) -> list[str]:
    """Committed notebooks carry no outputs, execution counts or personal metadata."""
    problems = []
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count")):
                problems.append(f"{path}: ada keluaran atau nomor eksekusi tersimpan")
                break
        extra = set(nb.get("metadata", {})) - {"kernelspec", "language_info", "title"}
        if extra:
            problems.append(f"{path}: metadata pribadi/berlebih: {', '.join(sorted(extra))}")
    return problems


def validate(path: Path, *, invert: bool) -> dict:
    c = Config()
    nbgrader_settings.apply(c)
    validator = Validator(config=c)
    validator.invert = invert
    return validator.validate(str(path))


def check_grading(assignment_ids: list[str], on_step: Callable[[str], None] | None = None,
                  release_dir: Path = manifest.RELEASE_DIR,
                  source_dir: Path = manifest.SOURCE_DIR) -> list[str]:
    problems = []
    for aid in assignment_ids:
        for path in sorted((source_dir / aid).glob("*.ipynb")):
            result = validate(path, invert=False)
            if result:
                failed = result.get("failed") or result.get("changed") or result.get("type_changed")
                problems.append(f"{aid}: solusi sumber tidak lulus semua tes "
                                f"({len(failed or [])} sel bermasalah)")
        for path in sorted((release_dir / aid).glob("*.ipynb")):
            result = validate(path, invert=True)
            if result:
                problems.append(f"{aid}: versi kosong peserta lulus "
                                f"{len(result.get('passed', []))} sel tes")
        if on_step:
            on_step(aid)
    return problems


def committed_notebooks() -> list[Path]:
    roots = [manifest.SOURCE_DIR, manifest.RELEASE_DIR, manifest.COURSE_DIR]
    return sorted(p for root in roots for p in root.rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


def check_curriculum(course: manifest.Course | None = None, *, execute: bool = True,
                     on_step: Callable[[str], None] | None = None) -> CheckReport:
    course = course or manifest.load_course()
    report = CheckReport()
    ids = course.assignment_ids
    missing = [a for a in ids if not (manifest.SOURCE_DIR / a).is_dir()]
    report.problems += [f"{a}: source/{a} tidak ada" for a in missing]
    ids = [a for a in ids if a not in missing]
    for module in course.modules:
        if module.lesson and not (course.root / module.lesson).is_file():
            report.problems.append(f"{module.id}: pelajaran {module.lesson} tidak ada")
    report.problems += check_no_leaks(ids)
    report.problems += check_clean(committed_notebooks())
    report.problems += check_sync(ids)
    if execute:
        report.problems += check_grading(ids, on_step=on_step)
    report.checked = ids
    return report
