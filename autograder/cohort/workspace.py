"""A cohort workspace: one training batch as an nbgrader course directory.

Layout (nbgrader's own names, plus the project's):

    nbgrader_config.py   reads kohort.toml; used by spptik, nbgrader and the formgrader
    kohort.toml          batch name, course id, gradebook URL, creation time
    course.toml          the manifest as it was at init (edit here to change this batch's rule)
    roster.csv           the participants (personal data: never commit)
    gradebook.db         nbgrader's gradebook (SQLite unless db_url says otherwise)
    source/ release/     nbgrader source and released assignments
    submitted/<peserta>/<tugas>/        what is graded (newest submission)
    arsip/<peserta>/<tugas>/<waktu>/    every earlier submission, never deleted
    karantina/<waktu>/                  files that could not be matched, with the reason
    autograded/ feedback/               nbgrader's outputs
    laporan/                            reports of collect and grade runs
"""

from __future__ import annotations

import contextlib
import functools
import re
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from traitlets.config import Config

from autograder.cohort.roster import Participant, read_roster, write_roster
from autograder.cohort.settings import CohortSettings, gradebook_url, read_settings, write_settings
from autograder.course import manifest, nbgrader_settings
from autograder.errors import SpptikError

if TYPE_CHECKING:
    from nbgrader.apps import NbGraderAPI

# nbgrader is imported where it is used: importing it costs over a second of CPU (it
# loads jupyter_server), which the main process of `spptik grade` does not need.

CONFIG_TEMPLATE = '''"""nbgrader configuration of this cohort workspace (written by `spptik init`)."""
import os

from autograder.course.nbgrader_settings import configure_workspace

c = get_config()  # noqa: F821
configure_workspace(c, os.path.dirname(os.path.abspath(__file__)))
'''


class WorkspaceError(SpptikError, RuntimeError):
    """A workspace cannot be created or opened (message in Indonesian)."""


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:40] or "kohort"


class Workspace:
    """An existing cohort workspace."""

    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()
        if not (self.root / "kohort.toml").is_file() or not (self.root / "nbgrader_config.py").is_file():
            raise WorkspaceError(
                f"{self.root} bukan ruang kerja kohort (tidak ada kohort.toml). "
                "Buat dulu dengan: spptik init DIR --roster peserta.csv"
            )
        self.settings: CohortSettings = read_settings(self.root)  # validated once, on opening
        self._course: manifest.Course | None = None
        self._participants: list[Participant] | None = None

    # Paths -----------------------------------------------------------------
    @property
    def submitted(self) -> Path:
        return self.root / "submitted"

    @property
    def autograded(self) -> Path:
        return self.root / "autograded"

    @property
    def feedback(self) -> Path:
        return self.root / "feedback"

    @property
    def archive(self) -> Path:
        return self.root / "arsip"

    @property
    def quarantine(self) -> Path:
        return self.root / "karantina"

    @property
    def reports(self) -> Path:
        return self.root / "laporan"

    def release_notebooks(self, assignment_id: str) -> list[Path]:
        return sorted((self.root / "release" / assignment_id).glob("*.ipynb"))

    # Contents --------------------------------------------------------------
    @property
    def info(self) -> dict:
        """kohort.toml as a plain dict (the validated :attr:`settings`, tables included)."""
        return self.settings.as_toml()

    @property
    def name(self) -> str:
        return self.settings.name

    @property
    def course(self) -> manifest.Course:
        if self._course is None:
            self._course = manifest.load_course(self.root / "course.toml")
        return self._course

    @property
    def participants(self) -> list[Participant]:
        if self._participants is None:
            self._participants = read_roster(self.root / "roster.csv")
        return self._participants

    def participant_ids(self) -> set[str]:
        return {p.id_peserta for p in self.participants}

    # nbgrader ----------------------------------------------------------------
    def config(self, isolated: bool = False) -> Config:
        c = Config()
        nbgrader_settings.configure_workspace(c, self.root)
        c.NbGraderAPI.log_level = "WARN"
        if isolated:
            nbgrader_settings.use_isolated_execution(c)
        return c

    def api(self, isolated: bool = False) -> NbGraderAPI:
        """nbgrader's API on this workspace; ``isolated`` runs kernels as execution.py says."""
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        config = self.config(isolated)
        coursedir = CourseDirectory(config=config)
        return NbGraderAPI(coursedir=coursedir, config=config)

    @functools.cached_property
    def db_url(self) -> str:
        return gradebook_url(self.root, self.settings)

    def engine(self):
        """An SQLAlchemy engine on the gradebook, for plain SQL reads (no nbgrader import)."""
        from sqlalchemy import create_engine

        return create_engine(self.db_url)

    @contextlib.contextmanager
    def gradebook(self):
        from nbgrader.api import Gradebook

        gb = Gradebook(self.db_url, self.settings.course_id)
        try:
            yield gb
        finally:
            gb.close()


def _now() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def init_workspace(
    root: str | Path,
    roster_path: str | Path,
    name: str | None = None,
    *,
    db_url: str | None = None,
    source_dir: Path = manifest.SOURCE_DIR,
    manifest_path: Path = manifest.MANIFEST_PATH,
) -> Workspace:
    """Create a cohort workspace from a roster; nothing is left behind if anything fails."""
    root = Path(root).resolve()
    participants = read_roster(roster_path)  # refused whole before anything is written
    course = manifest.load_course(manifest_path)
    if root.exists() and any(root.iterdir()):
        raise WorkspaceError(
            f"Folder {root} sudah ada dan tidak kosong. Pilih folder baru untuk kohort ini."
        )
    missing = [a for a in course.assignment_ids if not (source_dir / a).is_dir()]
    if missing:
        raise WorkspaceError(f"Tugas sumber tidak ditemukan di {source_dir}: {', '.join(missing)}")

    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}-", dir=root.parent))
    try:
        name = name or root.name
        course_id = slugify(name)
        write_settings(staging, CohortSettings(name=name, course_id=course_id, created=_now(),
                                               db_url=db_url or None))
        (staging / "nbgrader_config.py").write_text(CONFIG_TEMPLATE, encoding="utf-8")
        shutil.copy2(manifest_path, staging / "course.toml")
        write_roster(participants, staging / "roster.csv")
        for assignment_id in course.assignment_ids:
            shutil.copytree(source_dir / assignment_id, staging / "source" / assignment_id,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        for folder in ("submitted", "arsip", "karantina", "laporan", "exchange"):
            (staging / folder).mkdir()
        if root.exists():
            root.rmdir()
        staging.rename(root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

    try:
        ws = Workspace(root)
        _release_and_enrol(ws, participants)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return ws


def _release_and_enrol(ws: Workspace, participants: list[Participant]) -> None:
    api = ws.api()
    for assignment_id in ws.course.assignment_ids:
        result = api.generate_assignment(assignment_id, force=True, create=True)
        if not result["success"]:
            raise WorkspaceError(
                f"nbgrader gagal menyiapkan tugas {assignment_id}:\n{result.get('error', '')}"
            )
    with ws.gradebook() as gb:
        if gb.engine.dialect.name == "sqlite":
            with gb.engine.connect() as conn:  # readers never block the graders' writes
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        for p in participants:
            gb.update_or_create_student(
                p.id_peserta, first_name=p.first_name, last_name=p.last_name,
                email=p.email or None,
            )

