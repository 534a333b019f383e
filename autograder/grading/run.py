"""``spptik grade``: autograde what is new through nbgrader's own autograde, in parallel.

nbgrader stays the authority: every submission goes through
``NbGraderAPI.autograde`` (its sanitising and autograding preprocessors and its
gradebook). This module decides what needs grading, runs submissions in a pool
of worker processes, survives a bad submission, and reports in Indonesian.

Resuming: a submission counts as graded when the gradebook holds it and the
marker ``autograded/<s>/<a>/.spptik-dinilai.json``, written only after nbgrader
finished, matches the submitted files (timestamp and hash). A run killed half
way leaves no marker for what it was doing, and the next run grades it again.

Speed: kernels come from one warm zygote per run (``zygote.py``), inside the
sandbox (``sandbox.py``); workers share it. See README for the measured figures.
``SPPTIK_TANPA_PERCEPATAN=1`` grades with none of the speed-ups (``patches.py``),
still in the sandbox.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from autograder.cohort.workspace import Workspace
from autograder.files import write_atomic
from autograder.intake.collect import broken_notebooks

log = logging.getLogger(__name__)

GRADED = "dinilai"
SKIPPED = "sudah_dinilai"
FAILED = "gagal"
BROKEN = "rusak"
UNKNOWN = "tidak_dikenal"

STATUS_LABELS = {
    GRADED: "Dinilai",
    SKIPPED: "Sudah dinilai sebelumnya",
    BROKEN: "Notebook rusak (nilai 0)",
    FAILED: "Gagal dinilai",
    UNKNOWN: "Peserta/tugas tidak dikenal",
}


@dataclass
class GradeResult:
    student: str
    assignment: str
    status: str
    score: float | None = None
    max_score: float | None = None
    message: str = ""
    seconds: float = 0.0


@dataclass
class GradeReport:
    results: list[GradeResult] = field(default_factory=list)
    seconds: float = 0.0
    isolation: str = ""      # which protection ran, for the trainer (Indonesian)
    sandbox: str = ""        # the mode that ran: sandbox.BUBBLEWRAP, LANDLOCK or TRUSTED
    warm: bool = False       # kernels came from the warm zygote
    speedups: bool = False   # the speed-ups of patches.py were on (off: SPPTIK_TANPA_PERCEPATAN=1)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failures(self) -> list[GradeResult]:
        return [r for r in self.results if r.status in (FAILED, BROKEN, UNKNOWN)]


@dataclass(frozen=True)
class Job:
    student: str
    assignment: str


MARKER = ".spptik-dinilai.json"


def _fingerprint(folder: Path) -> dict:
    """What was graded: the submission's timestamp and the hash of its notebooks."""
    import hashlib

    digest = hashlib.sha256()
    for nb in sorted(folder.glob("*.ipynb")):
        digest.update(nb.name.encode() + b"\0" + nb.read_bytes())
    stamp = folder / "timestamp.txt"
    return {"timestamp": stamp.read_text(encoding="utf-8").strip() if stamp.is_file() else None,
            "sha256": digest.hexdigest()}


def _mark_graded(ws: Workspace, job: Job, fingerprint: dict) -> None:
    """Written only after nbgrader finished: a run killed half way leaves no marker."""
    folder = ws.autograded / job.student / job.assignment
    if folder.is_dir():
        write_atomic(folder / MARKER, json.dumps(fingerprint))


def is_graded(ws: Workspace, student: str, assignment: str) -> bool:
    marker = ws.autograded / student / assignment / MARKER
    if not marker.is_file():
        return False
    try:
        done = json.loads(marker.read_text(encoding="utf-8"))
    except ValueError:
        return False
    return done == _fingerprint(ws.submitted / student / assignment)


def find_work(ws: Workspace, assignments: Iterable[str] | None = None,
              force: bool = False) -> tuple[list[Job], list[GradeResult]]:
    """Submissions that need grading, and the ones to report without grading."""
    wanted = list(assignments) if assignments else ws.course.assignment_ids
    unknown_assignments = [a for a in wanted if a not in ws.course.assignment_ids]
    if unknown_assignments:
        raise ValueError(
            f"Tugas tidak dikenal: {', '.join(unknown_assignments)}. "
            f"Tugas yang ada: {', '.join(ws.course.assignment_ids)}"
        )
    known = ws.participant_ids()
    jobs: list[Job] = []
    notes: list[GradeResult] = []
    graded = _graded_pairs(ws)
    if not ws.submitted.is_dir():
        return jobs, notes
    for student_dir in sorted(p for p in ws.submitted.iterdir() if p.is_dir()):
        for assignment in wanted:
            folder = student_dir / assignment
            if not folder.is_dir():
                continue
            if student_dir.name not in known:
                notes.append(GradeResult(student_dir.name, assignment, UNKNOWN,
                                         message="peserta tidak ada di daftar peserta kohort"))
                continue
            if (not force and (student_dir.name, assignment) in graded
                    and is_graded(ws, student_dir.name, assignment)):
                notes.append(GradeResult(student_dir.name, assignment, SKIPPED))
                continue
            jobs.append(Job(student_dir.name, assignment))
    return jobs, notes


def _graded_pairs(ws: Workspace) -> set[tuple[str, str]]:
    """(participant, assignment) pairs the gradebook holds a submission for.

    Plain SQL over nbgrader's tables: the grading run's main process never imports
    nbgrader (see cohort/workspace.py); its workers do the grading.
    """
    from sqlalchemy import text

    engine = ws.engine()
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT sa.student_id, a.name FROM submitted_assignment sa "
                "JOIN assignment a ON a.id = sa.assignment_id")).all()
    finally:
        engine.dispose()
    return {(s, a) for s, a in rows}


# Worker side ------------------------------------------------------------------------

_worker: dict = {}


class KernelSource:
    """Where this grading run's kernels come from: one scratch folder and one warm zygote.

    Started by the grading run's main process and shared by its workers. The
    sandbox mode is chosen before anything starts (``sandbox.choose_mode``): where
    no sandbox can run, grading refuses unless the code is trusted. A zygote that
    cannot start means no confined kernels: the run stops with the reason.
    """

    def __init__(self, ws: Workspace, warm: bool = True, trusted: bool = False,
                 speedups: bool = True):
        import tempfile

        from autograder.grading import sandbox
        from autograder.grading.zygote import ZygoteClient, ZygoteError

        self.mode = sandbox.choose_mode(trusted)  # raises SandboxUnavailable
        self.scratch = Path(tempfile.mkdtemp(prefix="spptik-nilai-"))
        self.policy = sandbox.SandboxPolicy.for_workspace(ws.root, self.scratch, self.mode)
        if self.mode == sandbox.LANDLOCK and self.policy.namespaces:
            self.policy.namespaces = sandbox.namespaces_work(self.scratch)
        if self.policy.confined:
            os.chmod(self.scratch, 0o711)  # kernels of their own user id pass through, never list
            warm = True  # kernels are confined by the zygote's children: there is no other way
        self.zygote = None
        self.token = ""
        self.speedups = speedups
        if warm:
            try:
                self.zygote = ZygoteClient.start(self.policy, speedups=speedups)
                self.token = self.zygote.token
            except (ZygoteError, OSError) as exc:
                if self.policy.confined:
                    self.close()
                    raise sandbox.SandboxUnavailable(
                        f"sandbox penilaian tidak dapat dimulai: {exc}") from exc
                self.zygote = None

    def wait_ready(self) -> None:
        """Wait for the zygote to preload (it starts in the background).

        Trusted code falls back to ordinary kernels if it failed; confined grading stops.
        """
        from autograder.grading import sandbox
        from autograder.grading.zygote import ZygoteError

        if self.zygote is not None:
            try:
                self.zygote.wait_ready()
            except ZygoteError as exc:
                self.zygote = None
                if self.policy.confined:
                    raise sandbox.SandboxUnavailable(
                        f"sandbox penilaian tidak dapat dimulai: {exc}") from exc

    @property
    def warm(self) -> bool:
        return self.zygote is not None

    def describe(self) -> str:
        from autograder.grading import sandbox

        speed = "kernel hangat" if self.warm else "kernel biasa"
        speed += (", dengan percepatan" if self.speedups
                  else ", tanpa percepatan (SPPTIK_TANPA_PERCEPATAN=1)")
        return f"{speed}; {sandbox.describe(self.policy)}"

    def close(self) -> None:
        import shutil

        if self.zygote is not None:
            self.zygote.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


def _init_worker(root: str, scratch: str, warm: bool, token: str, confined: bool,
                 speedups: bool = True) -> None:
    import gc
    import logging
    import warnings

    from autograder.grading import execution, patches
    from autograder.grading.zygote import ZygoteClient

    # what the forkserver imported stays: the collector need not walk it again and again
    gc.freeze()
    logging.disable(logging.WARNING)
    warnings.filterwarnings("ignore", module="nbgrader")
    warnings.filterwarnings("ignore", message=".*not in session.*")
    ws = Workspace(root)
    zygote = ZygoteClient.connect(Path(scratch), token) if warm else None
    # the first kernel waits for the zygote to listen
    execution.activate(zygote, Path(scratch), confined, speedups)
    for stage in (patches.ALWAYS, patches.GRADEBOOK, patches.KERNEL_CLIENT):
        patches.apply(stage, speedups)
    _worker["ws"] = ws
    _worker["api"] = ws.api(isolated=True)


def grade_one(job: Job) -> GradeResult:
    """Autograde one submission in this worker through nbgrader; never raises."""
    ws: Workspace = _worker["ws"]
    api = _worker["api"]
    start = time.perf_counter()
    folder = ws.submitted / job.student / job.assignment
    fingerprint = _fingerprint(folder)
    broken = broken_notebooks(folder)
    if broken:
        _record_zero(ws, job)
        (ws.autograded / job.student / job.assignment).mkdir(parents=True, exist_ok=True)
        _mark_graded(ws, job, fingerprint)
        return GradeResult(job.student, job.assignment, BROKEN,
                           message=f"notebook rusak, bukan JSON yang sah: {', '.join(broken)}; "
                                   "berkas disimpan, nilai 0",
                           seconds=time.perf_counter() - start)
    notes = tampering(ws, folder, job.assignment)
    from autograder.grading import finishing  # nbconvert: imported by workers, not the main process

    finishing.collected.clear()
    try:
        result = api.autograde(job.assignment, job.student, force=True, create=False)
    except Exception as exc:  # noqa: BLE001 - reported, the batch goes on
        result = {"success": False, "error": repr(exc), "log": ""}
    elapsed = time.perf_counter() - start
    if not result.get("success"):
        # scored 0 for now; left unmarked, so the next run tries it again
        _record_zero(ws, job)
        return GradeResult(job.student, job.assignment, FAILED,
                           message="; ".join([_explain_failure(result), *notes]), seconds=elapsed)
    # limits hit, and participants' content made inert after scoring (grading/finishing.py)
    notes += finishing.collected
    score, max_score = _score(ws, job)
    _mark_graded(ws, job, fingerprint)
    return GradeResult(job.student, job.assignment, GRADED, score, max_score,
                       message="; ".join(notes), seconds=elapsed)


def _locked_cells(nb: dict) -> dict[str, tuple[str, str]]:
    cells = {}
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("locked") or (meta.get("grade") and not meta.get("solution")):
            source = cell.get("source", "")
            cells[meta.get("grade_id", "")] = (cell.get("cell_type", ""),
                                               "".join(source) if isinstance(source, list) else source)
    return cells


def tampering(ws: Workspace, folder: Path, assignment: str) -> list[str]:
    """Test or locked cells a participant deleted or edited (nbgrader restores them)."""
    notes = []
    for released in ws.release_notebooks(assignment):
        submitted = folder / released.name
        if not submitted.is_file():
            continue
        want = _locked_cells(json.loads(released.read_text(encoding="utf-8")))
        got = _locked_cells(json.loads(submitted.read_text(encoding="utf-8-sig")))
        deleted = sorted(set(want) - set(got))
        edited = sorted(k for k in set(want) & set(got) if want[k][1].strip() != got[k][1].strip())
        if deleted:
            notes.append(f"sel terkunci dihapus peserta, dipulihkan dari gradebook: {', '.join(deleted)}")
        if edited:
            notes.append(f"sel terkunci diubah peserta, dipulihkan dari gradebook: {', '.join(edited)}")
    return notes


def _explain_failure(result: dict) -> str:
    text = (result.get("error") or "") + "\n" + (result.get("log") or "")
    if "DeadKernelError" in text or "Kernel died" in text:
        return "kernel berhenti mendadak saat menjalankan notebook (kode peserta mematikan kernel)"
    if "CellTimeoutError" in text or "timed out" in text.lower():
        return "batas waktu sel terlampaui"
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    # nbgrader ends with "Please see the above traceback": the cause is the last
    # exception line before it (e.g. "ValueError: No student with ID ...")
    causes = [line for line in lines if _EXCEPTION_LINE.match(line)
              and not line.startswith(("nbgrader.converters.base.NbGraderException", "NbGraderException"))]
    cause = causes[-1] if causes else (lines[-1] if lines else "sebab tidak diketahui")
    return "nbgrader gagal menilai: " + cause[:400]


_EXCEPTION_LINE = re.compile(r"^[\w.]*(Error|Exception|Exit)\b.*?: ")


def _record_zero(ws: Workspace, job: Job) -> None:
    """Make sure the gradebook holds the submission, scoring 0 where nothing was graded."""
    try:
        with ws.gradebook() as gb:
            submission = gb.update_or_create_submission(job.assignment, job.student)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.auto_score is None and grade.manual_score is None:
                        grade.auto_score = 0
                        grade.needs_manual_grade = False
            gb.db.commit()
    except Exception:  # noqa: BLE001 - the failure itself is already reported
        pass


def _score(ws: Workspace, job: Job) -> tuple[float | None, float | None]:
    with ws.gradebook() as gb:
        submission = gb.find_submission(job.assignment, job.student)
        return float(submission.score), float(submission.max_score)


# Driver ---------------------------------------------------------------------------

def default_jobs() -> int:
    """Three workers per core: much of a worker's time is spent waiting on its kernel.

    Measured on 2 cores (60 submissions of m03, three runs each): 4 workers 15.2 s,
    6 workers 14.1 s, 8 workers 14.5 s; on m00 6 workers were also faster than 4.
    At most 24: each worker has a kernel of its own in memory.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(2, min(3 * cores, 24))


def grade(ws: Workspace, assignments: Iterable[str] | None = None, *, force: bool = False,
          jobs: int | None = None, warm: bool = True, trusted: bool = False,
          on_start: Callable[[int], None] | None = None,
          on_result: Callable[[GradeResult], None] | None = None,
          snapshot_reason: str = "grade") -> GradeReport:
    """Grade every new submission; one failure never stops the others.

    Participants' code runs only in a sandbox (``sandbox.py``); where none can
    run, ``SandboxUnavailable`` is raised before anything is written, unless
    ``trusted`` says the code may run with the trainer's rights. ``snapshot_reason``: how the
    gradebook snapshot taken first is labelled (the live service's are rate-limited).
    """
    from autograder.cohort import gradebook_guard  # refuses a damaged gradebook, keeps a snapshot
    from autograder.grading import patches, sandbox

    sandbox.choose_mode(trusted)  # refuse before writing anything
    started = time.perf_counter()
    speedups = patches.enabled()  # read once: the workers and the zygote are told
    jobs = max(1, jobs or default_jobs())
    # The workers' server and the zygote preload for seconds of CPU: they start first, and
    # the gradebook is checked and the work found meanwhile (stopped again if there is none).
    context = _worker_context() if jobs > 1 else None
    source = KernelSource(ws, warm, trusted, speedups)
    log.info("sandbox %s, zygote dimulai (%.2f s)", source.mode, time.perf_counter() - started)
    report = GradeReport(speedups=speedups)
    try:
        gradebook_guard.before_write(ws, snapshot_reason)
        work, notes = find_work(ws, assignments, force)
        work = _longest_first(ws, work)
        log.info("%d kiriman perlu dinilai, %d dicatat tanpa dinilai (%.2f s)", len(work), len(notes),
                 time.perf_counter() - started)
        report.results.extend(notes)
        if on_start:
            on_start(len(work))
        initargs = (str(ws.root), str(source.scratch), source.warm, source.token,
                    source.policy.confined, speedups)
        if not work:
            pass
        elif context is None or len(work) == 1:
            source.wait_ready()
            _init_worker(*initargs)
            for job in work:
                _deliver(grade_one(job), report, on_result)
        else:
            _run_pool(context, work, jobs, initargs, source, report, on_result)
    finally:
        report.isolation = source.describe()
        report.sandbox = source.mode
        report.warm = source.warm
        source.close()
    report.seconds = time.perf_counter() - started
    _write_report(ws, report)
    log.info("selesai: %d kiriman dalam %.2f s", report.count(GRADED), report.seconds)
    return report


def _longest_first(ws: Workspace, work: list[Job]) -> list[Job]:
    """Biggest submissions first, so that the run does not end waiting on one long notebook.

    A notebook's size in bytes stands for its cost (cells, outputs); the order of
    grading changes nothing else.
    """
    def size(job: Job) -> int:
        folder = ws.submitted / job.student / job.assignment
        return sum(nb.stat().st_size for nb in folder.glob("*.ipynb"))

    return sorted(work, key=size, reverse=True)


WORKER_PRELOAD = ["autograder.grading.worker_preload"]


def _worker_context():
    """Workers fork from a server that has nbgrader and nbconvert imported (seconds of CPU).

    The server is started here, before the zygote, so that both preload at once.
    """
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_PRELOAD)
    forkserver.ensure_running()
    return context


def _deliver(result: GradeResult, report: GradeReport, on_result) -> None:
    log.debug("%s/%s: %s (%.2f s) %s", result.student, result.assignment, result.status,
              result.seconds, result.message)
    report.results.append(result)
    if on_result:
        on_result(result)


def _run_pool(context, work, jobs, initargs, source, report, on_result) -> None:
    with ProcessPoolExecutor(max_workers=min(jobs, len(work)), mp_context=context,
                             initializer=_init_worker, initargs=initargs) as pool:
        futures = {pool.submit(grade_one, job): job for job in work}
        source.wait_ready()  # the workers wait for it too, and fall back if it failed
        log.info("zygote siap")
        for future in as_completed(futures):
            job = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker crashed
                result = GradeResult(job.student, job.assignment, FAILED,
                                     message=f"proses penilai berhenti: {exc}")
            _deliver(result, report, on_result)


def _write_report(ws: Workspace, report: GradeReport) -> Path:
    ws.reports.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = ws.reports / f"penilaian-{stamp}.json"
    write_atomic(path, json.dumps({"detik": round(report.seconds, 2), "percepatan": report.speedups,
                                   "hasil": [asdict(r) for r in report.results]},
                                  ensure_ascii=False, indent=1))
    return path
