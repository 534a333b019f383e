"""The hub's grading service (autograder/site/live.py), without a hub.

Submissions are written into a real exchange folder the way nbgrader's submit writes
them (notebook, ``timestamp.txt``, ``submission_secret.txt``, and the copy in the
participant's nbgrader cache); the service takes them in, grades them in the
sandbox, and delivers feedback that nbgrader's own ``fetch_feedback`` finds.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import stat
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from autograder.cohort.roster import write_roster
from autograder.cohort.workspace import Workspace, init_workspace
from autograder.demo import synthetic
from autograder.grading.run import MARKER
from autograder.site import exchange as hub_exchange
from autograder.site import live, results


class Room:
    """A cohort, its exchange, and participants who submit through it."""

    def __init__(self, ws: Workspace, base: Path):
        self.ws = ws
        self.base = base
        self.course_id = ws.settings.course_id
        self.exchange = base / "exchange"
        hub_exchange.prepare_exchange(self.exchange, self.course_id)
        self.inbound = self.exchange / self.course_id / "inbound"
        self.sent = 0

    def cache(self, account: str) -> Path:
        return self.base / "rumah" / account / "nbgrader_cache"

    def submit(self, account: str, assignment: str, notebook: dict | bytes, *,
               seconds: float = 0) -> str:
        """What nbgrader's ExchangeSubmit writes, for ``account``; returns the folder's name."""
        self.sent += 1
        when = datetime.now(UTC) + timedelta(seconds=seconds + self.sent * 1e-3)
        stamp = when.strftime("%Y-%m-%d %H:%M:%S.%f UTC")
        secret = secrets.token_hex(64)
        name = f"{account}+{assignment}+{stamp}+acak{self.sent}"
        cached = self.cache(account) / self.course_id / f"{account}+{assignment}+{stamp}"
        for folder in (self.inbound / name, cached):
            folder.mkdir(parents=True)
            data = notebook if isinstance(notebook, bytes) else json.dumps(notebook).encode()
            (folder / f"{assignment}.ipynb").write_bytes(data)
            (folder / "submission_secret.txt").write_text(secret)
            (folder / "timestamp.txt").write_text(stamp)
        return name


@pytest.fixture
def room(fresh_cohort, tmp_path):
    return Room(fresh_cohort, tmp_path)


def results_of(room: Room, account: str) -> list[dict]:
    return results.participant_results(room.exchange, room.course_id, room.cache(account))


def fetch_feedback(room: Room, account: str, assignment: str) -> list[Path]:
    """nbgrader's own fetch_feedback, as the participant's Fetch Feedback runs it."""
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchFeedback
    from traitlets.config import Config

    home = room.base / "rumah" / account
    c = Config()
    c.CourseDirectory.course_id = room.course_id
    c.CourseDirectory.assignment_id = assignment
    c.CourseDirectory.student_id = account
    c.Exchange.root = str(room.exchange)
    c.Exchange.cache = str(room.cache(account))
    c.Exchange.assignment_dir = str(home)
    coursedir = CourseDirectory(config=c)
    ExchangeFetchFeedback(coursedir=coursedir, config=c).start()
    return sorted((home / assignment / "feedback").rglob("*.html"))


def test_submission_graded_and_feedback_delivered(room, answer_keys):
    release, answers = answer_keys["m00"]
    full = room.submit("pst-0001", "m00", synthetic.fill(release, answers))
    part = room.submit("pst-0002", "m00", synthetic.fill(release, answers, {sorted(answers)[0]}))
    assert results_of(room, "pst-0001")[0]["status"] == "dikirim"  # not taken in yet

    service = live.LiveGrader(room.ws, room.exchange)
    started = time.perf_counter()
    done = service.cycle()
    print(f"\n2 kiriman diambil, dinilai, dikirim dalam {time.perf_counter() - started:.1f} detik")
    assert done == {"diambil": 2, "dinilai": 2, "dikirim": 2}, service.problem

    mine = results_of(room, "pst-0001")
    assert len(mine) == 1
    status = mine[0]
    assert status["status"] == live.GRADED and status["label"] == "Sudah dinilai"
    assert status["nilai"] == status["nilai_maks"] == 6 and status["persen"] == 100.0
    assert status["tugas"] == "m00" and status["peserta"] == "pst-0001"
    other = results_of(room, "pst-0002")[0]
    assert 0 < other["nilai"] < other["nilai_maks"]

    # delivered in nbgrader's own layout: its fetch_feedback finds it in the participant's cache
    fetched = fetch_feedback(room, "pst-0001", "m00")
    assert [p.name for p in fetched] == ["m00.html"]
    page = fetched[0].read_text(encoding="utf-8")
    assert "Umpan balik: m00" in page and "Nilai: 6.0 dari 6.0" in page
    released = room.exchange / room.course_id / "feedback" / status["umpan_balik"]["m00"]
    assert stat.S_IMODE(released.stat().st_mode) == 0o644
    folder_mode = stat.S_IMODE((room.exchange / room.course_id / "feedback").stat().st_mode)
    assert folder_mode == 0o711  # nobody lists it: each participant reaches only their own names
    # another participant's secret finds only their own feedback
    assert status["umpan_balik"]["m00"] != other["umpan_balik"]["m00"]

    journal = live.read_journal(room.ws)
    assert {r["folder"]: r["tahap"] for r in journal.values()} == {full: live.GRADED, part: live.GRADED}
    health = live.read_health(room.ws)
    assert health["masalah"] is None and health["sandbox"] is None and health["dinilai"] == 2


def test_restart_neither_loses_nor_regrades(room, answer_keys):
    release, answers = answer_keys["m00"]
    room.submit("pst-0001", "m00", synthetic.fill(release, answers))
    first = live.LiveGrader(room.ws, room.exchange)
    # stopped after grading, before feedback was written and delivered
    assert first.collect() == 1 and first.grade() == 1
    marker = room.ws.autograded / "PST-0001" / "m00" / MARKER
    graded_at = marker.stat().st_mtime_ns
    autograded_nb = (room.ws.autograded / "PST-0001" / "m00" / "m00.ipynb").stat().st_mtime_ns
    assert results_of(room, "pst-0001")[0]["status"] == live.QUEUED

    second_sub = room.submit("pst-0002", "m00", synthetic.fill(release, answers), seconds=1)
    restarted = live.LiveGrader(Workspace(room.ws.root), room.exchange)
    done = restarted.cycle()
    assert done["diambil"] == 1 and done["dinilai"] == 1 and done["dikirim"] == 2, restarted.problem
    # PST-0001 delivered, not graded again: nbgrader's output and the marker are untouched
    assert marker.stat().st_mtime_ns == graded_at
    assert (room.ws.autograded / "PST-0001" / "m00" / "m00.ipynb").stat().st_mtime_ns == autograded_nb
    assert results_of(room, "pst-0001")[0]["status"] == live.GRADED
    assert results_of(room, "pst-0002")[0]["status"] == live.GRADED
    dinilai = {r["akun"]: r["dinilai"] for r in live.read_journal(room.ws).values()}

    # a third start with nothing new does nothing at all
    again = live.LiveGrader(Workspace(room.ws.root), room.exchange)
    assert again.cycle() == {"diambil": 0, "dinilai": 0, "dikirim": 0}
    assert marker.stat().st_mtime_ns == graded_at
    assert {r["akun"]: r["dinilai"] for r in live.read_journal(room.ws).values()} == dinilai
    assert second_sub in live.read_journal(room.ws)


def test_a_broken_submission_does_not_stop_the_others(room, answer_keys):
    release, answers = answer_keys["m00"]
    killer = synthetic.fill(release, {k: "import os\nos._exit(1)" for k in answers})
    room.submit("pst-0001", "m00", b'{"cells": [ rusak')
    room.submit("pst-0002", "m00", killer)
    room.submit("pst-0003", "m00", synthetic.fill(release, answers))
    room.submit("orang-luar", "m00", synthetic.fill(release, answers))  # not on the roster
    service = live.LiveGrader(room.ws, room.exchange)
    service.cycle()
    assert service.problem is None
    good = results_of(room, "pst-0003")[0]
    assert good["status"] == live.GRADED and good["persen"] == 100.0
    broken = results_of(room, "pst-0001")[0]
    assert broken["nilai"] == 0 and "rusak" in broken["pesan"]
    killed = results_of(room, "pst-0002")[0]
    assert killed["status"] in (live.GRADED, live.FAILED) and (killed["nilai"] or 0) == 0
    outsider = results_of(room, "orang-luar")[0]
    assert outsider["status"] == live.REFUSED and "bukan peserta" in outsider["pesan"]


def test_hand_graded_parts_await_the_trainer(room, answer_keys):
    from autograder.grading.manual import set_manual_scores

    release, answers = answer_keys["m08"]
    room.submit("pst-0001", "m08", synthetic.fill(release, answers))
    service = live.LiveGrader(room.ws, room.exchange)
    service.cycle()
    status = results_of(room, "pst-0001")[0]
    assert status["status"] == live.AWAITING_MANUAL, status
    assert status["menunggu_fasilitator_maks"] > 0
    assert "Dinilai otomatis; sebagian menunggu penilaian fasilitator" == status["label"]
    html = (room.exchange / room.course_id / "feedback" / status["umpan_balik"]["m08"]).read_text()
    assert live.AWAITING_NOTE in html

    set_manual_scores(room.ws, "PST-0001", "m08", 1.0)  # the trainer grades by hand
    service._last_manual_check = 0
    service.cycle()
    after = results_of(room, "pst-0001")[0]
    assert after["status"] == live.GRADED and after["persen"] == 100.0
    html = (room.exchange / room.course_id / "feedback" / after["umpan_balik"]["m08"]).read_text()
    assert live.AWAITING_NOTE not in html


def test_taken_in_by_hand_still_delivered(room, answer_keys):
    """The trainer ran `spptik situs ambil` (or Collect) before the service saw the folders."""
    release, answers = answer_keys["m00"]
    older = room.submit("pst-0001", "m00", synthetic.fill(release, answers, set()))
    newer = room.submit("pst-0001", "m00", synthetic.fill(release, answers), seconds=2)
    hub_exchange.collect_exchange(Workspace(room.ws.root), room.exchange)
    service = live.LiveGrader(room.ws, room.exchange)
    assert service.cycle() == {"diambil": 0, "dinilai": 1, "dikirim": 1}
    journal = live.read_journal(room.ws)
    assert journal[older]["tahap"] == live.SUPERSEDED and journal[newer]["tahap"] == live.GRADED
    statuses = {s["waktu_kirim"]: s for s in results_of(room, "pst-0001")}
    assert [s["status"] for s in statuses.values()] == [live.GRADED, live.SUPERSEDED]
    assert results_of(room, "pst-0001")[0]["persen"] == 100.0


def test_no_sandbox_no_grading(room, answer_keys, monkeypatch, caplog):
    release, answers = answer_keys["m00"]
    room.submit("pst-0001", "m00", synthetic.fill(release, answers))
    monkeypatch.setenv("SPPTIK_SANDBOX", "tidak-ada")  # a sandbox that cannot be chosen
    service = live.LiveGrader(room.ws, room.exchange)
    with caplog.at_level("ERROR", logger="autograder.site.live"):
        assert service.cycle() == {"diambil": 1, "dinilai": 0, "dikirim": 0}
    assert "TIDAK dijalankan" in caplog.text
    assert not (room.ws.autograded / "PST-0001").exists()
    assert results_of(room, "pst-0001")[0]["status"] == live.QUEUED
    assert live.read_health(room.ws)["sandbox"]


def test_one_service_per_cohort(room):
    first = live.LiveGrader(room.ws, room.exchange)
    first.lock()
    with pytest.raises(live.ServiceBusy):
        live.LiveGrader(room.ws, room.exchange).lock()


@pytest.mark.slow
def test_burst_of_fifty(tmp_path, answer_keys):
    """Fifty participants press Kirim within seconds: all graded and delivered; time printed."""
    people = synthetic.make_roster(50, prefix="PST")
    roster = tmp_path / "peserta.csv"
    write_roster(people, roster)
    ws = init_workspace(tmp_path / "kohort", roster, "Uji lonjakan (sintetis)")
    room = Room(ws, tmp_path)
    release, answers = answer_keys["m00"]
    keys = sorted(answers)
    for i, p in enumerate(people):
        room.submit(p.id_peserta.lower(), "m00", synthetic.fill(release, answers, set(keys[: i % 4])))
    service = live.LiveGrader(ws, room.exchange)
    started = time.perf_counter()
    done = service.cycle()
    seconds = time.perf_counter() - started
    print(f"\nlonjakan 50 kiriman m00: diambil, dinilai dan dikirim dalam {seconds:.1f} detik "
          f"({os.cpu_count()} inti)")
    assert done == {"diambil": 50, "dinilai": 50, "dikirim": 50}, service.problem
    for i, p in enumerate(people):
        status = results_of(room, p.id_peserta.lower())[0]
        assert status["status"] == live.GRADED
        assert status["nilai"] == 2 * min(i % 4, 3), (p.id_peserta, status)
    shutil.rmtree(room.base / "rumah")
