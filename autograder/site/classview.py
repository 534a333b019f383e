"""What the trainers' dashboard shows, read from one cohort (``autograder/site/dashboard.py`` serves it).

:class:`ClassReader` turns the cohort into the page's JSON: each participant ×
assignment cell's state, counts, who is behind on required work, and where the
class is stuck. Its sources: the gradebook (scores, hand grading outstanding), the
grading markers (what is graded), the grading service's journal
(``laporan/langsung/kiriman.json``: queued, failed, refused), the grading reports
(``laporan/penilaian-*.json``) for what nbgrader could not grade, the autograded
notebooks' error outputs, and on the hub, which assignments each participant
fetched (:class:`FetchWatcher`, asked of their own server).
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from autograder.cohort.workspace import Workspace

log = logging.getLogger("autograder.site.classview")

FETCH_POLL_SECONDS = 10.0    # participants' servers are asked at most this often
FETCHED_FILE = "diambil.json"
STUCK_TOP = 5          # checks shown per assignment
STUCK_MESSAGES = 3     # distinct messages shown per check

# Cell states
NOT_FETCHED = "belum_diambil"
NOT_SENT = "belum_dikirim"     # a cohort that collects by file: nothing to fetch
FETCHED = "diambil"
SUBMITTED = "dikirim"
GRADED = "dinilai"
MANUAL = "menunggu_manual"
ATTENTION = "perhatian"
STATE_LABELS = {
    NOT_FETCHED: "belum diambil",
    NOT_SENT: "belum dikirim",
    FETCHED: "sudah diambil",
    SUBMITTED: "dikirim",
    GRADED: "dinilai",
    MANUAL: "menunggu penilaian manual",
    ATTENTION: "perlu perhatian",
}
DONE_STATES = (SUBMITTED, GRADED, MANUAL, ATTENTION)

# Reading the class ---------------------------------------------------------------------------

def _graded(ws: Workspace, student: str, assignment: str) -> bool:
    """Graded since it was last submitted (the grading marker is newer than its timestamp)."""
    from autograder.grading.run import MARKER

    marker = ws.autograded / student / assignment / MARKER
    stamp = ws.submitted / student / assignment / "timestamp.txt"
    try:
        return marker.stat().st_mtime_ns >= stamp.stat().st_mtime_ns
    except OSError:
        return False


class GradingHistory:
    """What the grading runs said about each submission (``laporan/penilaian-*.json``), read once each.

    A submission nbgrader could not grade is left unmarked and tried again by the next
    run, so the latest run that mentions it says whether it still fails.
    """

    def __init__(self) -> None:
        self._read: set[str] = set()
        self.latest: dict[tuple[str, str], dict] = {}
        self._broken: dict[Path, tuple[int, bool]] = {}

    def failed(self, ws: Workspace) -> dict[tuple[str, str], dict]:
        for report in sorted(ws.reports.glob("penilaian-*.json")):
            if report.name in self._read:
                continue
            self._read.add(report.name)
            try:
                results = json.loads(report.read_text(encoding="utf-8")).get("hasil", [])
            except (OSError, ValueError):
                continue
            for r in results:
                self.latest[(r["student"], r["assignment"])] = r
        return {key: r for key, r in self.latest.items() if r.get("status") == "gagal"}

    def broken(self, folder: Path) -> bool:
        """A submission whose notebook is not valid JSON (graded 0), checked once per version."""
        from autograder.intake.collect import broken_notebooks

        try:
            stamp = (folder / "timestamp.txt").stat().st_mtime_ns
        except OSError:
            return False
        cached = self._broken.get(folder)
        if cached is None or cached[0] != stamp:
            cached = (stamp, bool(broken_notebooks(folder)))
            self._broken[folder] = cached
        return cached[1]


class StuckReader:
    """The checks that failed in autograded notebooks, read once per notebook version."""

    def __init__(self) -> None:
        self._cache: dict[Path, tuple[int, list[tuple[str, str]]]] = {}

    def failures(self, notebook: Path) -> list[tuple[str, str]]:
        """(check id, message) for each test cell with an error output in one notebook."""
        try:
            mtime = notebook.stat().st_mtime_ns
        except OSError:
            return []
        cached = self._cache.get(notebook)
        if cached and cached[0] == mtime:
            return cached[1]
        found = []
        try:
            nb = json.loads(notebook.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            nb = {}
        for cell in nb.get("cells", []):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if not meta.get("grade") or meta.get("solution") or cell.get("cell_type") != "code":
                continue
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    message = str(output.get("evalue") or "").strip()
                    found.append((str(meta.get("grade_id", "?")),
                                  f"{output.get('ename', 'Error')}: {message}" if message
                                  else str(output.get("ename", "Error"))))
                    break
        self._cache[notebook] = (mtime, found)
        return found

    def stuck(self, ws: Workspace, assignment: str, students: list[str]) -> list[dict]:
        """The checks failed by most participants in their latest graded submission."""
        counts: Counter = Counter()
        messages: dict[str, Counter] = {}
        graded = 0
        for student in students:
            folder = ws.autograded / student / assignment
            notebooks = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
            if not notebooks:
                continue
            graded += 1
            seen = set()
            for notebook in notebooks:
                for check, message in self.failures(notebook):
                    if check in seen:
                        continue
                    seen.add(check)
                    counts[check] += 1
                    messages.setdefault(check, Counter())[message] += 1
        return [{"cek": check, "gagal": n, "dari": graded,
                 "pesan": [{"teks": text[:300], "jumlah": k}
                           for text, k in messages[check].most_common(STUCK_MESSAGES)]}
                for check, n in counts.most_common(STUCK_TOP)]


@dataclass
class ClassReader:
    """Reads one cohort into the page's JSON (:meth:`view`)."""

    ws: Workspace
    exchange: Path | None = None          # the hub's exchange: released assignments
    hub: bool = False
    fetched: dict[str, set[str]] = field(default_factory=dict)   # account → assignments fetched
    stuck_reader: StuckReader = field(default_factory=StuckReader)
    history: GradingHistory = field(default_factory=GradingHistory)
    live_grading: bool = True             # the hub's grading service runs (SPPTIK_PENILAIAN_LANGSUNG)

    def released(self) -> set[str]:
        if self.exchange is None:
            return set()
        outbound = Path(self.exchange) / self.ws.settings.course_id / "outbound"
        try:
            return {p.name for p in outbound.iterdir() if p.is_dir()}
        except OSError:
            return set()

    def view(self) -> dict:
        from autograder.reports.scores import submission_scores
        from autograder.site import live

        ws = self.ws
        course = ws.course
        people = ws.participants
        assignments = course.assignment_ids
        scores = {(r.student, r.assignment): r for r in submission_scores(ws).itertuples()}
        journal: dict[tuple[str, str], dict] = {}
        for record in live.read_journal(ws).values():
            if record.get("peserta") and record.get("tahap") != live.SUPERSEDED:
                key = (record["peserta"], record["tugas"])
                if key not in journal or record["waktu_kirim"] > journal[key]["waktu_kirim"]:
                    journal[key] = record
        failures = self.history.failed(ws)
        released = self.released()

        rows: list[dict[str, Any]] = []
        counts: dict[str, Counter[str]] = {a: Counter() for a in assignments}
        for p in people:
            account = p.id_peserta.lower()
            cells: dict[str, dict[str, Any]] = {}
            for a in assignments:
                cell = self.cell(p.id_peserta, account, a, scores.get((p.id_peserta, a)),
                                 journal.get((p.id_peserta, a)), failures.get((p.id_peserta, a)))
                cells[a] = cell
                counts[a][cell["status"]] += 1
            rows.append({"id": p.id_peserta, "nama": p.nama, "instansi": p.instansi, "sel": cells})

        active = [a for a in assignments
                  if a in released or any(r["sel"][a]["status"] in DONE_STATES for r in rows)]
        required = {m.assignment_id for m in course.assignments if m.required}
        behind = []
        for row in rows:
            missing = [a for a in active if a in required and row["sel"][a]["status"] not in DONE_STATES]
            if missing:
                behind.append({"id": row["id"], "nama": row["nama"], "tugas": missing})
        behind.sort(key=lambda b: (-len(b["tugas"]), b["id"]))
        ids = [p.id_peserta for p in people]
        return {
            "kohort": ws.name,
            "mode": "hub" if self.hub else "berkas",
            "diperbarui": datetime.now(UTC).isoformat(timespec="seconds"),
            "label": STATE_LABELS,
            "tugas": [{"id": a, "judul": course.module_for(a).title, "wajib": a in required,
                       "aktif": a in active, "dibagikan": a in released,
                       "jumlah": dict(counts[a]),
                       "macet": self.stuck_reader.stuck(ws, a, ids)} for a in assignments],
            "peserta": rows,
            "tertinggal": behind,
            "layanan": (service_health(ws) if self.live_grading else LIVE_GRADING_OFF) if self.hub else None,
        }

    def cell(self, student: str, account: str, assignment: str, score, record: dict | None,
             failure: dict | None) -> dict:
        from autograder.site import live

        submitted = (self.ws.submitted / student / assignment).is_dir()
        graded = submitted and _graded(self.ws, student, assignment)
        cell = {"status": NOT_FETCHED if self.hub else NOT_SENT, "persen": None, "pesan": ""}
        if score is not None and graded and score.max_score:
            cell["persen"] = round(100.0 * score.score / score.max_score, 1)
        if record and record["tahap"] in (live.REFUSED, live.FAILED):
            cell.update(status=ATTENTION, pesan=record.get("pesan", ""))
        elif record and record["tahap"] == live.QUEUED:
            cell["status"] = SUBMITTED
        elif graded and record and record.get("pesan") and record["tahap"] != live.GRADED:
            cell.update(status=ATTENTION, pesan=record["pesan"])
        elif graded and cell["persen"] == 0 and self.history.broken(self.ws.submitted / student / assignment):
            cell.update(status=ATTENTION, pesan="notebook rusak (bukan JSON yang sah): dinilai 0")
        elif graded:
            cell["status"] = MANUAL if score is not None and score.needs_manual_grade else GRADED
        elif submitted and failure:
            cell.update(status=ATTENTION, pesan=failure.get("message", ""))
        elif submitted:
            cell["status"] = SUBMITTED
        elif assignment in self.fetched.get(account, ()):
            cell["status"] = FETCHED
        return cell


LIVE_GRADING_OFF = {"hidup": False, "pesan": "Penilaian saat kirim dimatikan (SPPTIK_PENILAIAN_LANGSUNG=0): "
                                            "ambil dan nilai dengan spptik situs ambil lalu spptik grade."}


def service_health(ws: Workspace) -> dict:
    """The grading service as the trainer should know it: running, and what is wrong."""
    from autograder.site import live

    health = live.read_health(ws)
    if health is None:
        return {"hidup": False, "pesan": "Layanan penilaian langsung belum pernah berjalan untuk kohort ini."}
    try:
        age = (datetime.now(UTC) - datetime.fromisoformat(health["detak"])).total_seconds()
    except (KeyError, ValueError):
        age = 1e9
    if age > 60:
        return {"hidup": False, "pesan": "Layanan penilaian langsung tidak menjawab sejak "
                                          f"{health.get('detak')}: periksa dengan journalctl -u spptik-hub."}
    if health.get("sandbox"):
        return {"hidup": True, "pesan": "Penilaian otomatis TIDAK berjalan (tidak ada sandbox): "
                                         + health["sandbox"]}
    if health.get("masalah"):
        return {"hidup": True, "pesan": "Putaran terakhir gagal: " + health["masalah"]}
    return {"hidup": True, "pesan": "", "antre": health.get("antre", 0), "dinilai": health.get("dinilai", 0)}


# Fetched assignments, from the participants' own servers (hub only) --------------------------

class FetchWatcher:
    """Which released assignments each participant fetched, asked of their own server.

    nbgrader's fetch leaves no trace in the exchange; each participant's server lists
    it (``/user/<name>/assignments``). Asked with the service's token (scopes
    ``access:servers!user=<participant>`` only), only for participants with something
    still unfetched, and remembered in ``laporan/langsung/diambil.json``. What a
    server answers is only ever read as assignment ids the course knows.
    """

    def __init__(self, ws: Workspace, hub_url: str, token: str, accounts: list[str]):
        from autograder.site import live

        self.ws = ws
        self.hub_url = hub_url.rstrip("/")
        self.token = token
        self.accounts = accounts
        self.path = live.live_dir(ws) / FETCHED_FILE
        self.fetched: dict[str, set[str]] = {}
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
            self.fetched = {k: set(v) for k, v in saved.items() if k in accounts}
        except (OSError, ValueError):
            pass
        self.last = 0.0

    async def poll(self, released: set[str]) -> None:
        from tornado.httpclient import AsyncHTTPClient, HTTPClientError

        if time.monotonic() - self.last < FETCH_POLL_SECONDS or not released:
            return
        self.last = time.monotonic()
        known = set(self.ws.course.assignment_ids)
        client = AsyncHTTPClient()
        changed = False
        for account in self.accounts:
            if released <= self.fetched.get(account, set()):
                continue
            url = (f"{self.hub_url}/user/{account}/assignments?course_id={self.ws.settings.course_id}")
            try:
                response = await client.fetch(url, headers={"Authorization": f"token {self.token}"},
                                              request_timeout=5, follow_redirects=False,
                                              validate_cert=False)  # loopback, the hub's own cert
                listing = json.loads(response.body)
            except (HTTPClientError, OSError, ValueError):
                continue
            if not isinstance(listing, dict) or not isinstance(listing.get("value"), list):
                continue
            got = {str(item.get("assignment_id")) for item in listing["value"]
                   if isinstance(item, dict) and item.get("status") in ("fetched", "submitted")}
            got &= known
            if not got <= self.fetched.get(account, set()):
                self.fetched.setdefault(account, set()).update(got)
                changed = True
        if changed:
            from autograder.files import write_atomic

            write_atomic(self.path, json.dumps({k: sorted(v) for k, v in self.fetched.items()}), mode=0o640)
