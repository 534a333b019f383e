"""nbgrader's exchange on the training site: its folders, their owners and modes, and collecting.

:func:`prepare_exchange` makes one course's exchange folders as nbgrader's release
would (plus the sticky bit on ``inbound``), :func:`set_cohort_exchange` and
:func:`exchange_of` record and read which exchange a cohort uses, and
:func:`collect_exchange` takes what participants submitted into the cohort through
``autograder.intake.collect``. The modes and :func:`autograder.site.hub.exchange_problem` (the
check the hub's settings run) live in :mod:`autograder.site.hub`.

nbgrader leaves every submission folder in ``inbound`` at mode 0777 and takes the
student from the folder's name. Neither is trusted here: the sender is the
account that owns the folder, and a folder is taken in only when everything in
it is a plain file or folder of that account, unchanged since the time nbgrader
wrote in ``timestamp.txt`` (the kernel's ``ctime``, which no one can set back).
Everything else goes to ``karantina/`` with the reason in Indonesian.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import stat
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from autograder.site.hub import COURSE_MODE, INBOUND_MODE, OUTBOUND_MODE, ROOT_MODE, SiteError

# The exchange's folders ----------------------------------------------------------------

def prepare_exchange(root: Path, course_id: str, owner: str | None = None,
                     group: str | None = None) -> list[Path]:
    """Create the exchange folders of one course with nbgrader's modes; return them.

    ``owner`` (the first trainer's account) must own the course folders: nbgrader's
    release refuses folders that the releasing user does not own. With ``group``
    (several trainers) the folders are shared by that group, as nbgrader's
    ``CourseDirectory.groupshared`` expects.
    """
    root = Path(root)
    course = root / course_id
    made = []
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, ROOT_MODE)
    extra = (stat.S_ISGID | 0o020) if group else 0
    uid = gid = -1
    if owner:
        uid, gid = pwd.getpwnam(owner).pw_uid, pwd.getpwnam(owner).pw_gid
    if group:
        gid = grp.getgrnam(group).gr_gid
    for path, mode in ((course, COURSE_MODE | extra), (course / "outbound", OUTBOUND_MODE | extra),
                       (course / "inbound", INBOUND_MODE | (0o040 if group else 0))):
        path.mkdir(exist_ok=True)
        if uid != -1 or gid != -1:
            os.chown(path, uid, gid)
        os.chmod(path, mode)
        made.append(path)
    return made


def set_cohort_exchange(cohort: Path, root: Path) -> None:
    """Record the exchange root in the cohort's kohort.toml (``spptik`` reads it there)."""
    from autograder.cohort.settings import update_settings

    update_settings(cohort, exchange=str(root))


def exchange_of(ws) -> Path:
    """The exchange root a cohort workspace uses (SPPTIK_EXCHANGE, kohort.toml, or its own)."""
    return Path(ws.config().Exchange.root)


# Reading one inbound folder without trusting it ------------------------------------------

COLLECTED_LEDGER = "exchange_diambil.txt"
_INBOUND_NAME = re.compile(r"^(?P<student>[^+]+)\+(?P<assignment>[^+]+)\+(?P<timestamp>[^+]+)(\+.*)?$")
STAMP_FILE = "timestamp.txt"
# nbgrader takes the time before it copies: what it writes may be this much later (seconds)
CTIME_SLACK = 120
# a folder still without timestamp.txt this long after its last change is refused (seconds)
PENDING_LIMIT = 30 * 60
MAX_ENTRIES = 500
MAX_DEPTH = 8
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_FOLDER_BYTES = 100 * 1000 * 1000  # nbgrader's own limit on what submit copies (max_dir_size)

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


@dataclass
class InboundEntry:
    """One thing inside a submission folder, as found (never followed)."""

    relpath: str
    kind: str                   # "file", "dir", "symlink" or "other"
    uid: int = -1
    nlink: int = 1
    ctime: float = 0.0
    mtime: float = 0.0
    data: bytes | None = None   # a plain file's bytes, read through one descriptor
    note: str = ""              # what could not be read, or where a link points


@dataclass
class InboundFolder:
    """A submission folder in ``inbound``: its own status and everything under it."""

    path: Path
    kind: str = "dir"
    uid: int = -1
    ctime: float = 0.0
    entries: list[InboundEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)   # found while reading
    size: int = 0                                       # bytes read so far

    @property
    def name(self) -> str:
        return self.path.name

    def entry(self, relpath: str) -> InboundEntry | None:
        return next((e for e in self.entries if e.relpath == relpath), None)


def read_inbound(path: Path) -> InboundFolder:
    """Read a submission folder through file descriptors: no symlink followed, no race won.

    Each file is opened without following links, checked to be the file that was
    listed, read, and checked again after reading; each folder is checked unchanged
    after its listing was read. What changed meanwhile is noted in ``problems``.
    """
    path = Path(path)
    folder = InboundFolder(path=path)
    try:
        st = os.lstat(path)
    except OSError as exc:
        folder.kind, folder.problems = "other", [f"tidak dapat dibaca ({exc.strerror})"]
        return folder
    folder.uid, folder.ctime = st.st_uid, st.st_ctime
    if not stat.S_ISDIR(st.st_mode):
        folder.kind = "symlink" if stat.S_ISLNK(st.st_mode) else "other"
        if folder.kind == "symlink":
            folder.problems.append(f"bukan folder, melainkan tautan simbolik ke '{os.readlink(path)}'")
        else:
            folder.problems.append("bukan folder kiriman, melainkan berkas")
        return folder
    try:
        fd = os.open(path, _DIR_FLAGS)
    except OSError as exc:
        folder.problems.append(f"folder tidak dapat dibuka ({exc.strerror})")
        return folder
    try:
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != (st.st_dev, st.st_ino):
            folder.problems.append("folder diganti saat diambil")
        _walk(fd, "", 0, folder)
    finally:
        os.close(fd)
    return folder


def _walk(dir_fd: int, prefix: str, depth: int, folder: InboundFolder) -> None:
    before = os.fstat(dir_fd)
    try:
        names = sorted(os.listdir(dir_fd))
    except OSError as exc:
        folder.problems.append(f"folder '{prefix or '.'}' tidak dapat dibaca ({exc.strerror})")
        return
    for name in names:
        if len(folder.entries) >= MAX_ENTRIES:
            folder.problems.append(f"lebih dari {MAX_ENTRIES} berkas: bukan kiriman tugas")
            return
        rel = prefix + name
        try:
            st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except OSError as exc:
            folder.problems.append(f"'{rel}' hilang saat diambil ({exc.strerror})")
            continue
        entry = InboundEntry(relpath=rel, kind="other", uid=st.st_uid, nlink=st.st_nlink,
                             ctime=st.st_ctime, mtime=st.st_mtime)
        folder.entries.append(entry)
        if stat.S_ISLNK(st.st_mode):
            entry.kind = "symlink"
            try:
                entry.note = os.readlink(name, dir_fd=dir_fd)
            except OSError:
                entry.note = "?"
        elif stat.S_ISDIR(st.st_mode):
            entry.kind = "dir"
            if depth + 1 >= MAX_DEPTH:
                folder.problems.append(f"folder bertingkat lebih dari {MAX_DEPTH}: bukan kiriman tugas")
                continue
            try:
                sub = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
            except OSError as exc:
                entry.note = f"tidak dapat dibuka ({exc.strerror})"
                continue
            try:
                if os.fstat(sub).st_ino != st.st_ino:
                    folder.problems.append(f"folder '{rel}' diganti saat diambil")
                _walk(sub, rel + "/", depth + 1, folder)
            finally:
                os.close(sub)
        elif stat.S_ISREG(st.st_mode):
            entry.kind = "file"
            _read_file(dir_fd, name, st, entry, folder)
    if os.fstat(dir_fd).st_ctime_ns != before.st_ctime_ns:
        folder.problems.append(f"isi folder '{prefix or '.'}' berubah saat diambil")


def _read_file(dir_fd: int, name: str, st: os.stat_result, entry: InboundEntry,
               folder: InboundFolder) -> None:
    if st.st_size > MAX_FILE_BYTES:
        entry.note = "lebih dari 50 MB: tidak disalin"
        return
    if folder.size + st.st_size > MAX_FOLDER_BYTES:
        entry.note = "tidak disalin: kiriman lebih dari 100 MB"
        return
    try:
        fd = os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        entry.note = f"tidak dapat dibuka ({exc.strerror})"
        return
    try:
        opened = os.fstat(fd)
        if (opened.st_ino, opened.st_dev) != (st.st_ino, st.st_dev) or not stat.S_ISREG(opened.st_mode):
            folder.problems.append(f"'{entry.relpath}' diganti saat diambil")
            return
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > min(MAX_FILE_BYTES, MAX_FOLDER_BYTES - folder.size):
                entry.note = "tidak disalin: bertambah besar saat diambil"
                folder.problems.append(f"'{entry.relpath}' berubah saat diambil")
                return
        after = os.fstat(fd)
        if after.st_ctime_ns != opened.st_ctime_ns or after.st_size != size:
            folder.problems.append(f"'{entry.relpath}' berubah saat diambil")
        entry.data = b"".join(chunks)
        folder.size += size
        entry.uid, entry.nlink, entry.ctime = after.st_uid, after.st_nlink, after.st_ctime
    finally:
        os.close(fd)


# Who sent it, and is it intact ------------------------------------------------------------

@dataclass
class Verdict:
    """What to do with one submission folder."""

    sender: str | None = None         # id_peserta of the verified sender
    assignment: str | None = None     # from the folder's name (nbgrader's assignment folder)
    time: datetime | None = None      # timestamp.txt, checked against the kernel's times
    problems: list[str] = field(default_factory=list)
    pending: bool = False

    @property
    def accepted(self) -> bool:
        return not self.pending and not self.problems and self.sender is not None


def _account(uid: int) -> str | None:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return None


def _parse_stamp(text: str) -> datetime | None:
    from nbgrader.utils import parse_utc

    try:
        return parse_utc(text.strip()).replace(tzinfo=UTC)
    except (ValueError, OverflowError, TypeError):
        return None


def _when(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def judge(folder: InboundFolder, accounts: dict[str, str], now: float | None = None) -> Verdict:
    """Decide whether a submission folder is taken in, and as whose.

    ``accounts`` maps the site's account names (lower-case ids) to the roster's
    ``id_peserta``. The sender is the account that owns the folder; root's folders
    (a test site, or an administrator's copy) are taken as the student in the name.
    """
    now = time.time() if now is None else now
    verdict = Verdict(problems=list(folder.problems))
    match = _INBOUND_NAME.match(folder.name)
    if match is None:
        verdict.problems.insert(0, "nama folder bukan nama kiriman nbgrader (peserta+tugas+waktu)")
        return verdict
    if folder.kind != "dir":
        return verdict
    named, verdict.assignment = match["student"].lower(), match["assignment"]
    owner = _account(folder.uid)
    if folder.uid == 0:
        account = named
    elif owner is None:
        verdict.problems.append(f"folder milik uid {folder.uid}, yang bukan akun di server ini")
        return verdict
    else:
        account = owner.lower()
    if account != named:
        verdict.problems.append(f"dikirim oleh akun '{owner}' atas nama '{match['student']}': "
                                "tidak diterima")
        return verdict
    if account not in accounts:
        who = f"akun '{owner}'" if folder.uid else f"'{match['student']}'"
        verdict.problems.append(f"{who} bukan peserta di daftar peserta kohort ini")
        return verdict
    verdict.sender = accounts[account]

    stamp = folder.entry(STAMP_FILE)
    if stamp is None or (stamp.kind == "file" and not stamp.data and not stamp.note):
        if now - folder.ctime < PENDING_LIMIT:
            verdict.pending = True  # nbgrader writes timestamp.txt after the notebooks
        else:
            verdict.problems.append(f"kiriman tidak lengkap: {STAMP_FILE} tidak ada "
                                    f"{PENDING_LIMIT // 60} menit setelah folder terakhir diubah")
        return verdict
    when = _parse_stamp(stamp.data.decode("utf-8", "replace")) if stamp.data else None
    limit = None
    if when is None:
        verdict.problems.append(f"{STAMP_FILE} tidak berisi waktu kirim yang dapat dibaca")
    else:
        verdict.time, limit = when, when.timestamp() + CTIME_SLACK
        in_name = _parse_stamp(match["timestamp"])
        if in_name is not None and abs((in_name - when).total_seconds()) > 1:
            verdict.problems.append(f"waktu di {STAMP_FILE} ({when:%Y-%m-%d %H:%M:%S}) tidak sama "
                                    f"dengan waktu di nama folder ({in_name:%Y-%m-%d %H:%M:%S})")
        if when.timestamp() > now + CTIME_SLACK:
            verdict.problems.append(f"waktu kirim {when:%Y-%m-%d %H:%M:%S} UTC ada di masa depan")
        if folder.ctime > limit:
            verdict.problems.append(f"isi folder diubah setelah waktu kirim (pada {_when(folder.ctime)}): "
                                    "ada berkas yang ditambah, dihapus atau diganti")
    for entry in folder.entries:
        verdict.problems.extend(_entry_problems(entry, folder.uid, limit))
    return verdict


def _entry_problems(entry: InboundEntry, uid: int, limit: float | None) -> list[str]:
    where = f"'{entry.relpath}'"
    if entry.kind == "symlink":
        return [f"{where} adalah tautan simbolik ke '{entry.note}' (tidak diikuti)"]
    if entry.kind == "other":
        return [f"{where} bukan berkas atau folder biasa"]
    found = []
    if entry.uid != uid:
        found.append(f"{where} milik akun '{_account(entry.uid) or entry.uid}', bukan milik pengirim")
    if entry.kind == "file" and entry.nlink > 1:
        found.append(f"{where} punya tautan keras (hard link) lain: isinya dapat diubah dari luar "
                     "folder kiriman")
    if limit is not None and entry.ctime > limit:
        found.append(f"{where} diubah setelah waktu kirim (pada {_when(entry.ctime)})")
    if entry.note:
        found.append(f"{where} {entry.note}")
    return found


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " " + re.sub(r"[^a-z0-9]+", " ", text.lower()).strip() + " "


def others_named(relpath: str, sender: str, participants) -> list[str]:
    """Participants other than ``sender`` named (by id or full name) in a file's path.

    A classmate's name that is part of the sender's own ("Ani" in "Ani Lubis", or two
    people with the same name) counts only where it stands outside the sender's name.
    """
    low, folded = relpath.lower(), _fold(relpath)
    own = next((_fold(p.nama).strip() for p in participants if p.id_peserta == sender), "")
    named = []
    for p in participants:
        if p.id_peserta == sender:
            continue
        by_id = re.search(r"(?<![a-z0-9])" + re.escape(p.id_peserta.lower()) + r"(?![a-z0-9])", low)
        name = _fold(p.nama).strip()
        text = folded.replace(f" {own} ", "  ") if own and f" {name} " in f" {own} " else folded
        if by_id or (name and f" {name} " in text):
            named.append(p.id_peserta)
    return named


# Collecting from the exchange ---------------------------------------------------------

@dataclass
class ExchangeCollect:
    report: object                     # autograder.intake.collect.IntakeReport
    new: list[str] = field(default_factory=list)       # inbound folders taken in this run
    seen: int = 0                      # folders taken in an earlier run
    pending: int = 0                   # folders still being written (taken next time)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (folder, reason)


class _SenderMatcher:
    """intake's Matcher, except that the participant is the verified sender of each file."""

    def __init__(self, matcher, senders: dict[str, tuple[str | None, str | None]]):
        self._matcher = matcher
        self.senders = senders   # origin → (id_peserta, assignment of the folder's name)

    def __getattr__(self, name):
        return getattr(self._matcher, name)

    def student(self, origin: str) -> tuple[str | None, str]:
        return self.senders[origin][0], ""

    def assignment(self, origin: str, nb, hint):
        return self._matcher.assignment(origin, nb, self.senders[origin][1] or hint)


def collect_exchange(ws, exchange_root: Path | None = None,
                     assignment: str | None = None, now: float | None = None) -> ExchangeCollect:
    """Take in what participants submitted through nbgrader's exchange.

    Each new folder ``<student>+<assignment>+<timestamp>+<random>`` in the course's
    ``inbound`` is read without following links (:func:`read_inbound`) and judged
    (:func:`judge`): its sender is the account that owns it, and it must be intact.
    Its notebooks are then filed by ``autograder.intake.collect`` as the sender's, never as
    a name inside them; a notebook whose name names another participant, and every
    file of a refused folder, go to ``karantina/`` with the reason. Folders taken
    in or refused are listed in ``laporan/exchange_diambil.txt`` and skipped next
    time; a folder without its ``timestamp.txt`` yet waits for the next run.
    ``assignment`` limits the run to one assignment (the formgrader's Collect).
    """
    from autograder.intake.collect import UNMATCHED, Intake, IntakeItem, Received

    root = Path(exchange_root) if exchange_root else exchange_of(ws)
    inbound = root / ws.settings.course_id / "inbound"
    if not inbound.is_dir():
        raise SiteError(f"folder kiriman exchange {inbound} tidak ada: belum ada tugas yang "
                        "dibagikan lewat hub, atau SPPTIK_EXCHANGE menunjuk folder yang salah")
    if not os.access(inbound, os.R_OK | os.X_OK):
        raise SiteError(f"folder kiriman exchange {inbound} tidak dapat dibaca oleh akun ini; "
                        "jalankan sebagai fasilitator pemilik kohort")
    ledger = ws.reports / COLLECTED_LEDGER
    done = set(ledger.read_text(encoding="utf-8").split("\n")) if ledger.is_file() else set()
    participants = ws.participants
    accounts = {p.id_peserta.lower(): p.id_peserta for p in participants}
    intake = Intake(ws)
    senders: dict[str, tuple[str | None, str | None]] = {}
    # a stand-in for intake's Matcher: student() and assignment() its own, the rest forwarded by
    # __getattr__ (no common base class to declare it with)
    intake.matcher = _SenderMatcher(intake.matcher, senders)  # type: ignore[assignment]
    result = ExchangeCollect(report=intake.report)

    waiting = []
    for path in inbound.iterdir():
        match = _INBOUND_NAME.match(path.name)
        if path.name in done:
            result.seen += 1
        elif not (assignment and match and match["assignment"] != assignment):
            waiting.append((_parse_stamp(match["timestamp"]) if match else None, path.name, path))
    # oldest first, one folder at a time: the newest ends up graded, memory holds one folder
    waiting.sort(key=lambda w: (w[0] or datetime.min.replace(tzinfo=UTC), w[1]))
    try:
        for _stamp, _name, path in waiting:
            folder = read_inbound(path)
            verdict = judge(folder, accounts, now)
            if verdict.pending:
                result.pending += 1
                continue
            if verdict.accepted:
                taken, refused = _sort_notebooks(path, folder, verdict, participants)
            else:
                why = "; ".join(verdict.problems)
                result.refused.append((path.name, why))
                whole = f"seluruh kiriman ditolak: {why}"
                taken, refused = [], [(_as_received(path, e, folder), whole) for e in folder.entries
                                      if e.kind != "dir"]
                if folder.kind != "dir":
                    refused.append((Received(origin=str(path), name=path.name + ".catatan.txt",
                                             data=f"{why}\n".encode(), time=datetime.now(UTC)), why))
            for received in taken:
                senders[received.origin] = (verdict.sender, verdict.assignment)
                intake.report.items.append(intake.take_or_quarantine(received))
            for received, why in refused:
                item = IntakeItem(origin=received.origin, outcome=UNMATCHED, reason=why)
                intake.report.items.append(intake.quarantine(received, item))
            result.new.append(path.name)
            ws.reports.mkdir(exist_ok=True)
            with ledger.open("a", encoding="utf-8") as handle:
                handle.write(path.name + "\n")
    finally:
        if intake.report.items:
            intake.log()
    return result


def _sort_notebooks(path: Path, folder: InboundFolder, verdict: Verdict, participants):
    """An accepted folder's notebooks: to file as the sender's, or (naming another) to quarantine."""
    from autograder.intake.collect import Received

    sender = verdict.sender
    if sender is None:  # only an accepted folder, whose sender is verified, is sorted
        raise ValueError(f"kiriman {path.name} belum diterima: pengirimnya tidak diketahui")
    taken: list[Received] = []
    refused: list[tuple[Received, str]] = []
    for entry in folder.entries:
        if entry.kind != "file" or not entry.relpath.endswith(".ipynb") \
                or ".ipynb_checkpoints" in entry.relpath.split("/"):
            continue
        received = _as_received(path, entry, folder, verdict.time)
        others = others_named(entry.relpath, sender, participants)
        if others:
            refused.append((received, f"nama berkas menyebut peserta lain ({', '.join(others)}), "
                                      f"padahal dikirim oleh {verdict.sender}: tidak dicatat "
                                      "untuk siapa pun"))
        else:
            taken.append(received)
    return taken, refused


def _as_received(path: Path, entry: InboundEntry, folder: InboundFolder, when: datetime | None = None):
    """A file of a submission folder as intake receives it; links and the unreadable as a note."""
    from autograder.intake.collect import Received

    origin = str(path / entry.relpath)
    stamp = datetime.fromtimestamp(entry.mtime or folder.ctime, UTC)
    if entry.kind == "file" and entry.data is not None:
        return Received(origin=origin, name=Path(entry.relpath).name, data=entry.data, time=stamp,
                        sidecar_time=when)
    if entry.kind == "symlink":
        note = f"tautan simbolik ke: {entry.note}\n(isinya tidak diambil)\n"
    else:
        note = f"{entry.kind}: {entry.note or 'tidak disalin'}\n"
    return Received(origin=origin, name=Path(entry.relpath).name + ".catatan.txt",
                    data=note.encode(), time=stamp)


# nbgrader's plugins on the site: Submit closes its folder, Collect checks -------------------

CLOSED_MODE = 0o755  # what a submission folder keeps once written (nbgrader leaves 0777)


def site_submit_class():
    """nbgrader's submit plugin for participants' servers: the folder is closed once written.

    nbgrader makes each submission folder 0777 "so the instructor can delete later";
    anyone who learns its name could then empty or refill it. Right after nbgrader
    wrote it, the participant's own process (its owner) sets it to 0755: nobody
    else can add, remove or rename anything in it. Collecting still checks everything
    (:func:`judge`), for folders written without this plugin.
    """
    from nbgrader.exchange.default.submit import ExchangeSubmit as NbgraderSubmit

    class SiteSubmit(NbgraderSubmit):
        def copy_files(self):
            super().copy_files()
            os.chmod(os.path.join(self.inbound_path, self.assignment_filename), CLOSED_MODE)

    return SiteSubmit



def site_collect_class():
    """nbgrader's collect plugin for trainers' servers: :func:`collect_exchange`, not nbgrader's.

    nbgrader's own collect takes the student from the folder's name (it only logs a
    warning when the owner differs) and deletes an earlier submission it replaces;
    the trainers' ``nbgrader_config.py`` sets ``ExchangeFactory.collect`` to this, so
    the formgrader's *Collect* and ``nbgrader collect`` file what ``spptik situs ambil`` files.
    """
    from nbgrader.exchange.default.collect import ExchangeCollect as NbgraderCollect

    from autograder.cohort.workspace import Workspace
    from autograder.intake.collect import OUTCOME_LABELS

    class SiteCollect(NbgraderCollect):
        def start(self):
            ws = Workspace(self.coursedir.root)
            result = collect_exchange(ws, Path(self.root), assignment=self.coursedir.assignment_id or None)
            self.log.info("%d kiriman baru di exchange, %d sudah diambil sebelumnya, %d masih dikirim",
                          len(result.new), result.seen, result.pending)
            for name, why in result.refused:
                self.log.warning("ditolak %s: %s", name, why)
            for item in result.report.items:
                line = f"{item.origin}: {OUTCOME_LABELS.get(item.outcome, item.outcome)}"
                if item.destination:
                    line += f" → {item.destination}"
                if item.reason:
                    line += f" ({item.reason})"
                self.log.info(line)

    return SiteCollect
