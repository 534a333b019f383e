"""The gradebook is checked before anything writes it, and a snapshot is kept before each run.

nbgrader opens whatever its URL points at: a gradebook overwritten with a few
bytes, emptied or deleted is silently taken for a new, empty one, and the next
run writes into it. Here every command that writes the gradebook first checks it
against the cohort (a readable database with nbgrader's tables, the assignments
of ``course.toml``, the participants of ``roster.csv``) and refuses when it falls
short, naming the snapshot to restore.

Snapshots live in the cohort's ``cadangan/`` folder: SQLite's online backup API
(consistent while others read or write), or ``pg_dump`` for PostgreSQL where the
binary exists. The last ``KEEP`` are kept (``cadangan_disimpan`` in
``kohort.toml`` changes it); a run that finds the gradebook unchanged since the
newest snapshot takes none, so runs that change nothing never push the history
out. Copies taken by a restore (``sebelum-pulihkan``) and copies of damaged files
(``rusak``) are never rotated away.

Restoring (``spptik pulihkan``) first keeps the current state, then replaces the
gradebook in one step: SQLite's backup API into the live database (a single
transaction, safe with the WAL journal) or, when the live file is not a
database, a complete new file renamed over it; for PostgreSQL one ``psql``
transaction replaying a ``--clean`` dump.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from autograder.cohort.workspace import Workspace, WorkspaceError
from autograder.files import write_atomic

SNAPSHOT_DIR = "cadangan"
KEEP = 10
# The live grading service (site/live.py) writes the gradebook every few seconds in class: its
# snapshots are taken at most every LIVE_INTERVAL seconds and rotate among themselves, so that
# they never push the trainer's own snapshots out of cadangan/.
LIVE = "langsung"
LIVE_INTERVAL = 30 * 60
LIVE_KEEP = 6
EXIT_CODE = 4  # `spptik` exits with this when it refuses a damaged or missing gradebook (3: no sandbox)

# nbgrader's own tables (nbgrader.api's metadata; importing nbgrader costs seconds of CPU,
# which the main process of `spptik grade` avoids, so a test keeps this list in step).
NBGRADER_TABLES = frozenset({
    "assignment", "base_cell", "comment", "course", "grade", "grade_cells", "notebook",
    "solution_cells", "source_cell", "student", "submitted_assignment", "submitted_notebook",
    "task_cells",
})

BEFORE_RESTORE = "sebelum-pulihkan"
REBUILT = "sebelum-baru"
DAMAGED = "rusak"
NEVER_ROTATED = (BEFORE_RESTORE, REBUILT, DAMAGED)
REASON_LABELS = {
    "grade": "sebelum spptik grade",
    "feedback": "sebelum spptik feedback",
    "lab": "sebelum Formgrader (spptik lab)",
    LIVE: "penilaian langsung (layanan situs, paling sering tiap 30 menit)",
    BEFORE_RESTORE: "keadaan sebelum spptik pulihkan",
    DAMAGED: "salinan berkas yang rusak (tidak dapat dipulihkan)",
    REBUILT: "keadaan sebelum gradebook baru dibuat",
}

_NAME = re.compile(r"^gradebook-(?P<stamp>\d{8}T\d{6}\.\d{3}Z)-(?P<reason>[a-z0-9-]+)\.(?P<ext>db|sql)$")


class GradebookError(WorkspaceError):
    """The gradebook is damaged, missing, or cannot be snapshotted or restored (Indonesian)."""


@dataclass
class Health:
    """What a look at a gradebook found: ``problems`` is empty when it is sound."""

    problems: list[str] = field(default_factory=list)
    missing: bool = False          # no database at all (deleted file, dropped database)
    readable: bool = False         # a database that answers queries (SQLite: not garbage)
    participants: int = 0
    submissions: int = 0

    @property
    def sound(self) -> bool:
        return not self.problems


@dataclass
class Snapshot:
    path: Path
    created: datetime
    reason: str

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)

    @property
    def restorable(self) -> bool:
        return self.reason != DAMAGED


@dataclass
class SnapshotResult:
    """What ``snapshot`` did: a new file, the unchanged newest one, or why none was taken."""

    snapshot: Snapshot | None
    new: bool = False
    note: str = ""


# Where the gradebook is -------------------------------------------------------------

def _url(ws: Workspace):
    from sqlalchemy.engine import make_url

    return make_url(ws.db_url)


def is_sqlite(ws: Workspace) -> bool:
    return _url(ws).get_backend_name() == "sqlite"


def sqlite_path(ws: Workspace) -> Path:
    return Path(_url(ws).database)


def snapshot_dir(ws: Workspace) -> Path:
    return ws.root / SNAPSHOT_DIR


def keep_count(ws: Workspace) -> int:
    return ws.settings.cadangan_disimpan or KEEP


def _safe_url(ws: Workspace) -> str:
    return _url(ws).render_as_string(hide_password=True)


# Checking -----------------------------------------------------------------------------

def _sqlite_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection that never creates a file (``mode=ro``)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=60)


def _probe(ws: Workspace, query) -> Health:
    """Run ``query(sql, params) -> rows`` checks against the cohort."""
    health = Health(readable=True)
    tables = {row[0] for row in query("__tables__", {})}
    if not tables & NBGRADER_TABLES:
        health.problems.append("basis datanya kosong: tidak ada satu pun tabel nbgrader")
        return health
    absent = sorted(NBGRADER_TABLES - tables)
    if absent:
        health.problems.append(f"tabel nbgrader tidak ada: {', '.join(absent)}")
        return health
    course_id = ws.settings.course_id
    rows = query("SELECT a.name, COUNT(n.id) FROM assignment a "
                 "LEFT JOIN notebook n ON n.assignment_id = a.id "
                 "WHERE a.course_id = :course GROUP BY a.name", {"course": course_id})
    notebooks = {name: count for name, count in rows}
    wanted = ws.course.assignment_ids
    missing = [a for a in wanted if a not in notebooks]
    if len(missing) == len(wanted):
        health.problems.append(f"tidak memuat satu pun tugas kohort ini ({len(wanted)} tugas di "
                               f"course.toml, kursus '{course_id}')")
    elif missing:
        health.problems.append(f"tidak memuat tugas: {', '.join(missing)} (ada di course.toml)")
    empty = [a for a in wanted if notebooks.get(a) == 0]
    if empty:
        health.problems.append(f"tugas tanpa notebook: {', '.join(empty)}")
    students = {row[0] for row in query("SELECT id FROM student", {})}
    roster = sorted(ws.participant_ids())
    absent_people = [p for p in roster if p not in students]
    if absent_people and len(absent_people) == len(roster):
        health.problems.append(f"tidak memuat satu pun peserta dari roster.csv ({len(roster)} peserta)")
    elif absent_people:
        shown = ", ".join(absent_people[:8]) + (" …" if len(absent_people) > 8 else "")
        health.problems.append(f"tidak memuat {len(absent_people)} peserta dari roster.csv: {shown}")
    health.participants = len(students & set(roster))
    health.submissions = query("SELECT COUNT(*) FROM submitted_assignment", {})[0][0]
    return health


def inspect_sqlite_file(ws: Workspace, path: Path) -> Health:
    """Check one SQLite file (the live gradebook or a snapshot) against the cohort."""
    if not path.is_file():
        return Health(problems=[f"berkas {path.name} tidak ada"], missing=True)
    if path.stat().st_size == 0:
        return Health(problems=[f"berkas {path.name} kosong (0 bita)"])
    try:
        conn = _sqlite_ro(path)
    except sqlite3.Error as exc:
        return Health(problems=[f"berkas {path.name} tidak dapat dibuka: {exc}"])
    try:
        check = conn.execute("PRAGMA quick_check").fetchall()
        if check != [("ok",)]:
            return Health(problems=[f"berkas {path.name} rusak: {check[0][0]}"])

        def query(sql, params):
            if sql == "__tables__":
                sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
            return conn.execute(sql, params).fetchall()

        return _probe(ws, query)
    except sqlite3.DatabaseError as exc:
        return Health(problems=[f"berkas {path.name} bukan basis data SQLite yang utuh ({exc}); "
                                f"ukurannya {path.stat().st_size} bita"])
    finally:
        conn.close()


def _inspect_server(ws: Workspace) -> Health:
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine(ws.db_url)
    try:
        with engine.connect() as conn:
            def query(sql, params):
                if sql == "__tables__":
                    return [(t,) for t in inspect(conn).get_table_names()]
                return conn.execute(text(sql), params).all()

            return _probe(ws, query)
    except SQLAlchemyError as exc:
        first = str(getattr(exc, "orig", exc)).strip().splitlines()
        reason = first[0] if first else type(exc).__name__
        missing = "does not exist" in reason
        return Health(problems=[f"gradebook {_safe_url(ws)} tidak dapat dibuka: {reason}"],
                      missing=missing)
    finally:
        engine.dispose()


def inspect_gradebook(ws: Workspace) -> Health:
    """Check the cohort's gradebook; nothing is written (SQLite is opened read-only)."""
    if is_sqlite(ws):
        return inspect_sqlite_file(ws, sqlite_path(ws))
    return _inspect_server(ws)


def check(ws: Workspace) -> Health:
    """Raise ``GradebookError`` (what is wrong, which snapshot to restore) unless sound."""
    health = inspect_gradebook(ws)
    if not health.sound:
        raise GradebookError(refusal_message(ws, health))
    return health


def refusal_message(ws: Workspace, health: Health) -> str:
    where = sqlite_path(ws) if is_sqlite(ws) else _safe_url(ws)
    what = "tidak ada" if health.missing else "rusak atau tidak lengkap"
    lines = [f"Gradebook kohort ini {what} ({where}); tidak ada yang ditulis.",
             *[f"  - {p}" for p in health.problems]]
    folder = shlex.quote(str(ws.root))
    if health.readable and all(p.startswith("tidak memuat") and "satu pun" not in p
                               for p in health.problems):
        lines += ["Bila peserta atau tugas itu baru ditambahkan ke roster.csv atau course.toml, "
                  "daftarkan ke gradebook (nilai yang ada tetap):",
                  f"  spptik pulihkan {folder} --baru"]
    good = newest_restorable(ws)
    if good is not None:
        lines += ["Pulihkan cadangan terakhir yang utuh "
                  f"({good.created.astimezone():%d-%m-%Y %H:%M}, {good.label}):",
                  f"  spptik pulihkan {folder} {good.name}",
                  f"Daftar semua cadangan: spptik pulihkan {folder}"]
    else:
        lines += [f"Belum ada cadangan di {snapshot_dir(ws)}.",
                  "Bila berkas gradebook dipindahkan, kembalikan berkasnya. Bila tidak dapat "
                  "diselamatkan, buat gradebook baru lalu nilai ulang semua kiriman "
                  "(nilai manual harus diisi ulang):",
                  f"  spptik pulihkan {folder} --baru && spptik grade {folder} --force"]
    return "\n".join(lines)


# Snapshots ----------------------------------------------------------------------------

def list_snapshots(ws: Workspace) -> list[Snapshot]:
    """Snapshots in ``cadangan/``, newest first."""
    found = []
    folder = snapshot_dir(ws)
    if folder.is_dir():
        for path in folder.iterdir():
            if _NAME.match(path.name) and path.is_file():
                found.append(_as_snapshot(path))
    return sorted(found, key=lambda s: s.name[len("gradebook-"):], reverse=True)


def newest_restorable(ws: Workspace) -> Snapshot | None:
    """The newest snapshot that is itself sound (SQLite snapshots are checked)."""
    for snap in list_snapshots(ws):
        if not snap.restorable:
            continue
        if snap.path.suffix == ".db" and not inspect_sqlite_file(ws, snap.path).sound:
            continue
        return snap
    return None


def _new_name(ws: Workspace, reason: str, ext: str) -> Path:
    folder = snapshot_dir(ws)
    folder.mkdir(exist_ok=True)
    while True:
        now = datetime.now(UTC)
        path = folder / f"gradebook-{now:%Y%m%dT%H%M%S}.{now.microsecond // 1000:03d}Z-{reason}.{ext}"
        if not path.exists():
            return path


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _backup_sqlite(source: Path, target: Path) -> None:
    """A consistent, self-contained copy of ``source`` (rollback journal, no ``-wal`` beside it)."""
    src = _sqlite_ro(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


def snapshot(ws: Workspace, reason: str, *, rotate: bool = True) -> SnapshotResult:
    """Keep a copy of the gradebook as it is now in ``cadangan/``; the last few are kept."""
    if is_sqlite(ws):
        result = _snapshot_sqlite(ws, reason)
    else:
        result = _snapshot_server(ws, reason)
    if rotate and result.new:
        prune(ws)
    return result


def _snapshot_sqlite(ws: Workspace, reason: str) -> SnapshotResult:
    live = sqlite_path(ws)
    folder = snapshot_dir(ws)
    folder.mkdir(exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".sementara-", suffix=".db", dir=folder)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        _backup_sqlite(live, tmp_path)
        if reason not in NEVER_ROTATED:
            latest = next((s for s in list_snapshots(ws) if s.path.suffix == ".db"
                           and s.reason not in NEVER_ROTATED), None)
            if latest is not None and _digest(latest.path) == _digest(tmp_path):
                return SnapshotResult(latest, new=False, note="gradebook tidak berubah sejak cadangan ini")
        target = _new_name(ws, reason, "db")
        _same_mode(live, tmp_path)
        tmp_path.replace(target)
    finally:
        tmp_path.unlink(missing_ok=True)
    return SnapshotResult(_as_snapshot(target), new=True)


def _as_snapshot(path: Path) -> Snapshot:
    match = _NAME.match(path.name)
    if match is None:  # names come from _new_name, or were matched by list_snapshots
        raise ValueError(f"{path.name} bukan nama berkas cadangan gradebook")
    created = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S.%fZ").replace(tzinfo=UTC)
    return Snapshot(path, created, match["reason"])


def _same_mode(model: Path, path: Path) -> None:
    """Give ``path`` the permission bits of ``model`` (temporary files start as 0600)."""
    try:
        path.chmod(model.stat().st_mode & 0o777)
    except OSError:
        pass


def prune(ws: Workspace) -> list[Path]:
    """Remove all but the newest ``keep_count`` rotating snapshots; returns what went."""
    rotating = [s for s in list_snapshots(ws) if s.reason not in NEVER_ROTATED]
    live = [s for s in rotating if s.reason == LIVE]
    own = [s for s in rotating if s.reason != LIVE]
    gone = []
    for old in [*own[keep_count(ws):], *live[LIVE_KEEP:]]:
        old.path.unlink(missing_ok=True)
        gone.append(old.path)
    return gone


# PostgreSQL ---------------------------------------------------------------------------

def pg_environment(url: str) -> dict[str, str]:
    """libpq's variables for ``url``: the password travels in the environment, never in argv."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    env = dict(os.environ)  # the trainer's own tool: ~/.pgpass, PGSSLROOTCERT... as for nbgrader
    query = dict(parsed.query)
    host = query.get("host") or parsed.host
    pairs = {"PGHOST": host, "PGPORT": query.get("port") or parsed.port,
             "PGUSER": parsed.username, "PGPASSWORD": parsed.password,
             "PGDATABASE": parsed.database, "PGSSLMODE": query.get("sslmode")}
    env.update({key: str(value) for key, value in pairs.items() if value})
    return env


def pg_dump_command(url: str, out: Path) -> tuple[list[str], dict[str, str]]:
    """``pg_dump`` of the whole gradebook as SQL that drops and recreates its tables."""
    binary = shutil.which("pg_dump") or "pg_dump"
    argv = [binary, "--format=plain", "--clean", "--if-exists", "--no-owner", "--no-privileges",
            f"--file={out}"]
    return argv, pg_environment(url)


def pg_restore_command(url: str, dump: Path) -> tuple[list[str], dict[str, str]]:
    """``psql`` replaying a dump in one transaction: all of it, or nothing."""
    binary = shutil.which("psql") or "psql"
    argv = [binary, "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1",
            f"--file={dump}"]
    return argv, pg_environment(url)


def _run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        why = (done.stderr or done.stdout).strip().splitlines()
        raise GradebookError(f"{Path(argv[0]).name} gagal (kode {done.returncode}): "
                             f"{why[-1] if why else 'sebab tidak diketahui'}")


def _snapshot_server(ws: Workspace, reason: str) -> SnapshotResult:
    if _url(ws).get_backend_name() != "postgresql":
        return SnapshotResult(None, note=f"cadangan otomatis tidak tersedia untuk gradebook "
                                         f"{_url(ws).get_backend_name()}; buat cadangan sendiri")
    if shutil.which("pg_dump") is None:
        return SnapshotResult(None, note="tidak ada cadangan: pg_dump tidak terpasang (paket Debian "
                                         "'postgresql-client'); gradebook PostgreSQL tidak dicadangkan")
    target = _new_name(ws, reason, "sql")
    write_atomic(target, lambda partial: _run(*pg_dump_command(ws.db_url, partial)))
    return SnapshotResult(_as_snapshot(target), new=True)


# The hook every writer calls ------------------------------------------------------------

def before_write(ws: Workspace, reason: str) -> SnapshotResult:
    """Refuse a damaged or missing gradebook; else keep a snapshot. Call before writing it."""
    check(ws)
    if reason == LIVE:
        latest = next((s for s in list_snapshots(ws) if s.reason == LIVE), None)
        if latest is not None and (datetime.now(UTC) - latest.created).total_seconds() < LIVE_INTERVAL:
            return SnapshotResult(latest, new=False, note="cadangan penilaian langsung terbaru masih baru")
    return snapshot(ws, reason)


def status_line(ws: Workspace) -> str:
    """One line for the trainer: where the newest snapshot is, or why there is none."""
    if not is_sqlite(ws) and _url(ws).get_backend_name() == "postgresql" and not shutil.which("pg_dump"):
        return "Tidak ada cadangan gradebook: pg_dump tidak terpasang (paket 'postgresql-client')."
    snaps = [s for s in list_snapshots(ws) if s.restorable]
    if not snaps:
        return "Belum ada cadangan gradebook."
    return f"Cadangan gradebook terbaru: {snaps[0].path} ({len(snaps)} cadangan di {snapshot_dir(ws)})"


# What the trainer sees; a new cohort ----------------------------------------------

def describe(ws: Workspace, snap: Snapshot) -> str:
    """What a snapshot holds, for the list a trainer picks from."""
    size = f"{snap.path.stat().st_size / 1024:,.0f} KB"
    if snap.path.suffix != ".db" or not snap.restorable:
        return size
    health = inspect_sqlite_file(ws, snap.path)
    if not health.sound:
        return f"{size}; tidak utuh: {health.problems[0]}"
    return f"{size}; {health.participants} peserta, {health.submissions} kiriman dinilai"


def listing(ws: Workspace) -> list[str]:
    """What ``spptik pulihkan DIR`` prints: the gradebook's state and every snapshot."""
    health = inspect_gradebook(ws)
    state = (f"utuh ({health.participants} peserta, {health.submissions} kiriman)" if health.sound
             else "TIDAK UTUH: " + "; ".join(health.problems))
    snaps = list_snapshots(ws)
    lines = [f"Gradebook sekarang: {state}",
             f"{len(snaps)} cadangan di {snapshot_dir(ws)} (terbaru di atas):"]
    for snap in snaps:
        lines += [f"  {snap.name}",
                  f"      {snap.created.astimezone():%d-%m-%Y %H:%M:%S} · {snap.label} · "
                  f"{describe(ws, snap)}"]
    lines.append(f"Pulihkan satu: spptik pulihkan {shlex.quote(str(ws.root))} NAMA-CADANGAN")
    return lines


def ensure_unused(db_url: str) -> None:
    """Refuse to start a new cohort in a database that already holds a gradebook."""
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and (not url.database or not Path(url.database).is_file()):
        return
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not {"assignment", "student"} <= set(inspect(conn).get_table_names()):
                return
            held = conn.execute(text("SELECT (SELECT COUNT(*) FROM assignment) "
                                     "+ (SELECT COUNT(*) FROM student)")).scalar()
    except SQLAlchemyError:
        return  # unreachable: init reports that itself
    finally:
        engine.dispose()
    if held:
        raise GradebookError(f"Basis data {url.render_as_string(hide_password=True)} sudah berisi "
                             "gradebook (tugas atau peserta); tidak ada yang ditulis. Untuk kohort "
                             "baru, pakai basis data yang baru dan kosong.")


# Restoring ---------------------------------------------------------------------------

@dataclass
class RestoreResult:
    restored: Snapshot
    kept: list[Path] = field(default_factory=list)  # what was saved of the state before
    health: Health | None = None


def find_snapshot(ws: Workspace, name: str) -> Snapshot:
    for snap in list_snapshots(ws):
        if snap.name == name or str(snap.path) == name or snap.path == Path(name).resolve():
            return snap
    raise GradebookError(f"Cadangan '{name}' tidak ada di {snapshot_dir(ws)}. "
                         f"Lihat daftarnya: spptik pulihkan {shlex.quote(str(ws.root))}")


def restore(ws: Workspace, name: str) -> RestoreResult:
    """Make the gradebook the snapshot ``name`` again, keeping the current state first."""
    snap = find_snapshot(ws, name)
    if not snap.restorable:
        raise GradebookError(f"{snap.name} adalah salinan berkas yang rusak; pilih cadangan lain.")
    if is_sqlite(ws):
        if snap.path.suffix != ".db":
            raise GradebookError(f"{snap.name} adalah cadangan PostgreSQL; gradebook kohort ini SQLite.")
        health = inspect_sqlite_file(ws, snap.path)
        if not health.sound:
            raise GradebookError(f"Cadangan {snap.name} sendiri tidak utuh; pilih cadangan lain:\n"
                                 + "\n".join(f"  - {p}" for p in health.problems))
        kept = _keep_current_sqlite(ws)
        _restore_sqlite(ws, snap.path)
    else:
        if snap.path.suffix != ".sql":
            raise GradebookError(f"{snap.name} adalah cadangan SQLite; gradebook kohort ini "
                                 f"{_url(ws).get_backend_name()}.")
        kept = _keep_current_server(ws)
        argv, env = pg_restore_command(ws.db_url, snap.path)
        if shutil.which(argv[0]) is None:
            raise GradebookError("psql tidak terpasang (paket Debian 'postgresql-client'): "
                                 "cadangan PostgreSQL tidak dapat dipulihkan di mesin ini.")
        _run(argv, env)
    return RestoreResult(snap, kept, inspect_gradebook(ws))


def _sqlite_snapshot(ws: Workspace, reason: str) -> Path:
    """A snapshot of a readable SQLite gradebook, not rotated (one is always taken or found)."""
    taken = snapshot(ws, reason, rotate=False).snapshot
    if taken is None:  # only a server gradebook goes without one
        raise GradebookError("cadangan gradebook SQLite tidak dapat dibuat; gradebook tidak diubah")
    return taken.path


def _keep_current_sqlite(ws: Workspace) -> list[Path]:
    """Save the live gradebook before it is replaced: a snapshot, or the damaged files as they are."""
    live = sqlite_path(ws)
    if not live.exists():
        return []
    health = inspect_sqlite_file(ws, live)
    if health.readable:
        return [_sqlite_snapshot(ws, BEFORE_RESTORE)]
    return _move_damaged(ws, live)


def _move_damaged(ws: Workspace, live: Path) -> list[Path]:
    """Move a file that is not a database (and its journal files) into ``cadangan/``, unchanged."""
    target = _new_name(ws, DAMAGED, "db")
    kept = []
    for suffix in ("", "-wal", "-shm", "-journal"):
        part = live.with_name(live.name + suffix)
        if part.exists():
            dest = target.with_name(target.name + suffix)
            shutil.move(part, dest)
            kept.append(dest)
    return kept


def _restore_sqlite(ws: Workspace, snap: Path) -> None:
    live = sqlite_path(ws)
    if live.exists():
        # a readable database: one backup transaction into it (other connections and the
        # WAL journal stay consistent)
        src = _sqlite_ro(snap)
        dst = sqlite3.connect(live, timeout=60)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
        finally:
            dst.close()
            src.close()
        return
    # nothing there (missing, or the damaged file was moved aside): a complete file, renamed in
    write_atomic(live, lambda tmp: _backup_sqlite(snap, tmp),
                 mode=(ws.root / "kohort.toml").stat().st_mode & 0o777)
    conn = sqlite3.connect(live, timeout=60)
    try:
        conn.execute("PRAGMA journal_mode=WAL")  # as `spptik init` sets it
    finally:
        conn.close()


def _keep_current_server(ws: Workspace) -> list[Path]:
    result = _snapshot_server(ws, BEFORE_RESTORE)
    if result.snapshot is None:
        raise GradebookError(f"Keadaan gradebook sekarang tidak dapat dicadangkan ({result.note}); "
                             "pemulihan dibatalkan agar tidak ada yang hilang.")
    return [result.snapshot.path]


def rebuild(ws: Workspace) -> list[Path]:
    """Give the gradebook the cohort's assignments and participants, through nbgrader.

    For a gradebook beyond saving with no snapshot, or one that lacks participants added
    to the roster later. Refused when the gradebook is sound. What is there is kept
    first: a readable database is snapshotted and completed in place (its grades stay);
    a damaged file is moved into ``cadangan/`` and a new gradebook made, whose
    autograded scores come back with ``spptik grade --force`` (manual grades must be
    given again).
    """
    from autograder.cohort.workspace import _release_and_enrol

    health = inspect_gradebook(ws)
    if health.sound:
        raise GradebookError("Gradebook kohort ini utuh; tidak perlu dibuat baru.")
    kept: list[Path] = []
    if is_sqlite(ws):
        live = sqlite_path(ws)
        if health.readable:
            kept.append(_sqlite_snapshot(ws, REBUILT))
        elif live.exists():
            kept += _move_damaged(ws, live)
    else:
        result = _snapshot_server(ws, REBUILT)
        if result.snapshot is not None:
            kept.append(result.snapshot.path)
    _release_and_enrol(ws, ws.participants)
    return kept
