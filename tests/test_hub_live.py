"""The live class on a real hub: grading on submit and the trainers' dashboard.

The project's hub (``test_hub.running_hub``: the site's own jupyterhub_config.py on
127.0.0.1) starts the grading service and the dashboard as managed services. A
trainer releases m00 and opens ``/services/dasbor/`` in Chromium; a participant
fetches, fills and submits it through their server; within a minute the trainer's
page shows it graded (without a reload) and the participant's own server fetches
the Indonesian feedback with nbgrader's Fetch Feedback and reads the status the
service left for them. Another participant opening the dashboard gets 403. The
grading service is then killed: the hub starts it again, and it grades what came
meanwhile without grading the first submission again.
"""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.parse
from pathlib import Path

from test_hub import TRAINER, _processes_with, hub_browser_marks, running_hub

from autograder.cohort.roster import write_roster
from autograder.course import manifest
from autograder.demo import synthetic
from autograder.grading.run import MARKER
from autograder.reports import records
from autograder.site import exchange as hub_exchange
from autograder.site import hub, live, results

pytestmark = hub_browser_marks()
SHOTS = Path(__file__).parent / "screenshots"


def wait_for(condition, timeout: float, what: str, poll: float = 0.5):
    """Poll ``condition`` until it returns something true; fail with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"tidak terjadi dalam {timeout:.0f} detik: {what}")
        time.sleep(poll)


def login(browser, site, name: str):
    """A browser context logged in to the hub as ``name`` (the test authenticator takes any password)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(site.url + "/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", "sandi-uji")
    page.click("#login_submit")
    page.wait_for_url(lambda url: "/hub/login" not in url, timeout=60000)
    return context, page


def service_pids(marker: str, module: str) -> list[int]:
    return [pid for pid, cmd in _processes_with(marker).items() if f"-m {module}" in cmd]


def test_live_class_on_the_hub(fresh_cohort, tmp_path, monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    ws = fresh_cohort
    course_id = ws.settings.course_id
    exchange = tmp_path / "exchange"
    hub_exchange.prepare_exchange(exchange, course_id)
    people = ws.participants[:3]
    roster = tmp_path / "peserta-situs.csv"
    write_roster(people, roster)
    names = [hub.hub_username(p.id_peserta) for p in people]
    monkeypatch.setenv("SPPTIK_LANGSUNG_JEDA", "1")
    source = synthetic.load(manifest.SOURCE_DIR / "m00" / "m00.ipynb")
    answers = synthetic.solution_answers(source)
    path = urllib.parse.quote("m00/m00.ipynb")
    timings = {}

    with running_hub(tmp_path, ws.root, exchange, roster) as site, sync_playwright() as pw:
        site.start_servers([TRAINER, *names])
        tokens = {name: site.user_token(name) for name in [TRAINER, *names]}
        for module in ("autograder.site.live", "autograder.site.dashboard"):  # started with the hub
            assert len(service_pids(str(tmp_path), module)) == 1, module
        released = site.api("POST", f"/user/{TRAINER}/formgrader/api/assignment/m00/release",
                            tokens[TRAINER])
        assert released["success"], released

        browser = pw.chromium.launch(executable_path=records.chromium_path(), args=records.BROWSER_ARGS)
        trainer, page = login(browser, site, TRAINER)
        page.goto(site.url + "/services/dasbor/")
        grid = page.locator("#kisi-isi")
        first = grid.locator(f'tr[data-peserta="{people[0].id_peserta}"] td[data-tugas="m00"]')
        expect(first).to_have_text("belum diambil", timeout=30000)
        assert page.locator("#formgrader").get_attribute("href") == f"/user/{TRAINER}/formgrader"
        page.evaluate("window.__halamanSama = true")

        # pst-0001 fetches: the dashboard learns it from their server
        site.api("POST", f"/user/{names[0]}/assignments/fetch", tokens[names[0]],
                 {"course_id": course_id, "assignment_id": "m00"})
        expect(first).to_have_text("sudah diambil", timeout=30000)

        # ... fills it in and presses Kirim: graded and shown within a minute, without a reload
        model = site.api("GET", f"/user/{names[0]}/api/contents/{path}?content=1", tokens[names[0]])
        site.api("PUT", f"/user/{names[0]}/api/contents/{path}", tokens[names[0]],
                 {"type": "notebook", "format": "json", "content": synthetic.fill(model["content"], answers)})
        sent = time.monotonic()
        site.api("POST", f"/user/{names[0]}/assignments/submit", tokens[names[0]],
                 {"course_id": course_id, "assignment_id": "m00"})
        expect(first).to_have_text("dinilai 100 %", timeout=60000)
        timings["kirim → dasbor"] = time.monotonic() - sent
        assert page.evaluate("window.__halamanSama") is True

        # the participant sees the score and the Indonesian feedback in their own server
        cache = tmp_path / "home" / names[0] / ".local" / "share" / "jupyter" / "nbgrader_cache"
        status = wait_for(lambda: [s for s in results.participant_results(exchange, course_id, cache)
                                   if s["status"] == live.GRADED], 30, "status peserta dinilai")[0]
        assert status["persen"] == 100.0 and status["nilai"] == status["nilai_maks"] == 6
        fetched = site.api("POST", f"/user/{names[0]}/assignments/fetch_feedback", tokens[names[0]],
                           {"course_id": course_id, "assignment_id": "m00"})
        assert fetched["success"], fetched
        timings["kirim → umpan balik"] = time.monotonic() - sent
        feedback = site.api("GET", f"/user/{names[0]}/api/contents/m00/feedback", tokens[names[0]])
        stamp = feedback["content"][0]["name"]
        html = site.api("GET", f"/user/{names[0]}/api/contents/"
                               f"{urllib.parse.quote(f'm00/feedback/{stamp}/m00.html')}?content=1",
                        tokens[names[0]])
        assert "Umpan balik: m00" in html["content"] and "Nilai: 6.0 dari 6.0" in html["content"]
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "dasbor-hub.png"), full_page=True)

        # a participant is refused the dashboard
        other, other_page = login(browser, site, names[1])
        response = other_page.goto(site.url + "/services/dasbor/")
        assert response.status == 403, response.status
        assert "Dasbor kelas" not in other_page.content()
        # the hub's refusal in Indonesian, with the way back
        assert "Akses ditolak" in other_page.inner_text("h1")
        assert other_page.get_by_role("link", name="Kembali ke Beranda").is_visible()
        other_page.screenshot(path=str(SHOTS / "dasbor-hub-403.png"))
        status_api, _ = site.request("GET", "/services/dasbor/api/kelas", tokens[names[1]])
        assert status_api == 403

        # the grading service dies; the hub starts it again; nothing is lost or graded twice
        marker = ws.autograded / people[0].id_peserta / "m00" / MARKER
        graded_at = marker.stat().st_mtime_ns
        journal_before = live.read_journal(ws)
        old = service_pids(str(tmp_path), "autograder.site.live")
        assert len(old) == 1, old
        os.kill(old[0], signal.SIGKILL)
        wait_for(lambda: (pids := service_pids(str(tmp_path), "autograder.site.live")) and pids != old,
                 60, "hub menyalakan ulang layanan penilaian")
        site.api("POST", f"/user/{names[1]}/assignments/fetch", tokens[names[1]],
                 {"course_id": course_id, "assignment_id": "m00"})
        site.api("POST", f"/user/{names[1]}/assignments/submit", tokens[names[1]],
                 {"course_id": course_id, "assignment_id": "m00"})
        second = grid.locator(f'tr[data-peserta="{people[1].id_peserta}"] td[data-tugas="m00"]')
        expect(second).to_have_text("dinilai 0 %", timeout=90000)
        assert marker.stat().st_mtime_ns == graded_at  # not graded again
        journal_after = live.read_journal(ws)
        for name, record in journal_before.items():
            assert journal_after[name]["dinilai"] == record["dinilai"], name
        assert len(journal_after) == len(journal_before) + 1
        counts = page.locator('tfoot td[data-tugas="m00"][data-jumlah="dinilai"]')
        expect(counts).to_have_text("2")
        page.screenshot(path=str(SHOTS / "dasbor-hub.png"), full_page=True)
        browser.close()
    print("\nkelas langsung di hub (detik): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))
    assert timings["kirim → dasbor"] < 60
    assert json.loads((ws.reports / "langsung" / "layanan.json").read_text())["masalah"] is None
