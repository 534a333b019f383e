"""Participants and trainers in a real JupyterLab, driven in Debian's Chromium by Playwright.

Each test starts JupyterLab on 127.0.0.1 with a temporary root, does what a person
does, and saves a screenshot under `tests/screenshots/` (git-ignored) to look at.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from autograder.course import manifest
from autograder.demo import synthetic
from autograder.grading.run import GRADED, grade
from autograder.intake.collect import collect
from autograder.reports import records
from autograder.reports.scores import submission_scores
from autograder.site.lab import install_overrides, lab_command

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not records.pdf_available(),
                       reason="perlu Chromium (paket Debian chromium) dan Playwright"),
]
SHOTS = Path(__file__).parent / "screenshots"
TOKEN = "uji-peramban"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def jupyterlab(root: Path):
    """A JupyterLab server on 127.0.0.1 for ``root``; stopped (with its kernels) afterwards."""
    install_overrides()
    port = free_port()
    log = open(root.parent / f"lab-{port}.log", "w")
    proc = subprocess.Popen(
        lab_command(root, port=port, token=TOKEN, open_browser=False,
                    extra=["--LabApp.expose_app_in_browser=True",
                           "--ServerApp.shutdown_no_activity_timeout=600"]),
        cwd=root, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("JupyterLab tidak mau mulai: lihat " + log.name) from None
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=records.chromium_path(), args=records.BROWSER_ARGS)
        yield b
        b.close()


def open_notebook(page, url: str, path: str):
    page.goto(f"{url}/lab/tree/{path}?token={TOKEN}")
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " return w && w.sessionContext && w.sessionContext.session"
        " && w.sessionContext.session.kernel; }", timeout=90_000)


def shot(page, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def test_participant_runs_a_lesson_and_a_widget_answers(browser, tmp_path):
    root = tmp_path / "kursus"
    shutil.copytree(manifest.COURSE_DIR / "lessons", root / "pelajaran")
    with jupyterlab(root) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        open_notebook(page, url, "pelajaran/m00_orientasi.ipynb")
        # the interface speaks Indonesian: the language pack, and the project's menu labels
        assert page.get_by_text("Nama", exact=True).first.is_visible()
        menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
        assert menus[:4] == ["Berkas", "Sunting", "Tampilan", "Jalankan"], menus
        assert "Pengaturan" in menus and "Bantuan" in menus
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        slider = page.locator(".widget-slider", has_text="Pengunjung per hari")
        slider.wait_for(timeout=120_000)
        slider.scroll_into_view_if_needed()
        sentence = page.locator(".widget-html", has_text="kunjungan sebulan")
        assert "Dengan 30 pengunjung per hari" in sentence.inner_text()
        handle = slider.locator(".noUi-handle")
        handle.focus()
        for _ in range(10):
            handle.press("ArrowRight")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.widget-html')].some("
            "e => e.innerText.includes('Dengan 40 pengunjung per hari'))", timeout=20_000)
        assert "960 kunjungan sebulan" in sentence.inner_text()
        shot(page, "1-peserta-pelajaran-widget")


def test_participant_fills_validates_saves_and_is_graded(browser, fresh_cohort, tmp_path):
    ws = fresh_cohort
    pid = ws.participants[0].id_peserta
    root = tmp_path / "laptop"
    (root / pid).mkdir(parents=True)
    shutil.copy(manifest.RELEASE_DIR / "m00" / "m00.ipynb", root / pid / "m00.ipynb")
    answers = synthetic.solution_answers(synthetic.load(manifest.SOURCE_DIR / "m00" / "m00.ipynb"))
    with jupyterlab(root) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        open_notebook(page, url, f"{pid}/m00.ipynb")
        for grade_id, text in answers.items():
            # find the answer cell by its nbgrader id, click into its editor, replace the text
            index = page.evaluate(
                "(gid) => window.jupyterapp.shell.currentWidget.content.widgets.findIndex("
                "c => (c.model.getMetadata('nbgrader') || {}).grade_id === gid)", grade_id)
            cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
            cell.scroll_into_view_if_needed()
            editor = cell.locator(".cm-content")
            editor.click()
            page.keyboard.press("Control+A")
            page.keyboard.insert_text(text)
        page.keyboard.press("Escape")
        page.keyboard.press("Control+S")
        page.wait_for_function(
            "() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=30_000)
        page.get_by_role("button", name="Validate").first.click()
        dialog = page.locator(".jp-Dialog")
        dialog.wait_for(timeout=180_000)
        page.wait_for_function(
            "() => { const d = document.querySelector('.jp-Dialog');"
            " return d && /Success|passes|Validating/.test(d.innerText) &&"
            " !/Validating/.test(d.innerText); }", timeout=180_000)
        shot(page, "2-peserta-validasi")
        assert "Success" in dialog.inner_text()
    saved = json.loads((root / pid / "m00.ipynb").read_text())
    typed = [c for c in saved["cells"] if c["metadata"].get("nbgrader", {}).get("solution")]
    assert all("".join(c["source"]).strip() == answers[c["metadata"]["nbgrader"]["grade_id"]]
               for c in typed)
    collect(ws, "m00", [root / pid])
    report = grade(ws, ["m00"], jobs=1)
    assert [r.status for r in report.results] == [GRADED]
    scores = submission_scores(ws).set_index("student")
    assert scores.loc[pid, "score"] == scores.loc[pid, "max_score"] > 0


def test_trainer_grades_by_hand_in_the_formgrader_and_export_shows_it(browser, fresh_cohort,
                                                                      answer_keys, tmp_path):
    from autograder.reports.export import export

    ws = fresh_cohort
    pid = ws.participants[0].id_peserta
    release, answers = answer_keys["m01"]
    synthetic.dump(synthetic.fill(release, answers), tmp_path / "masuk" / f"{pid}_m01.ipynb")
    collect(ws, "m01", [tmp_path / "masuk"])
    grade(ws, ["m01"], jobs=1)
    before = export(ws, tmp_path / "sebelum").table.set_index("ID Peserta").loc[pid]
    scores = submission_scores(ws).set_index("student").loc[pid]
    assert scores["needs_manual_grade"]
    auto = scores["score"]
    with jupyterlab(ws.root) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{url}/login?token={TOKEN}")  # the trainer opens JupyterLab on the cohort
        page.wait_for_url("**/lab**", timeout=60_000)
        page.goto(f"{url}/formgrader/gradebook/m01/m01")
        page.locator("a[href*='submissions']").first.click()
        score = page.locator("input.score#m01_refleksi")
        score.wait_for(timeout=60_000)
        score.scroll_into_view_if_needed()
        score.fill("5")
        score.press("Tab")
        # the formgrader saves on change; wait until the gradebook has it
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            row = submission_scores(ws).set_index("student").loc[pid]
            if row["manual_score"] == 5:
                break
            time.sleep(0.5)
        shot(page, "3-fasilitator-formgrader")
    after = export(ws, tmp_path / "sesudah").table.set_index("ID Peserta").loc[pid]
    row = submission_scores(ws).set_index("student").loc[pid]
    assert row["manual_score"] == 5 and not row["needs_manual_grade"]
    assert after["Nilai m01 (%)"] == round(100 * (auto + 5) / row["max_score"], 1)
    assert after["Nilai m01 (%)"] > before["Nilai m01 (%)"]
