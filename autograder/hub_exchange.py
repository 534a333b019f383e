"""nbgrader's exchange on the training site: its folders, their owners and modes, and collecting.

:func:`prepare_exchange` makes one course's exchange folders as nbgrader's release
would (plus the sticky bit on ``inbound``), :func:`set_cohort_exchange` and
:func:`exchange_of` record and read which exchange a cohort uses, and
:func:`collect_exchange` takes what participants submitted into the cohort through
``autograder.intake``. The modes and :func:`autograder.hub.exchange_problem` (the
check the hub's settings run) live in :mod:`autograder.hub`.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from autograder.hub import COURSE_MODE, FIRST_REGULAR_UID, INBOUND_MODE, OUTBOUND_MODE, ROOT_MODE, SiteError

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
    meta = Path(cohort) / "kohort.toml"
    text = meta.read_text(encoding="utf-8")
    line = 'exchange = "' + str(root).replace("\\", "\\\\").replace('"', '\\"') + '"'
    if re.search(r"(?m)^exchange\s*=", text):
        text = re.sub(r"(?m)^exchange\s*=.*$", lambda _m: line, text)
    else:
        text = text.rstrip("\n") + "\n" + line + "\n"
    staging = meta.with_name(".kohort.toml.tmp")
    staging.write_text(text, encoding="utf-8")
    staging.replace(meta)


def exchange_of(ws) -> Path:
    """The exchange root a cohort workspace uses (SPPTIK_EXCHANGE, kohort.toml, or its own)."""
    return Path(ws.config().Exchange.root)


# Collecting from the exchange ---------------------------------------------------------

COLLECTED_LEDGER = "exchange_diambil.txt"
_INBOUND_NAME = re.compile(r"^(?P<student>[^+]+)\+(?P<assignment>[^+]+)\+(?P<timestamp>[^+]+)(\+.*)?$")


@dataclass
class ExchangeCollect:
    report: object                     # autograder.intake.IntakeReport
    new: list[str] = field(default_factory=list)       # inbound folders taken in this run
    seen: int = 0                      # folders taken in an earlier run
    pending: int = 0                   # folders still being written (taken next time)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (folder, reason)


def collect_exchange(ws, exchange_root: Path | None = None, progress=None) -> ExchangeCollect:
    """Take in what participants submitted through nbgrader's exchange, with ``intake.collect``.

    Each new folder ``<student>+<assignment>+<timestamp>+<random>`` in the course's
    ``inbound`` is passed to :func:`autograder.intake.collect` (its notebooks and
    ``timestamp.txt``), so matching, archiving and quarantine work as for any
    other intake. A folder owned by another regular account than the student it
    names is refused (someone submitting in another's name). Folders taken in
    are listed in ``laporan/exchange_diambil.txt`` and skipped next time; a folder
    without its ``timestamp.txt`` yet (still being copied) waits for the next run.
    """
    from autograder.intake import UNMATCHED, Intake, IntakeItem, IntakeReport, Received, collect

    root = Path(exchange_root) if exchange_root else exchange_of(ws)
    inbound = root / ws.info.get("course_id", "spptik") / "inbound"
    if not inbound.is_dir():
        raise SiteError(f"folder kiriman exchange {inbound} tidak ada: belum ada tugas yang "
                        "dibagikan lewat hub, atau SPPTIK_EXCHANGE menunjuk folder yang salah")
    if not os.access(inbound, os.R_OK | os.X_OK):
        raise SiteError(f"folder kiriman exchange {inbound} tidak dapat dibaca oleh akun ini; "
                        "jalankan sebagai fasilitator pemilik kohort")
    ledger = ws.reports / COLLECTED_LEDGER
    done = set(ledger.read_text(encoding="utf-8").split("\n")) if ledger.is_file() else set()
    result = ExchangeCollect(report=IntakeReport())
    notebooks: list[Path] = []
    refused_files: list[tuple[Path, str]] = []
    for folder in sorted(p for p in inbound.iterdir() if p.is_dir()):
        if folder.name in done:
            result.seen += 1
            continue
        stamp = folder / "timestamp.txt"
        if not (stamp.is_file() and stamp.stat().st_size):
            result.pending += 1  # nbgrader writes timestamp.txt after the notebooks: still arriving
            continue
        match = _INBOUND_NAME.match(folder.name)
        files = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        why = None
        if match is None:
            why = "nama folder bukan nama kiriman nbgrader (peserta+tugas+waktu)"
        else:
            why = _owner_problem(folder, match["student"])
        if why:
            result.refused.append((folder.name, why))
            refused_files.extend((f, why) for f in files)
        else:
            notebooks.extend(files)
        result.new.append(folder.name)

    if notebooks:
        result.report = collect(ws, "-", notebooks, progress=progress)
    if refused_files:
        intake = Intake(ws)
        for path, why in refused_files:
            item = IntakeItem(origin=str(path), outcome=UNMATCHED, reason=why)
            received = Received(origin=str(path), name=path.name, data=path.read_bytes(),
                                time=datetime.fromtimestamp(path.stat().st_mtime, tz=UTC))
            intake.report.items.append(intake.quarantine(received, item))
        intake.log()
        result.report.items.extend(intake.report.items)
    if result.new:
        ws.reports.mkdir(exist_ok=True)
        with ledger.open("a", encoding="utf-8") as handle:
            handle.write("".join(name + "\n" for name in result.new))
    return result


def _owner_problem(folder: Path, student: str) -> str | None:
    uid = folder.stat().st_uid
    try:
        owner = pwd.getpwuid(uid).pw_name
    except KeyError:
        return None
    if uid < FIRST_REGULAR_UID or owner.lower() == student.lower():
        return None  # root-owned (a test site, or copied in by an administrator) or the student's own
    return f"dikirim oleh akun '{owner}' atas nama '{student}': tidak diterima"
