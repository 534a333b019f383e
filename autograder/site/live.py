"""Grading while participants are still in the room: the hub's grading service.

``python -m autograder.site.live`` runs beside JupyterHub as a managed service
(:func:`autograder.site.hub.live_services`), as the first trainer's account where
the site changes users. Every few seconds it lists the exchange's ``inbound``
folder; when a folder it has not taken yet is there it takes it in
(:func:`autograder.site.exchange.collect_exchange`, with all its checks), grades
what is new (:func:`autograder.grading.run.grade`, in the sandbox: where no
sandbox runs it grades nothing and says so in the log), writes the Indonesian
feedback with nbgrader's GenerateFeedback and delivers it.

Delivery follows nbgrader's own ``release_feedback``, so that nbgrader's
``fetch_feedback`` in the participant's server finds the feedback; beside it a status
file says what became of the submission (queued, graded with its score, awaiting
the trainer's hand grading, failed or refused). Names and format:
:mod:`autograder.site.results`, whose ``participant_results`` the participant's
panel calls.

What the service has done lives in the cohort, ``laporan/langsung/kiriman.json``
(one record per submission folder, rewritten atomically after every step), with
``laporan/exchange_diambil.txt`` (folders taken) and nbgrader's gradebook plus the
grading markers (what is graded). A restart therefore neither loses a submission
(a folder taken but not delivered is delivered next time) nor grades one again
(graded submissions carry their marker). ``laporan/langsung/layanan.json`` is the
service's heartbeat and last problem, for the trainers' dashboard.

The service never blocks the hub: it is a process of its own at a lower CPU
priority, and one failing submission only fails itself.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import signal
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from autograder.errors import SpptikError
from autograder.files import write_atomic
from autograder.site.results import (
    AWAITING_MANUAL,
    FAILED,
    GRADED,
    QUEUED,
    REFUSED,
    STATE_LABELS,
    STATUS_VERSION,
    SUPERSEDED,
    feedback_folder,
    feedback_name,
    status_name,
)

if TYPE_CHECKING:
    from autograder.cohort.workspace import Workspace

log = logging.getLogger("autograder.site.live")

LIVE_DIR = "langsung"             # under the cohort's laporan/
JOURNAL_FILE = "kiriman.json"
HEALTH_FILE = "layanan.json"
LOCK_FILE = "layanan.lock"

POLL_SECONDS = 2.0
MANUAL_CHECK_SECONDS = 30.0
NICE = 10  # below the hub and the participants' servers
FEEDBACK_DIR_MODE = 0o711   # nbgrader's: others may reach a file by name, never list
SHARED_FILE_MODE = 0o644    # participants' servers read their own files (names are secret)
AWAITING_NOTE = ("Bagian ini dinilai oleh fasilitator dan belum dinilai: nilai yang tertulis "
                 "belum final.")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def live_dir(ws: Workspace) -> Path:
    return ws.reports / LIVE_DIR


# The journal ----------------------------------------------------------------------------------

_INBOUND = re.compile(r"^(?P<student>[^+]+)\+(?P<assignment>[^+]+)\+(?P<timestamp>[^+]+)(\+.*)?$")


@dataclass
class Entry:
    """One submission folder of the exchange, as the service handled it."""

    folder: str
    akun: str
    tugas: str
    waktu_kirim: str
    tahap: str = QUEUED
    peserta: str | None = None        # the roster's id_peserta
    rahasia: str | None = None        # submission_secret.txt (the cohort is trainers' only)
    pesan: str = ""
    nilai: float | None = None
    nilai_maks: float | None = None
    menunggu_maks: float = 0.0        # points awaiting the trainer's hand grading
    umpan_balik: dict[str, str] = field(default_factory=dict)   # notebook → file in the exchange
    diterima: str = ""
    dinilai: str = ""
    dikirim: str = ""

    @property
    def persen(self) -> float | None:
        if self.nilai is None or not self.nilai_maks:
            return None
        return round(100.0 * self.nilai / self.nilai_maks, 1)

    @property
    def participant(self) -> str:
        """The roster's id of a submission taken in (every one queued, graded or failed has one)."""
        if self.peserta is None:
            raise JournalError(f"kiriman {self.folder} di jurnal layanan penilaian tidak punya peserta")
        return self.peserta


class JournalError(SpptikError, ValueError):
    """A journal record contradicts itself (message in Indonesian)."""


class Journal:
    """``laporan/langsung/kiriman.json``: every submission folder's record, written whole."""

    def __init__(self, ws: Workspace):
        self.path = live_dir(ws) / JOURNAL_FILE
        self.entries: dict[str, Entry] = {}
        if self.path.is_file():
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
                self.entries = {name: Entry(**record) for name, record in raw.items()}
            except (ValueError, TypeError) as exc:
                kept = self.path.with_name(f"{JOURNAL_FILE}.rusak-{int(time.time())}")
                self.path.rename(kept)
                log.error("Jurnal layanan penilaian rusak (%s); disimpan sebagai %s, dimulai baru",
                          exc, kept)

    def save(self) -> None:
        data = {name: vars(entry) for name, entry in self.entries.items()}
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1), mode=0o640)

    def current(self, peserta: str, tugas: str) -> Entry | None:
        """The newest taken-in submission of a participant for an assignment."""
        mine = [e for e in self.entries.values() if e.peserta == peserta and e.tugas == tugas
                and e.tahap not in (REFUSED, SUPERSEDED)]
        return max(mine, key=lambda e: e.waktu_kirim, default=None)

    def waiting(self) -> list[Entry]:
        return [e for e in self.entries.values() if e.tahap == QUEUED]


def read_journal(ws: Workspace) -> dict[str, dict]:
    """The journal as plain records (for the dashboard); empty when the service never ran."""
    path = live_dir(ws) / JOURNAL_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def read_health(ws: Workspace) -> dict | None:
    try:
        return json.loads((live_dir(ws) / HEALTH_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# Feedback: nbgrader's GenerateFeedback, plus a note where the trainer still grades ------------

def awaiting_trainer_preprocessor():
    """A preprocessor (after nbgrader's GetGrades) marking hand-graded answers not yet graded."""
    from nbconvert.preprocessors import Preprocessor
    from nbgrader.api import Gradebook

    class MarkAwaitingTrainer(Preprocessor):
        enabled = True

        def preprocess(self, nb, resources):
            info = resources["nbgrader"]
            with Gradebook(info["db_url"]) as gb:
                notebook = gb.find_submission_notebook(info["notebook"], info["assignment"],
                                                       info["student"])
                waiting = {g.name for g in notebook.grades if g.needs_manual_grade}
            for cell in nb.cells:
                meta = cell.metadata.get("nbgrader", {})
                if meta.get("grade_id") in waiting and meta.get("solution") and not meta.get("comment"):
                    meta["comment"] = AWAITING_NOTE
            return nb, resources

    return MarkAwaitingTrainer


def write_feedback(ws: Workspace, assignment: str, students: list[str]) -> dict[str, str]:
    """Feedback HTML for these participants of one assignment, one nbgrader run.

    Returns {participant: why} for those whose feedback could not be written.
    """
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import ClearHiddenTests, GetGrades

    from autograder.feedback.sanitize import SanitizeParticipantContent
    from autograder.feedback.write import feedback_config

    config = feedback_config()
    config.GenerateFeedback.preprocessors = [GetGrades, awaiting_trainer_preprocessor(), ClearHiddenTests,
                                             CSSHTMLHeaderPreprocessor, SanitizeParticipantContent]
    others = sorted(ws.participant_ids() - set(students))
    config.CourseDirectory.student_id_exclude = ",".join(others)
    api = ws.api()
    api.update_config(config)
    result = api.generate_feedback(assignment)
    if result.get("success"):
        return {}
    failed = {}
    for student in students:   # one at a time: one bad notebook costs only its own feedback
        one = api.generate_feedback(assignment, student)
        if not one.get("success"):
            lines = [x for x in (one.get("error") or "").splitlines() if x.strip()]
            failed[student] = lines[-1] if lines else "sebab tidak diketahui"
    return failed


# The service ---------------------------------------------------------------------------------

class ServiceBusy(RuntimeError):
    pass


class LiveGrader:
    """One cohort's grading service: :meth:`cycle` once, or :meth:`run` until stopped."""

    def __init__(self, ws: Workspace, exchange: Path | None = None, *, jobs: int | None = None,
                 groupshared: bool = False):
        from autograder.site.exchange import exchange_of

        self.ws = ws
        self.exchange = Path(exchange) if exchange else exchange_of(ws)
        self.course_id = ws.settings.course_id
        self.inbound = self.exchange / self.course_id / "inbound"
        self.outbox = feedback_folder(self.exchange, self.course_id)
        self.jobs = jobs
        self.groupshared = groupshared
        self.journal = Journal(ws)
        self.sandbox_problem: str | None = None
        self.problem: str | None = None
        self.started = _now()
        self.cycles = 0
        self.graded_total = 0
        self._last_manual_check = 0.0
        self._lock: TextIO | None = None   # held open: the lock lasts as long as the service
        self._ledger_seen: int | None = None

    # one service per cohort
    def lock(self) -> None:
        path = live_dir(self.ws) / LOCK_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise ServiceBusy(f"layanan penilaian lain sudah berjalan untuk kohort ini ({path})") from None
        self._lock = handle

    # -- one round ------------------------------------------------------------------------------
    def cycle(self) -> dict:
        """Take in, grade, write feedback and deliver whatever is new; return what was done."""
        self.cycles += 1
        done = {"diambil": 0, "dinilai": 0, "dikirim": 0}
        try:
            done["diambil"] = self.collect()
            done["dinilai"] = self.grade()
            done["dikirim"] = self.deliver()
            if time.monotonic() - self._last_manual_check > MANUAL_CHECK_SECONDS:
                self._last_manual_check = time.monotonic()
                done["dikirim"] += self.follow_manual_grades()
            self.problem = None
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # noqa: BLE001 - the service goes on; the trainer sees why
            problem = f"{type(exc).__name__}: {exc}"
            if problem != self.problem:  # once, not every two seconds
                log.exception("Putaran layanan penilaian gagal; dicoba lagi")
            self.problem = problem
        self.write_health()
        return done

    def unseen(self) -> list[str]:
        from autograder.site.exchange import COLLECTED_LEDGER

        ledger = self.ws.reports / COLLECTED_LEDGER
        seen = set(ledger.read_text(encoding="utf-8").split("\n")) if ledger.is_file() else set()
        try:
            names = os.listdir(self.inbound)
        except FileNotFoundError:
            return []
        return sorted(set(names) - seen)

    def collect(self) -> int:
        """Take new exchange folders into the cohort and journal each of them."""
        from autograder.intake.collect import BROKEN, DUPLICATE, FILED, REPLACED_OLDER, IntakeReport
        from autograder.site.exchange import collect_exchange

        self.adopt()
        if not self.unseen():
            return 0
        result = collect_exchange(self.ws, self.exchange)
        report = result.report
        if not isinstance(report, IntakeReport):   # ExchangeCollect.report is typed object
            raise TypeError(f"collect_exchange gave {type(report).__name__}, not an IntakeReport")
        refused = dict(result.refused)
        accounts = {p.id_peserta.lower(): p.id_peserta for p in self.ws.participants}
        for name in result.new:
            match = _INBOUND.match(name)
            entry = Entry(folder=name, akun=match["student"] if match else "?",
                          tugas=match["assignment"] if match else "?",
                          waktu_kirim=match["timestamp"] if match else "", diterima=_now(),
                          rahasia=self._secret(name))
            entry.peserta = accounts.get(entry.akun.lower())
            prefix = str(self.inbound / name) + os.sep
            items = [i for i in report.items if i.origin.startswith(prefix)]
            # (participant, assignment) of the notebooks filed; a damaged archive member has neither
            taken = [(i.student, i.assignment) for i in items if i.outcome in (FILED, BROKEN, DUPLICATE)
                     and i.student is not None and i.assignment is not None]
            older = [(i.student, i.assignment) for i in items if i.outcome == REPLACED_OLDER
                     and i.student is not None and i.assignment is not None]
            if name in refused:
                entry.tahap, entry.pesan = REFUSED, refused[name]
            elif taken:
                entry.peserta, entry.tugas = taken[0]
                entry.tahap = QUEUED
            elif older:
                entry.peserta, entry.tugas = older[0]
                entry.tahap, entry.pesan = SUPERSEDED, "Kiriman yang lebih baru sudah diterima."
            else:
                entry.tahap = REFUSED
                entry.pesan = "; ".join(i.reason for i in items if i.reason) or \
                    "tidak ada notebook tugas di dalam kiriman"
            self.journal.entries[name] = entry
            if entry.tahap == QUEUED:
                for other in self.journal.entries.values():  # an earlier one still waiting
                    if (other is not entry and other.peserta == entry.peserta and other.tugas == entry.tugas
                            and other.tahap in (QUEUED, FAILED) and other.waktu_kirim < entry.waktu_kirim):
                        other.tahap, other.pesan = SUPERSEDED, "Kiriman yang lebih baru sedang dinilai."
                        self.publish(other)
            log.info("Diambil %s: %s%s", name, entry.tahap, f" ({entry.pesan})" if entry.pesan else "")
            self.publish(entry)
        self.journal.save()
        return len(result.new)

    def adopt(self) -> int:
        """Folders someone else took in (``spptik situs ambil``, the formgrader's Collect):
        journalled too, so that their participants still get feedback.

        Only a folder that is its participant's current submission (same time as
        ``submitted/``) is queued; the others are noted as replaced.
        """
        from autograder.intake.collect import _read_sidecar
        from autograder.site.exchange import COLLECTED_LEDGER

        ledger = self.ws.reports / COLLECTED_LEDGER
        try:
            stamp = ledger.stat().st_mtime_ns
        except OSError:
            return 0
        if stamp == self._ledger_seen:
            return 0
        self._ledger_seen = stamp
        accounts = {p.id_peserta.lower(): p.id_peserta for p in self.ws.participants}
        adopted = 0
        for name in ledger.read_text(encoding="utf-8").split("\n"):
            match = _INBOUND.match(name)
            if not name or name in self.journal.entries or match is None:
                continue
            peserta = accounts.get(match["student"].lower())
            entry = Entry(folder=name, akun=match["student"], tugas=match["assignment"], peserta=peserta,
                          waktu_kirim=match["timestamp"], diterima=_now(), rahasia=self._secret(name))
            current = self.ws.submitted / str(peserta) / entry.tugas / "timestamp.txt"
            sent, filed = _read_sidecar(entry.waktu_kirim), None
            if peserta and current.is_file():
                filed = _read_sidecar(current.read_text(encoding="utf-8"))
            if sent and filed and abs((sent - filed).total_seconds()) < 1:
                entry.tahap = QUEUED
            else:
                entry.tahap = SUPERSEDED
                entry.pesan = "diambil di luar layanan penilaian; bukan kiriman yang dinilai"
            self.journal.entries[name] = entry
            self.publish(entry)
            adopted += 1
        if adopted:
            log.info("%d kiriman yang diambil di luar layanan dicatat", adopted)
            self.journal.save()
        return adopted

    def _secret(self, name: str) -> str | None:
        """The submission's ``submission_secret.txt``, read without following links."""
        path = self.inbound / name / "submission_secret.txt"
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return None
        try:
            text = os.read(fd, 4096).decode("ascii", "replace").strip()
        finally:
            os.close(fd)
        return text if re.fullmatch(r"[0-9a-fA-F]{16,256}", text) else None

    def grade(self) -> int:
        """Grade what is waiting, in the sandbox; refuse (and say so) where none runs."""
        from autograder.cohort import gradebook_guard
        from autograder.grading import run, sandbox

        waiting = self.journal.waiting()
        if not waiting:
            return 0
        try:
            sandbox.choose_mode(False)
        except sandbox.SandboxUnavailable as exc:
            if self.sandbox_problem != str(exc):
                log.error("Penilaian otomatis TIDAK dijalankan (kode peserta tidak dijalankan tanpa "
                          "sandbox): %s", exc)
            self.sandbox_problem = str(exc)
            return 0
        self.sandbox_problem = None
        assignments = sorted({e.tugas for e in waiting})
        started = time.perf_counter()
        report = run.grade(self.ws, assignments, jobs=self.jobs, snapshot_reason=gradebook_guard.LIVE)
        results = {(r.student, r.assignment): r for r in report.results}
        graded = 0
        # a submission that failed before is tried again by each run: it may pass now
        retried = [e for e in self.journal.entries.values() if e.tahap == FAILED and e.tugas in assignments
                   and self.journal.current(e.participant, e.tugas) is e]
        for entry in [*waiting, *retried]:
            result = results.get((entry.participant, entry.tugas))
            if run.is_graded(self.ws, entry.participant, entry.tugas):
                entry.tahap, entry.dinilai = GRADED, _now()   # delivered by deliver()
                entry.pesan = result.message if result and result.status == run.BROKEN else ""
                graded += 1
            elif result is not None and result.status in (run.FAILED, run.UNKNOWN):
                entry.tahap, entry.pesan = FAILED, result.message
                log.warning("Gagal dinilai %s: %s", entry.folder, result.message)
                self.publish(entry)
        self.journal.save()
        self.graded_total += graded
        log.info("Dinilai %d kiriman dalam %.1f detik (%s)", graded, time.perf_counter() - started,
                 report.isolation)
        return graded

    def deliver(self) -> int:
        """Feedback for graded, undelivered submissions; copied to the exchange with the status."""
        pending = [e for e in self.journal.entries.values() if e.tahap == GRADED and not e.dikirim]
        by_assignment: dict[str, list[Entry]] = {}
        for entry in pending:
            by_assignment.setdefault(entry.tugas, []).append(entry)
        delivered = 0
        for assignment, entries in sorted(by_assignment.items()):
            failed = write_feedback(self.ws, assignment, sorted({e.participant for e in entries}))
            for entry in entries:
                self.release(entry, failed.get(entry.participant))
                delivered += 1
            self.journal.save()
        return delivered

    def release(self, entry: Entry, feedback_problem: str | None = None) -> None:
        """Scores from the gradebook, feedback into the exchange (nbgrader's layout), status."""
        from autograder.reports.scores import submission_scores

        scores = submission_scores(self.ws)
        row = scores[(scores.student == entry.peserta) & (scores.assignment == entry.tugas)]
        if not row.empty:
            first = row.iloc[0]
            entry.nilai, entry.nilai_maks = float(first["score"]), float(first["max_score"])
            entry.menunggu_maks = float(first["manual_max"]) if first["needs_manual_grade"] else 0.0
            entry.tahap = AWAITING_MANUAL if first["needs_manual_grade"] else GRADED
        entry.umpan_balik = {}
        if entry.rahasia:
            self._outbox()
            for html in sorted((self.ws.feedback / entry.participant / entry.tugas).glob("*.html")):
                name = feedback_name(entry.rahasia, html.stem)
                write_atomic(self.outbox / name, html.read_bytes(), mode=SHARED_FILE_MODE)
                entry.umpan_balik[html.stem] = name
        if feedback_problem:
            entry.pesan = f"umpan balik belum dapat dibuat: {feedback_problem}"
        entry.dikirim = _now()
        self.publish(entry)
        log.info("Dikirim %s: %s %s/%s", entry.folder, entry.tahap, entry.nilai, entry.nilai_maks)

    def follow_manual_grades(self) -> int:
        """Submissions awaiting hand grading that the trainer has since graded: sent again."""
        from autograder.reports.scores import submission_scores

        waiting = [e for e in self.journal.entries.values() if e.tahap == AWAITING_MANUAL
                   and self.journal.current(e.participant, e.tugas) is e]
        if not waiting:
            return 0
        scores = submission_scores(self.ws).set_index(["student", "assignment"])
        done = [e for e in waiting if (e.participant, e.tugas) in scores.index
                and not bool(scores.loc[(e.participant, e.tugas), "needs_manual_grade"])]
        by_assignment: dict[str, list[Entry]] = {}
        for entry in done:
            by_assignment.setdefault(entry.tugas, []).append(entry)
        for assignment, entries in by_assignment.items():
            failed = write_feedback(self.ws, assignment, sorted({e.participant for e in entries}))
            for entry in entries:
                self.release(entry, failed.get(entry.participant))
        if done:
            self.journal.save()
        return len(done)

    def _outbox(self) -> None:
        """``<exchange>/<course>/feedback`` as nbgrader's release_feedback makes it."""
        if not self.outbox.is_dir():
            self.outbox.mkdir(parents=True, exist_ok=True)
            os.chmod(self.outbox, FEEDBACK_DIR_MODE | (0o2050 if self.groupshared else 0))

    def publish(self, entry: Entry) -> None:
        """The submission's status file in the exchange (only with its secret: nobody else finds it)."""
        if not entry.rahasia:
            return
        self._outbox()
        status = {
            "versi": STATUS_VERSION,
            "peserta": entry.akun,
            "tugas": entry.tugas,
            "waktu_kirim": entry.waktu_kirim,
            "status": entry.tahap,
            "label": STATE_LABELS.get(entry.tahap, entry.tahap),
            "nilai": entry.nilai,
            "nilai_maks": entry.nilai_maks,
            "persen": entry.persen,
            "menunggu_fasilitator_maks": entry.menunggu_maks,
            "umpan_balik": entry.umpan_balik,
            "pesan": entry.pesan,
            "diperbarui": _now(),
        }
        write_atomic(self.outbox / status_name(entry.rahasia),
                     json.dumps(status, ensure_ascii=False, indent=1), mode=SHARED_FILE_MODE)

    def write_health(self) -> None:
        health = {"mulai": self.started, "detak": _now(), "pid": os.getpid(), "putaran": self.cycles,
                  "dinilai": self.graded_total, "antre": len(self.journal.waiting()),
                  "sandbox": self.sandbox_problem, "masalah": self.problem}
        write_atomic(live_dir(self.ws) / HEALTH_FILE, json.dumps(health, ensure_ascii=False), mode=0o640)

    # -- the loop ----------------------------------------------------------------------------------
    def run(self, poll: float = POLL_SECONDS, stop=None) -> None:
        """Cycle until ``stop()`` is true (or SIGTERM/SIGINT); a new folder is noticed within ``poll``."""
        while not (stop and stop()):
            self.cycle()
            deadline = time.monotonic() + poll
            while time.monotonic() < deadline and not (stop and stop()):
                if self.unseen() and self.cycles:
                    break
                time.sleep(min(0.5, poll))


def main(argv: list[str] | None = None) -> int:
    """The service's entry point: ``SPPTIK_KOHORT`` (and ``SPPTIK_EXCHANGE``) from the hub."""
    import argparse

    import autograder.lean  # noqa: F401 - keeps a slow import out
    from autograder.cohort.workspace import Workspace
    from autograder.errors import SpptikError

    parser = argparse.ArgumentParser(description="Layanan penilaian langsung SPP-TIK (dijalankan hub).")
    parser.add_argument("kohort", nargs="?", default=os.environ.get("SPPTIK_KOHORT"))
    parser.add_argument("--exchange", default=os.environ.get("SPPTIK_EXCHANGE"))
    parser.add_argument("--jeda", type=float,
                        default=float(os.environ.get("SPPTIK_LANGSUNG_JEDA", POLL_SECONDS)))
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("SPPTIK_LANGSUNG_JOBS", "0")) or None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s spptik-penilai: %(message)s")
    if not args.kohort:
        log.error("SPPTIK_KOHORT belum diisi: folder kohort yang dinilai layanan ini")
        return 2
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    try:
        os.nice(NICE)
    except OSError:
        pass
    try:
        ws = Workspace(args.kohort)
        service = LiveGrader(ws, Path(args.exchange) if args.exchange else None, jobs=args.jobs,
                             groupshared=os.environ.get("SPPTIK_GROUPSHARED") == "1")
        service.lock()
    except (SpptikError, ServiceBusy) as exc:
        log.error("Layanan penilaian tidak dapat mulai: %s", exc)
        return 2

    def interrupt(signum, _frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, interrupt)
    log.info("Layanan penilaian mulai: kohort %s, exchange %s", ws.root, service.exchange)
    try:
        service.run(args.jeda)
    except KeyboardInterrupt:
        log.info("Layanan penilaian berhenti")
    return 0


if __name__ == "__main__":
    sys.exit(main())
