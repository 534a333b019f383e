"""The trainers' class dashboard (site/dashboard.py, site/classview.py) for a cohort collecting by file.

A small cohort is graded once for the module: complete, blank, partial and missing
work, a capstone awaiting hand grading, and a participant whose name and whose
failing check message are HTML (a name typed into the roster, and an answer cell
that replaces the course's checker so that the check fails with its own message).
The hub's side (login, trainers only, 403 for participants) is in test_hub_live.py.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.cohort.roster import write_roster
from autograder.cohort.workspace import Workspace, init_workspace
from autograder.demo import synthetic
from autograder.grading.run import grade
from autograder.intake.collect import collect
from autograder.reports import records
from autograder.site.classview import ClassReader

SHOTS = Path(__file__).parent / "screenshots"
EVIL_NAME = '<img src=x onerror="window.__xss=1">Rina <b>Tebal</b>'
EVIL_MESSAGE = "<script>window.__xss=2</script><img src=y onerror=\"window.__xss=3\">"
# An answer cell that replaces the course's checker: the check then fails with this message
EVIL_ANSWER = (
    'jenis_perpustakaan = "c"\n'
    "class cek:\n"
    "    @staticmethod\n"
    "    def salah_satu(*args):\n"
    f"        raise AssertionError({EVIL_MESSAGE!r})\n"
)


def _submit(inbox: Path, student: str, assignment: str, nb: dict) -> None:
    synthetic.dump(nb, inbox / f"{student}_{assignment}.ipynb")


@pytest.fixture(scope="module")
def kelas(tmp_path_factory, answer_keys):
    base = tmp_path_factory.mktemp("dasbor")
    people = synthetic.make_roster(5, prefix="PST")
    people[4] = dataclasses.replace(people[4], nama=EVIL_NAME)
    roster = base / "peserta.csv"
    write_roster(people, roster)
    ws = init_workspace(base / "kohort", roster, "Uji dasbor (sintetis)")
    m00, a00 = answer_keys["m00"]
    m08, a08 = answer_keys["m08"]
    inbox = base / "kiriman"
    _submit(inbox, "PST-0001", "m00", synthetic.fill(m00, a00))
    _submit(inbox, "PST-0001", "m08", synthetic.fill(m08, a08))
    _submit(inbox, "PST-0002", "m00", m00)
    _submit(inbox, "PST-0003", "m00", synthetic.fill(m00, a00, {"m00_jawaban_1"}))
    _submit(inbox, "PST-0005", "m00", synthetic.fill(m00, {**a00, "m00_jawaban_1": EVIL_ANSWER}))
    (inbox / "PST-0002_m01.ipynb").write_bytes(b'{"cells": [ rusak')  # a broken notebook
    collect(ws, "m01", [inbox])
    report = grade(ws, jobs=2)
    assert [(r.student, r.assignment, r.status) for r in report.failures] == [("PST-0002", "m01", "rusak")]
    return ws


def test_class_view(kelas):
    view = ClassReader(Workspace(kelas.root)).view()
    assert view["mode"] == "berkas" and view["layanan"] is None
    cells = {row["id"]: row["sel"] for row in view["peserta"]}
    assert cells["PST-0001"]["m00"] == {"status": "dinilai", "persen": 100.0, "pesan": ""}
    assert cells["PST-0001"]["m08"]["status"] == "menunggu_manual"
    assert cells["PST-0002"]["m00"]["status"] == "dinilai" and cells["PST-0002"]["m00"]["persen"] == 0
    assert 0 < cells["PST-0003"]["m00"]["persen"] < 100
    assert cells["PST-0004"]["m00"]["status"] == "belum_dikirim"
    assert cells["PST-0001"]["m01"]["status"] == "belum_dikirim"
    assert cells["PST-0002"]["m01"]["status"] == "perhatian" and "rusak" in cells["PST-0002"]["m01"]["pesan"]

    tasks = {t["id"]: t for t in view["tugas"]}
    assert tasks["m00"]["jumlah"] == {"dinilai": 4, "belum_dikirim": 1}
    assert tasks["m08"]["jumlah"] == {"menunggu_manual": 1, "belum_dikirim": 4}
    assert tasks["m01"]["jumlah"] == {"perhatian": 1, "belum_dikirim": 4}
    assert [t["id"] for t in view["tugas"] if t["aktif"]] == ["m00", "m01", "m08"]
    behind = {b["id"]: b["tugas"] for b in view["tertinggal"]}
    assert behind == {"PST-0004": ["m00", "m01", "m08"], "PST-0003": ["m01", "m08"],
                      "PST-0005": ["m01", "m08"], "PST-0002": ["m08"], "PST-0001": ["m01"]}
    assert [b["id"] for b in view["tertinggal"]][0] == "PST-0004"  # most behind first

    stuck = {s["cek"]: s for s in tasks["m00"]["macet"]}
    # the blank notebook fails every check, the partial one the last two, and the one that replaced
    # the checker all three (its checker has no cek.angka)
    assert stuck["m00_tes_1"]["gagal"] == 2 and stuck["m00_tes_1"]["dari"] == 4
    assert stuck["m00_tes_2"]["gagal"] == stuck["m00_tes_3"]["gagal"] == 3
    shown = {s["cek"]: [m["teks"] for m in s["pesan"]] for s in tasks["m00"]["macet"]}
    assert sorted(shown["m00_tes_1"]) == sorted([
        "AssertionError: Jenis perpustakaan belum diisi. Ganti tanda ... dengan jawaban Anda, lalu "
        "jalankan sel jawaban itu (Shift+Enter) sebelum sel pemeriksa ini.",
        f"AssertionError: {EVIL_MESSAGE}"])
    assert any("hari_buka" in m for m in shown["m00_tes_2"]), shown


def _serve(folder: Path):
    """``spptik dasbor DIR`` as a trainer starts it; returns the process and the printed address."""
    proc = subprocess.Popen([sys.executable, "-m", "autograder.cli", "dasbor", str(folder),
                             "--tanpa-peramban"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    seen = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        seen.append(line)
        found = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", line)
        if found:
            return proc, found.group(0)
    proc.kill()
    raise AssertionError("spptik dasbor tidak mulai:\n" + "".join(seen))


@pytest.mark.browser
@pytest.mark.skipif(not records.pdf_available(),
                    reason="perlu Chromium (paket Debian chromium) dan Playwright")
def test_dashboard_in_chromium(kelas, tmp_path, answer_keys):
    import urllib.error
    import urllib.request

    from playwright.sync_api import expect, sync_playwright

    folder = tmp_path / "kohort"
    shutil.copytree(kelas.root, folder)
    ws = Workspace(folder)
    proc, url = _serve(folder)
    try:
        base = url.split("?")[0]
        with pytest.raises(urllib.error.HTTPError) as refused:  # no token, no page
            urllib.request.urlopen(base + "api/kelas", timeout=10)
        assert refused.value.code == 403

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=records.chromium_path(), args=records.BROWSER_ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            page.goto(url)
            grid = page.locator("#kisi-isi")
            cell = grid.locator('tr[data-peserta="PST-0001"] td[data-tugas="m00"]')
            cell.wait_for()
            assert cell.inner_text() == "dinilai 100 %"
            assert "menunggu penilaian manual" in \
                grid.locator('tr[data-peserta="PST-0001"] td[data-tugas="m08"]').inner_text()
            title = page.title()
            assert title == "Dasbor kelas · Uji dasbor (sintetis)"

            # participants' HTML is shown as text and runs nothing
            evil_row = grid.locator('tr[data-peserta="PST-0005"]')
            assert evil_row.locator(".nama").inner_text() == EVIL_NAME
            assert page.locator("#kisi img, #macet img, #macet script").count() == 0
            assert EVIL_MESSAGE in page.locator("#macet").inner_text()
            assert page.evaluate("window.__xss") is None

            # PST-0004 sends m00 while the page is open: the grid follows without a reload
            missing = grid.locator('tr[data-peserta="PST-0004"] td[data-tugas="m00"]')
            assert missing.inner_text() == "belum dikirim"
            page.evaluate("window.__halamanSama = true")
            m00, a00 = answer_keys["m00"]
            inbox = tmp_path / "baru"
            _submit(inbox, "PST-0004", "m00", synthetic.fill(m00, a00))
            collect(ws, None, [inbox])
            expect(missing).to_have_text("dikirim", timeout=20000)  # polled, never a sleep
            grade(ws, ["m00"], jobs=1)
            expect(missing).to_have_text("dinilai 100 %", timeout=20000)
            assert page.evaluate("window.__halamanSama") is True  # the same page: never reloaded
            assert page.locator('tfoot td[data-tugas="m00"][data-jumlah="dinilai"]').inner_text() == "5"
            assert "PST-0004): belum mengirim m01, m08" in page.locator("#tertinggal").inner_text()
            assert grid.locator('tr[data-peserta="PST-0002"] td[data-tugas="m01"]').inner_text() == \
                "perlu perhatian"
            assert grid.locator('tr[data-peserta="PST-0002"] td[data-tugas="m02"]').inner_text() == "·"
            assert "(PST-0002) · m01: notebook rusak" in page.locator("#perhatian").inner_text()
            assert "m08 · Rencana kerja perpustakaan (tugas akhir): 1 kiriman" in \
                page.locator("#manual").inner_text()
            SHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SHOTS / "dasbor-berkas.png"), full_page=True)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
