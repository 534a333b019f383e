"""``spptik collect``: take in submissions however they arrive, and account for every file.

Inputs are ``.ipynb`` files, folders and ``.zip`` archives (nested to any
depth). Each notebook is matched to a participant (id or name anywhere in its
path, including folder and archive names) and to an assignment (nbgrader
grade ids inside it, else the file name, else the assignment the trainer
named). It is then filed under ``submitted/<peserta>/<tugas>/`` with a
``timestamp.txt``. Nothing is overwritten or deleted: a submission that is
replaced moves to ``arsip/``; a file that cannot be matched is copied to
``karantina/`` with the reason; input files are only read.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from autograder.cohort.workspace import Workspace
from autograder.files import write_atomic

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"
MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
MAX_ZIP_DEPTH = 5

FILED = "dicatat"
REPLACED_OLDER = "versi_lama"
DUPLICATE = "duplikat"
UNMATCHED = "karantina"
BROKEN = "rusak"
IGNORED = "diabaikan"

OUTCOME_LABELS = {
    FILED: "Dicatat untuk dinilai",
    BROKEN: "Rusak (dicatat, dinilai 0)",
    REPLACED_OLDER: "Versi lebih lama (diarsipkan)",
    DUPLICATE: "Duplikat (sudah ada)",
    UNMATCHED: "Tidak dikenali (karantina)",
    IGNORED: "Bukan notebook (karantina)",
}


@dataclass
class Received:
    """One file as received: where it came from, its bytes and its time."""

    origin: str          # path as the trainer gave it; "archive.zip!inner/path" inside archives
    name: str            # file name
    data: bytes
    time: datetime
    sidecar_time: datetime | None = None  # from an nbgrader timestamp.txt beside it


@dataclass
class IntakeItem:
    origin: str
    outcome: str
    reason: str = ""
    student: str | None = None
    assignment: str | None = None
    destination: str | None = None
    sha256: str = ""


@dataclass
class IntakeReport:
    items: list[IntakeItem] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.items if item.outcome == outcome)

    @property
    def received(self) -> int:
        return len(self.items)


# Reading inputs -------------------------------------------------------------------

def iter_inputs(paths: Iterable[str | Path]) -> Iterator[Received | IntakeItem]:
    """Every file under the given paths, with archives opened in memory (never extracted)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            sidecars = {p.parent: p for p in files if p.name == "timestamp.txt"}
            for file in files:
                if file.name == "timestamp.txt" or ".ipynb_checkpoints" in file.parts:
                    continue
                yield from _from_file(file, sidecars.get(file.parent))
        elif path.is_file():
            sidecar = path.parent / "timestamp.txt"
            yield from _from_file(path, sidecar if sidecar.is_file() else None)
        else:
            yield IntakeItem(origin=str(path), outcome=IGNORED,
                             reason="berkas atau folder tidak ditemukan")


def _from_file(path: Path, sidecar: Path | None) -> Iterator[Received | IntakeItem]:
    time = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    if path.stat().st_size > MAX_NOTEBOOK_BYTES and path.suffix.lower() != ".zip":
        yield IntakeItem(origin=str(path), outcome=IGNORED,
                         reason="berkas lebih dari 50 MB: terlalu besar untuk sebuah notebook")
        return
    data = path.read_bytes()
    side = _read_sidecar(sidecar.read_text(errors="replace")) if sidecar else None
    if path.suffix.lower() == ".zip":
        yield from _from_zip(str(path), data, depth=1)
    else:
        yield Received(origin=str(path), name=path.name, data=data, time=time, sidecar_time=side)


def _from_zip(origin: str, data: bytes, depth: int) -> Iterator[Received | IntakeItem]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except zipfile.BadZipFile:
        yield Received(origin=origin, name=PurePosixPath(origin).name, data=data,
                       time=datetime.now(UTC))
        return
    sidecars = {}
    for member in members:
        if PurePosixPath(member.filename).name == "timestamp.txt":
            text = archive.read(member).decode("utf-8", errors="replace")
            sidecars[str(PurePosixPath(member.filename).parent)] = _read_sidecar(text)
    for member in members:
        inner = PurePosixPath(member.filename)
        where = f"{origin}!{member.filename}"
        if inner.name == "timestamp.txt" or "__MACOSX" in inner.parts or \
                ".ipynb_checkpoints" in inner.parts:
            continue
        if member.file_size > MAX_NOTEBOOK_BYTES:
            yield IntakeItem(origin=where, outcome=IGNORED,
                             reason="isi arsip lebih dari 50 MB: terlalu besar")
            continue
        try:
            content = archive.read(member)
        except Exception as exc:  # noqa: BLE001 - a damaged member must not stop the rest
            yield IntakeItem(origin=where, outcome=BROKEN, reason=f"isi arsip rusak: {exc}")
            continue
        if inner.suffix.lower() == ".zip" and depth < MAX_ZIP_DEPTH:
            yield from _from_zip(where, content, depth + 1)
            continue
        time = datetime(*member.date_time, tzinfo=UTC)
        yield Received(origin=where, name=inner.name, data=content, time=time,
                       sidecar_time=sidecars.get(str(inner.parent)))


def _read_sidecar(text: str) -> datetime | None:
    text = text.strip()
    for fmt in (TIMESTAMP_FORMAT, "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S"):
        try:
            stamp = datetime.strptime(text.replace(" UTC", "").strip(),
                                      fmt.replace(" %Z", ""))
            return stamp.replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


# Matching ---------------------------------------------------------------------------

def _fold(text: str) -> str:
    """Lower case, accents removed, every run of non-letters a single space."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " " + re.sub(r"[^a-z0-9]+", " ", text.lower()).strip() + " "


class Matcher:
    """Finds the participant and the assignment a notebook belongs to."""

    def __init__(self, ws: Workspace):
        self.ws = ws
        self.ids = {p.id_peserta.lower(): p.id_peserta for p in ws.participants}
        self.names: dict[str, list[str]] = {}
        for p in ws.participants:
            self.names.setdefault(_fold(p.nama).strip(), []).append(p.id_peserta)
        self.grade_ids: dict[str, set[str]] = {}
        self.notebook_names: dict[str, str] = {}
        for assignment_id in ws.course.assignment_ids:
            notebooks = ws.release_notebooks(assignment_id)
            if notebooks:
                self.notebook_names[assignment_id] = notebooks[0].name
            ids: set[str] = set()
            for nb_path in notebooks:
                ids |= _grade_ids(json.loads(nb_path.read_text(encoding="utf-8")))
            self.grade_ids[assignment_id] = ids

    def student(self, origin: str) -> tuple[str | None, str]:
        """The participant named in a path: by id first, then by full name."""
        folded = _fold(origin)
        by_id = set()
        for low, pid in self.ids.items():
            pattern = r"(?<![a-z0-9])" + re.escape(low) + r"(?![a-z0-9])"
            if re.search(pattern, origin.lower()):
                by_id.add(pid)
        if len(by_id) == 1:
            return by_id.pop(), ""
        if len(by_id) > 1:
            # several ids in the path: the one nearest the file name wins
            nearest = max(by_id, key=lambda pid: origin.lower().rfind(pid.lower()))
            return nearest, ""
        by_name = {pid for name, pids in self.names.items() if f" {name} " in folded
                   for pid in pids}
        ambiguous = [name for name, pids in self.names.items()
                     if len(pids) > 1 and f" {name} " in folded]
        if ambiguous:
            return None, "nama peserta dipakai lebih dari satu orang di daftar; sertakan id_peserta"
        if len(by_name) == 1:
            return by_name.pop(), ""
        if len(by_name) > 1:
            return None, "lebih dari satu nama peserta ada di nama berkas"
        return None, "id_peserta atau nama peserta tidak ditemukan di nama berkas/folder"

    def assignment(self, origin: str, nb: dict | None, hint: str | None) -> tuple[str | None, str]:
        """The assignment: from the grade ids inside, else the file name, else the hint."""
        if nb is not None:
            found = _grade_ids(nb)
            if found:
                overlap = {a: len(found & ids) for a, ids in self.grade_ids.items() if ids}
                best = max(overlap, key=overlap.__getitem__, default=None)
                if best and overlap[best] > 0:
                    return best, ""
        folded = _fold(PurePosixPath(origin.replace("!", "/")).as_posix())
        named = [a for a in self.grade_ids if f" {a.lower()} " in folded]
        if len(named) == 1:
            return named[0], ""
        if hint and hint in self.grade_ids:
            return hint, ""
        return None, "tugas tidak dapat dikenali dari isi maupun nama berkas"


def _grade_ids(nb: dict) -> set[str]:
    ids = set()
    for cell in nb.get("cells", []) if isinstance(nb, dict) else []:
        meta = cell.get("metadata", {}).get("nbgrader") if isinstance(cell, dict) else None
        if isinstance(meta, dict) and meta.get("grade_id"):
            ids.add(str(meta["grade_id"]))
    return ids


def parse_notebook(data: bytes) -> dict | None:
    """The notebook in ``data``, or None when it is not one (not JSON, or no list of cells).

    The one test of a notebook's validity: intake files such a notebook as broken, and
    grading scores it 0 without running it.
    """
    try:
        nb = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return nb if isinstance(nb, dict) and isinstance(nb.get("cells"), list) else None


def broken_notebooks(folder: Path) -> list[str]:
    """Names of the notebooks in ``folder`` that :func:`parse_notebook` refuses."""
    return [nb.name for nb in sorted(folder.glob("*.ipynb")) if parse_notebook(nb.read_bytes()) is None]


# Filing -------------------------------------------------------------------------------

def _stamp(time: datetime) -> str:
    return time.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


def _folder_stamp(time: datetime) -> str:
    return time.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _read_timestamp(folder: Path) -> datetime | None:
    path = folder / "timestamp.txt"
    return _read_sidecar(path.read_text()) if path.is_file() else None


def _known_hashes(ws: Workspace, student: str, assignment: str) -> set[str]:
    hashes = set()
    for base in (ws.submitted / student / assignment, ws.archive / student / assignment):
        if base.is_dir():
            for nb in base.rglob("*.ipynb"):
                hashes.add(hashlib.sha256(nb.read_bytes()).hexdigest())
    return hashes


def _unique(path: Path) -> Path:
    if not path.exists():
        return path
    for i in range(1, 10_000):
        candidate = path.with_name(f"{path.stem}-{i}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise RuntimeError(f"terlalu banyak berkas bernama {path.name}")


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._ -]+", "_", name).strip(" .") or "berkas"
    return cleaned[:120]


class Intake:
    """One run of ``spptik collect`` on a workspace."""

    def __init__(self, ws: Workspace, hint: str | None = None):
        self.ws = ws
        self.hint = hint if hint and hint not in ("-", "otomatis") else None
        self.matcher = Matcher(ws)
        self.run_stamp = _folder_stamp(datetime.now(UTC))
        self.report = IntakeReport()

    def quarantine(self, received: Received | None, item: IntakeItem) -> IntakeItem:
        folder = self.ws.quarantine / self.run_stamp
        folder.mkdir(parents=True, exist_ok=True)
        if received is not None:
            target = _unique(folder / _safe_name(received.name))
            target.write_bytes(received.data)
            reason = folder / (target.name + ".alasan.txt")
            reason.write_text(f"asal: {item.origin}\nalasan: {item.reason}\n", encoding="utf-8")
            item.destination = str(target.relative_to(self.ws.root))
        return item

    def take(self, received: Received) -> IntakeItem:
        digest = hashlib.sha256(received.data).hexdigest()
        item = IntakeItem(origin=received.origin, outcome=UNMATCHED, sha256=digest)
        if not received.name.lower().endswith(".ipynb"):
            item.outcome, item.reason = IGNORED, "bukan berkas notebook (.ipynb)"
            return self.quarantine(received, item)
        nb = parse_notebook(received.data)
        student, why = self.matcher.student(received.origin)
        assignment, why_a = self.matcher.assignment(received.origin, nb, self.hint)
        item.student, item.assignment = student, assignment
        if student is None or assignment is None:
            item.reason = why or why_a
            if nb is None:
                item.reason += "; isi berkas juga bukan notebook yang utuh (JSON rusak)"
            return self.quarantine(received, item)
        if digest in _known_hashes(self.ws, student, assignment):
            item.outcome, item.reason = DUPLICATE, "berkas yang sama persis sudah diterima"
            return item
        self.file(received, item, broken=nb is None)
        return item

    def file(self, received: Received, item: IntakeItem, *, broken: bool) -> None:
        student, assignment = item.student, item.assignment
        if student is None or assignment is None:  # take() files only a matched notebook
            raise ValueError(f"kiriman {item.origin} belum dikenali peserta dan tugasnya")
        time = received.sidecar_time or received.time
        current = self.ws.submitted / student / assignment
        current_time = _read_timestamp(current) if current.is_dir() else None
        nb_name = self.matcher.notebook_names.get(assignment, f"{assignment}.ipynb")
        if current.is_dir() and current_time is not None and time < current_time:
            # An older version arrived late: keep it in the archive, keep grading the newer one.
            target = _unique(self.ws.archive / student / assignment / _folder_stamp(time))
            self._write(target, nb_name, received.data, time)
            item.outcome = REPLACED_OLDER
            item.reason = "lebih lama dari kiriman yang sudah ada; disimpan di arsip"
            item.destination = str(target.relative_to(self.ws.root))
            return
        if current.is_dir():
            old_time = current_time or datetime.fromtimestamp(current.stat().st_mtime, UTC)
            archived = _unique(self.ws.archive / student / assignment / _folder_stamp(old_time))
            archived.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(current), archived)
            kept = archived.relative_to(self.ws.root)
            item.reason = f"menggantikan kiriman sebelumnya (disimpan di {kept})"
        self._write(current, nb_name, received.data, time)
        item.outcome = BROKEN if broken else FILED
        if broken:
            item.reason = "notebook rusak (bukan JSON yang sah); disimpan dan akan dinilai 0. " + item.reason
        item.destination = str((current / nb_name).relative_to(self.ws.root))

    @staticmethod
    def _write(folder: Path, nb_name: str, data: bytes, time: datetime) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / nb_name, data)
        (folder / "timestamp.txt").write_text(_stamp(time) + "\n", encoding="utf-8")

    def take_or_quarantine(self, received: Received) -> IntakeItem:
        """``take``, and where that fails, keep the file in quarantine with the reason."""
        try:
            return self.take(received)
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the others
            item = IntakeItem(origin=received.origin, outcome=UNMATCHED,
                              reason=f"gagal diproses: {exc}")
            return self.quarantine(received, item)

    def log(self) -> Path:
        self.ws.reports.mkdir(exist_ok=True)
        ledger = self.ws.reports / "penerimaan.jsonl"
        with ledger.open("a", encoding="utf-8") as handle:
            for item in self.report.items:
                record = {"run": self.run_stamp, **asdict(item)}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return ledger


def collect(ws: Workspace, assignment_hint: str | None, paths: Iterable[str | Path]) -> IntakeReport:
    """Take in every file under ``paths``; return what happened to each one."""
    intake = Intake(ws, assignment_hint)
    received = list(iter_inputs(paths))
    # Oldest first, so that within one batch the newest version ends up graded.
    received.sort(key=lambda r: (r.sidecar_time or r.time) if isinstance(r, Received)
                  else datetime.min.replace(tzinfo=UTC))
    for entry in received:
        if isinstance(entry, IntakeItem):
            intake.report.items.append(entry)
        else:
            intake.report.items.append(intake.take_or_quarantine(entry))
    intake.log()
    return intake.report
