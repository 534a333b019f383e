"""The training site as a participant and a trainer click through it (issue 17, "What was found").

A real JupyterHub with the project's ``jupyterhub_config.py``, started with the systemd
unit's ``UMask=0007``; only the authenticator (JupyterHub's ``dummy``) and the spawner
are the tests' own: the synthetic participant gets a Linux account (made for this module,
removed afterwards) and their JupyterLab runs under its uid (``tests/site_lab_spawner.py``),
so a file the hub leaves readable by root only shows.
Before the hub starts, the environment's ``overrides.json`` is put back in the state an
earlier hub left it (root only): the hub must open it again.

In Chromium, as they click: the participant logs in (the Indonesian "sedang dinyalakan"
page), meets an Indonesian JupyterLab without the news prompt or nbgrader's English
panel, sees the menu item the notebooks name, then in the *Tugas* panel fetches m00
(the file browser follows), fills it, checks it, submits it after a confirmation, sees
the time in WIB and "Nilai: menunggu", then the score and the Indonesian feedback the
site's own grading service (started with the hub) delivers through the exchange. The
trainer's Terminal finds ``spptik`` and ``nbgrader`` and opens in the cohort; the
formgrader has no *Collect*. A bookmark opened while the participant's
server is stopped shows the Indonesian page. Screenshots go to ``tests/screenshots/``.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from autograder.demo import synthetic
from autograder.reports import records
from autograder.site import exchange as hub_exchange
from autograder.site import formgrader, hub, lab
from autograder.site import setup as hub_setup

sys.path.insert(0, str(Path(__file__).parent))
from test_hub import free_port, hub_browser_marks, hub_process  # noqa: E402

pytestmark = hub_browser_marks()

TRAINER = "pelatih"
PARTICIPANT = "lab-0001"  # a synthetic participant with a real Linux account, made for this module
UIDS = {PARTICIPANT: 20201}
UNIT_UMASK = 0o007  # the systemd unit's UMask (autograder/site/setup.py)
HUB_CONFIG = hub.DEPLOY_DIR / "jupyterhub_config.py"
SHOTS = Path(__file__).parent / "screenshots"
MENU_ITEM = "Mulai Ulang Kernel dan Jalankan Semua Sel…"  # what the notebooks tell participants


def shot(page, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"situs-{name}.png"
    page.screenshot(path=str(path))
    return path


# Without a hub --------------------------------------------------------------------------

def _install_under_umask(folder: Path) -> None:
    code = "import sys; from pathlib import Path; from autograder.site.lab import install_overrides; " \
           "install_overrides(Path(sys.argv[1]))"
    subprocess.run([sys.executable, "-c", code, str(folder)], check=True, umask=UNIT_UMASK, timeout=60)


def test_overrides_are_readable_by_every_account_under_the_units_umask(tmp_path):
    prefix = tmp_path / "env"
    folder = prefix / "share" / "jupyter" / "lab" / "settings"
    _install_under_umask(folder)
    path = folder / "overrides.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    for made in (folder, folder.parent, folder.parent.parent, prefix / "share"):
        assert stat.S_IMODE(made.stat().st_mode) & 0o005 == 0o005, made
    values = json.loads(path.read_text())
    assert values["@jupyterlab/translation-extension:plugin"]["locale"] == "id_ID"
    assert values["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    # what an earlier hub left (root only) is opened again, other settings kept
    os.chmod(folder, 0o750)
    path.write_text(json.dumps({"lain:plugin": {"x": 1}}))
    os.chmod(path, 0o640)
    _install_under_umask(folder)
    assert stat.S_IMODE(folder.stat().st_mode) & 0o005 == 0o005
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert json.loads(path.read_text())["lain:plugin"] == {"x": 1}


def test_formgrader_page_has_no_collect_column():
    import nbgrader.server_extensions.formgrader.handlers as handlers
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader([handlers.template_path]))
    original, _, _ = env.loader.get_source(env, formgrader.PAGE)
    assert formgrader.COLLECT_HEADER in original and formgrader.COLLECT_HINT in original  # nbgrader's page
    assert formgrader.hide_collect({"nbgrader_jinja2_env": env})
    page = env.get_template(formgrader.PAGE).render(base_url="", url_prefix="", windows=False,
                                                    exchange_missing=False, current_config=None)
    assert ">Collect<" not in page and "collect button" not in page
    assert "td.collect { display: none; }" in page
    assert formgrader.hide_collect({}) is False


def test_checkout_refuses_a_closed_python_with_a_fix_that_changes_it(tmp_path):
    closed = tmp_path / "root-pyenv"
    (closed / "bin").mkdir(parents=True)
    python = closed / "bin" / "python3.11"
    python.write_text("")
    os.chmod(closed, 0o700)
    why = hub_setup.checkout_problem(interpreter=python)
    assert why and str(closed) in why
    assert f"rm -rf {hub_setup.manifest.REPO_ROOT / '.venv'}" in why
    assert "siapkan-situs.sh" in why and "/usr/bin/python3" in why
    assert "make hub-setup" not in why  # which would make the same environment again


@pytest.fixture
def open_tmp():
    """A temporary folder every account can enter (pytest's own is root's only)."""
    base = Path(tempfile.mkdtemp(prefix="spptik-uji-"))
    os.chmod(base, 0o755)
    yield base
    shutil.rmtree(base, ignore_errors=True)


def test_bring_up_script_stops_before_installing_with_a_closed_python(open_tmp):
    """The script, copied into a checkout whose .venv was made by a Python under a closed folder."""
    tmp_path = open_tmp
    repo = tmp_path / "opt" / "spptik"
    (repo / "deploy" / "jupyterhub").mkdir(parents=True)
    script = repo / "deploy" / "jupyterhub" / "siapkan-situs.sh"
    shutil.copy(hub.DEPLOY_DIR / "siapkan-situs.sh", script)
    (repo / "Makefile").write_text("hub-setup:\n\ttouch installed-anyway\n")
    pyenv = tmp_path / "root" / ".pyenv" / "bin"
    pyenv.mkdir(parents=True)
    (pyenv / "python3.11").write_text("")
    os.chmod(tmp_path / "root", 0o700)
    (repo / ".venv" / "bin").mkdir(parents=True)
    (repo / ".venv" / "bin" / "python3").symlink_to(pyenv / "python3.11")
    for folder in (tmp_path, tmp_path / "opt", repo):
        os.chmod(folder, 0o755)
    started = time.monotonic()
    proc = subprocess.run(["bash", str(script), "--kohort", str(tmp_path / "kohort"),
                           "--fasilitator", "pelatih"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert time.monotonic() - started < 10
    assert f"rm -rf {repo}/.venv" in proc.stderr and "/usr/bin/python3" in proc.stderr
    assert str(tmp_path / "root") in proc.stderr
    assert "== 1." not in proc.stdout and not (repo / "installed-anyway").exists()


def test_participant_settings_load_the_panel_and_hide_nbgrader_english_screens():
    peserta = hub.SINGLEUSER_DIR / "peserta"
    page = json.loads((peserta / "labconfig" / "page_config.json").read_text())
    hidden = {k for k, v in page["disabledExtensions"].items() if v}
    assert {"@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:validate-assignment",
            "@jupyter/nbgrader:menu"} <= hidden
    assert page["spptikPanelTugas"] == "aktif"
    built = json.loads((lab.LABEXTENSIONS_DIR / "@spptik" / "tugas" / "package.json").read_text())
    assert built["name"] == "@spptik/tugas"
    assert (lab.LABEXTENSIONS_DIR / "@spptik" / "tugas" / "static" / built["jupyterlab"]["_build"]["load"]
            .removeprefix("static/")).is_file()
    source = json.loads((lab.LABEXTENSIONS_DIR.parent / "labextension" / "package.json").read_text())
    assert source["version"] == built["version"]


# A real hub under the unit's umask ---------------------------------------------------------

@pytest.fixture(scope="module")
def shared_base():
    """A folder other uids can reach (pytest's own tmp folder is root's only)."""
    base = Path(tempfile.mkdtemp(prefix="spptik-situs-lab-"))
    os.chmod(base, 0o755)
    yield base
    if (base / "hub.log").is_file():  # kept beside the screenshots, to read when a step failed
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(base / "hub.log", SHOTS / "situs-hub.log")
    shutil.rmtree(base, ignore_errors=True)


@contextmanager
def hub_under_unit_umask(base: Path, cohort: Path, exchange: Path, roster: Path):
    admin_token = os.urandom(24).hex()
    port = free_port()
    settings = {
        "SPPTIK_KOHORT": str(cohort), "SPPTIK_FASILITATOR": TRAINER, "SPPTIK_EXCHANGE": str(exchange),
        "SPPTIK_HUB_IP": "127.0.0.1", "SPPTIK_HUB_PORT": str(port),
        "SPPTIK_HUB_INTERNAL_PORT": str(free_port()), "SPPTIK_PROXY_API_PORT": str(free_port()),
        "SPPTIK_HUB_DATA": str(base / "hub"), "SPPTIK_HUB_API_TOKEN": admin_token,
        "SPPTIK_ROSTER": str(roster), "SPPTIK_HUB_HOMES": str(base / "home"),
    }
    env = {**os.environ, **settings,
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"]),
           "PYTHONPATH": str(Path(__file__).parent),
           "SPPTIK_TEST_UIDS": ",".join(f"{name}:{uid}" for name, uid in UIDS.items())}
    (base / "home").mkdir(mode=0o755)
    command = [
        str(Path(sys.executable).parent / "jupyterhub"), "-f", str(HUB_CONFIG),
        "--JupyterHub.authenticator_class=dummy",
        "--JupyterHub.spawner_class=site_lab_spawner.SyntheticUidSpawner",
        f"--SyntheticUidSpawner.home_dir_template={base / 'home'}/{{username}}",
        "--Spawner.args=--LabApp.expose_app_in_browser=True",
    ]
    with hub_process(command, base, env, f"http://127.0.0.1:{port}", admin_token,
                     umask=UNIT_UMASK) as site:
        yield site


@pytest.fixture(scope="module")
def linux_account(shared_base):
    """The participant's Linux account (as `spptik situs siapkan` makes them), removed afterwards.

    The site's checks (collecting, the grading service) know a participant by the
    account that owns their files, so the account must exist.
    """
    import pwd

    try:
        entry = pwd.getpwnam(PARTICIPANT)
    except KeyError:
        entry = None
    if entry is not None and entry.pw_uid != UIDS[PARTICIPANT]:
        pytest.fail(f"akun {PARTICIPANT} sudah ada dengan uid {entry.pw_uid}: hapus dulu (userdel)")
    if entry is None:
        subprocess.run(["useradd", "--no-create-home", "--home-dir", str(shared_base / "home" / PARTICIPANT),
                        "--shell", "/bin/bash", "--uid", str(UIDS[PARTICIPANT]), "--user-group",
                        "--comment", PARTICIPANT, PARTICIPANT], check=True, timeout=60)
    yield PARTICIPANT
    subprocess.run(["userdel", PARTICIPANT], check=False, timeout=60)


@pytest.fixture(scope="module")
def site(shared_base, linux_account):
    """The hub with one trainer and one participant; m00 released by the trainer."""
    from autograder.cohort.roster import write_roster
    from autograder.cohort.workspace import Workspace, init_workspace

    people = synthetic.make_roster(1, prefix="LAB")
    roster = shared_base / "peserta-situs.csv"
    write_roster(people, roster)
    ws = init_workspace(shared_base / "kohort", roster, "Uji situs lab (sintetis)")
    ws = Workspace(ws.root)
    cohort = ws.root
    exchange = shared_base / "exchange"
    hub_exchange.prepare_exchange(exchange, ws.info["course_id"])
    assert hub.hub_username(people[0].id_peserta) == PARTICIPANT
    # the environment's overrides.json as a hub of the old code left it under UMask=0007
    settings = lab.settings_dir()
    lab.install_overrides()
    os.chmod(settings / "overrides.json", 0o660)
    os.chmod(settings, 0o770)
    with hub_under_unit_umask(shared_base, cohort, exchange, roster) as running:
        running.ws, running.exchange, running.base = ws, exchange, shared_base
        running.course_id = ws.info["course_id"]
        running.start_servers([TRAINER])
        running.tokens = {TRAINER: running.user_token(TRAINER)}
        released = running.api("POST", f"/user/{TRAINER}/formgrader/api/assignment/m00/release",
                               running.tokens[TRAINER])
        assert released["success"], released
        yield running


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=records.chromium_path(), args=records.BROWSER_ARGS)
        yield b
        b.close()


def log_in(browser, site, name: str) -> dict:
    """Log in on the site's Indonesian page as ``name``; what was seen on the way."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, timezone_id="Asia/Jakarta")
    page = context.new_page()
    page.goto(site.url + "/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", "sandi-uji")
    started = time.monotonic()
    page.click("#login_submit")
    seen = {"page": page, "context": context}
    if name in UIDS:  # the participant's first login starts their server: the progress page
        page.wait_for_url("**/spawn-pending/**", timeout=30_000, wait_until="domcontentloaded")
        seen["pending_after"] = time.monotonic() - started
        shot(page, "1-peserta-menunggu-server")  # at once: the page leaves when the server is up
        seen["pending_text"] = page.locator("body").inner_text()
        seen["pending_message"] = page.locator("#progress-message").inner_text()
    page.wait_for_url(f"**/user/{name}/lab**", timeout=180_000)
    page.wait_for_selector(".jp-LabShell", timeout=90_000)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started", timeout=90_000)
    seen["lab_after"] = time.monotonic() - started
    return seen


@pytest.fixture(scope="module")
def participant(browser, site):
    seen = log_in(browser, site, PARTICIPANT)
    yield seen
    seen["context"].close()


@pytest.fixture(scope="module")
def trainer(browser, site):
    seen = log_in(browser, site, TRAINER)
    yield seen
    seen["context"].close()


def test_participant_meets_an_indonesian_lab(site, participant):
    page = participant["page"]
    assert "JupyterLab Anda sedang dinyalakan" in participant["pending_text"]
    assert "Your server is starting up" not in participant["pending_text"]
    assert participant["pending_message"].strip()  # something to read from the first moment
    assert participant["pending_after"] < 5
    # the participant's server (uid 20201) read the Indonesian settings the hub wrote under 0007
    settings = lab.settings_dir()
    assert stat.S_IMODE((settings / "overrides.json").stat().st_mode) == 0o644
    assert stat.S_IMODE(settings.stat().st_mode) & 0o005 == 0o005
    page.locator(".lm-MenuBar-itemLabel", has_text="Berkas").wait_for(timeout=30_000)
    menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
    assert menus[:4] == ["Berkas", "Sunting", "Tampilan", "Jalankan"], menus
    assert "Nbgrader" not in menus  # nbgrader's English menu and panel are not loaded
    assert page.url.endswith(f"/user/{PARTICIPANT}/lab/tree/{hub.COURSE_FOLDER}")
    assert page.locator(".jp-SideBar .lm-TabBar-tab[data-id='spptik-tugas']").is_visible()
    assert not page.evaluate("() => window.jupyterapp.commands.hasCommand('nbgrader:open-assignment-list')")
    news = page.evaluate(
        "async () => (await window.jupyterapp.serviceManager.settings.fetch("
        "'@jupyterlab/apputils-extension:notification')).schema.properties.fetchNews.default")
    assert news == "false"
    assert not page.get_by_text("Jupyter news").count() and not page.get_by_text("berita").count()

    # the menu item the notebooks name, as the participant sees it
    page.dblclick(".jp-DirListing-item[title*='m00_orientasi.ipynb']")
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Kernel").click()
    kernel_menu = page.locator(".lm-Menu").last
    kernel_menu.wait_for()
    items = kernel_menu.locator(".lm-Menu-itemLabel").all_inner_texts()
    assert MENU_ITEM in items, items
    assert not any(" and " in item for item in items), "\n".join(items)
    shot(page, "2-peserta-menu-kernel")
    page.keyboard.press("Escape")
    page.locator(".lm-MenuBar-itemLabel", has_text="Jalankan").click()
    run_items = page.locator(".lm-Menu").last.locator(".lm-Menu-itemLabel").all_inner_texts()
    assert "Jalankan Sel Terpilih" in run_items, "\n".join(run_items)
    assert not any("Run " in i for i in run_items), "\n".join(run_items)
    page.keyboard.press("Escape")
    page.locator(".lm-MenuBar-itemLabel", has_text="Sunting").click()
    edit_items = page.locator(".lm-Menu").last.locator(".lm-Menu-itemLabel").all_inner_texts()
    assert "Salin Sel" in edit_items and not any(" Cell" in i for i in edit_items), "\n".join(edit_items)
    page.keyboard.press("Escape")
    lesson = json.loads((site.base / "home" / PARTICIPANT / hub.COURSE_FOLDER / "m00_orientasi.ipynb")
                        .read_text())
    text = "".join("".join(c["source"]) for c in lesson["cells"])
    assert MENU_ITEM in text and "Restart Kernel and Run All" not in text


def _fill(page, answers: dict[str, str]) -> None:
    for grade_id, text in answers.items():
        index = page.evaluate(
            "(gid) => window.jupyterapp.shell.currentWidget.content.widgets.findIndex("
            "c => (c.model.getMetadata('nbgrader') || {}).grade_id === gid)", grade_id)
        assert index >= 0, grade_id
        cell = page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell").nth(index)
        cell.scroll_into_view_if_needed()
        cell.locator(".cm-content").click()
        page.keyboard.press("Control+A")
        page.keyboard.insert_text(text)
    page.keyboard.press("Escape")


def _dialog(page, title: str):
    dialog = page.locator(".jp-Dialog", has_text=title)
    try:
        dialog.wait_for(timeout=180_000)
    except Exception:
        shot(page, "gagal-menunggu-dialog")
        raise
    return dialog


def test_participant_fetches_checks_and_submits_in_the_indonesian_panel(site, participant, answer_keys):
    page = participant["page"]
    home = site.base / "home" / PARTICIPANT
    page.click(".jp-SideBar .lm-TabBar-tab[data-id='spptik-tugas']")
    panel = page.locator("#spptik-tugas")
    item = panel.locator("section[data-tugas='m00']")
    item.wait_for(timeout=30_000)
    assert "Belum diambil" in item.inner_text()
    shot(page, "3-peserta-panel-tugas")

    item.get_by_role("button", name="Ambil").click()
    # the notebook is open, and the file browser is in the assignment's folder
    page.wait_for_function("() => [...document.querySelectorAll('.lm-DockPanel-tabBar .lm-mod-current')]"
                           ".some(t => t.innerText.trim() === 'm00.ipynb')", timeout=60_000)
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.context.path === 'm00/m00.ipynb'"
                           " && window.jupyterapp.shell.currentWidget.content.widgets.length > 0",
                           timeout=60_000)
    assert (home / "m00" / "m00.ipynb").stat().st_uid == UIDS[PARTICIPANT]
    page.wait_for_function("() => window.jupyterapp.shell.widgets('left')"
                           ".find(w => w.id === 'filebrowser') .model.path === 'm00'", timeout=30_000)
    assert "Sudah diambil" in item.inner_text()
    assert not page.get_by_role("button", name="Validate").count()  # nbgrader's English button

    release, answers = answer_keys["m00"]
    _fill(page, answers)
    page.keyboard.press("Control+S")
    item.get_by_role("button", name="Periksa").click()
    dialog = _dialog(page, "Hasil pemeriksaan m00")
    page.wait_for_function("() => !document.querySelector('#spptik-tugas .spptik-Tugas-busy')",
                           timeout=180_000)
    assert "semua pemeriksaan lulus" in dialog.inner_text()
    shot(page, "4-peserta-periksa")
    dialog.get_by_role("button", name="Tutup").click()

    item.get_by_role("button", name="Kirim").click()
    confirm = _dialog(page, "Kirim tugas m00?")
    assert confirm.get_by_role("button", name="Batal").is_visible()
    shot(page, "5-peserta-konfirmasi-kirim")
    inbound = site.exchange / site.course_id / "inbound"
    assert not list(inbound.iterdir())  # nothing is sent before the participant confirms
    confirm.get_by_role("button", name="Kirim").click()
    sent_at = time.monotonic()
    sent = _dialog(page, "Tugas m00 terkirim")
    folder, = inbound.iterdir()
    assert folder.stat().st_uid == UIDS[PARTICIPANT] and folder.name.startswith(f"{PARTICIPANT}+m00+")
    stamp = (folder / "timestamp.txt").read_text().strip()
    when = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S.%f %Z").replace(tzinfo=UTC).astimezone(
        ZoneInfo("Asia/Jakarta"))
    text = sent.inner_text()
    assert f"{when:%H.%M} WIB" in text and str(when.year) in text, (text, stamp)
    sent.get_by_role("button", name="Tutup").click()
    item.locator(".spptik-Tugas-score").wait_for()
    assert item.locator(".spptik-Tugas-score").inner_text() == "menunggu"
    assert "Terkirim 1×" in item.inner_text() and f"{when:%H.%M} WIB" in item.inner_text()
    shot(page, "6-peserta-terkirim")
    submitted = json.loads((folder / "m00.ipynb").read_text())
    typed = {c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"]).strip()
             for c in submitted["cells"] if c["metadata"].get("nbgrader", {}).get("solution")}
    assert typed == {k: v.strip() for k, v in answers.items()}  # saved before sending

    # the site's grading service (started with the hub) grades it and delivers score and feedback;
    # the panel refreshes itself while it is open
    score = item.locator(".spptik-Tugas-score")
    try:
        page.wait_for_function(
            "() => { const s = document.querySelector(\"#spptik-tugas section[data-tugas='m00'] "
            ".spptik-Tugas-score\"); return s && s.innerText !== 'menunggu'; }", timeout=180_000)
    except Exception:
        shot(page, "gagal-menunggu-nilai")
        raise
    graded_after = time.monotonic() - sent_at
    max_score = sum(c["metadata"]["nbgrader"].get("points", 0) for c in release["cells"]
                    if c["metadata"].get("nbgrader", {}).get("grade"))
    assert score.inner_text() == f"{max_score} dari {max_score}", score.inner_text()
    assert "Sudah dinilai" in item.inner_text()
    item.get_by_role("button", name="Lihat umpan balik").click()
    page.wait_for_function("() => [...document.querySelectorAll('.lm-DockPanel-tabBar .lm-mod-current')]"
                           ".some(t => t.innerText.trim() === 'm00.html')", timeout=60_000)
    viewer = page.frame_locator(".jp-HTMLViewer:visible iframe")
    viewer.locator("body").get_by_text("m00").first.wait_for(timeout=60_000)
    fetched = list((home / "m00" / "feedback").glob("*/m00.html"))
    assert len(fetched) == 1 and fetched[0].stat().st_uid == UIDS[PARTICIPANT]
    assert "tersedia" in item.inner_text()
    print(f"\nsitus: dikirim → nilai di panel peserta {graded_after:.1f} s")
    shot(page, "7-peserta-umpan-balik")


def test_trainer_terminal_finds_spptik_in_the_cohort(site, trainer):
    page = trainer["page"]
    # the trainer's Lab has the menu corrections too, and no participant panel
    assert int(page.evaluate("() => document.body.dataset.spptikTerjemahan || '0'")) > 0
    assert not page.locator(".jp-SideBar .lm-TabBar-tab[data-id='spptik-tugas']").count()
    out = site.base / "terminal.txt"
    page.locator(".jp-LauncherCard", has_text="Terminal").first.click()
    terminal = page.locator(".jp-Terminal")
    terminal.wait_for(timeout=30_000)
    terminal.click()
    page.wait_for_function("() => document.querySelector('.jp-Terminal .xterm-helper-textarea')",
                           timeout=30_000)
    page.keyboard.type(f"{{ command -v spptik; command -v nbgrader; pwd; }} > {out}; pwd; command -v spptik")
    page.keyboard.press("Enter")
    deadline = time.monotonic() + 30
    while not (out.is_file() and len(out.read_text().splitlines()) == 3):
        assert time.monotonic() < deadline, "perintah di Terminal tidak berjalan"
        time.sleep(0.2)
    spptik, nbgrader, pwd = out.read_text().splitlines()
    assert spptik == str(hub.VENV_BIN / "spptik") and nbgrader == str(hub.VENV_BIN / "nbgrader")
    assert pwd == str(site.ws.root)
    # the screen shows the same answers (xterm's DOM renderer; a canvas shows what it has)
    page.wait_for_function(
        "(path) => { const rows = document.querySelector('.jp-Terminal .xterm-rows');"
        " return !rows || rows.innerText.split('\\n').some(l => l.trim() === path); }",
        arg=str(hub.VENV_BIN / "spptik"), timeout=30_000)
    shot(page, "8-fasilitator-terminal")


def test_trainer_formgrader_has_no_collect(site, trainer):
    page = trainer["page"]
    page.goto(f"{site.url}/user/{TRAINER}/formgrader/manage_assignments")
    row = page.locator("tr", has_text="m00").first
    row.wait_for(timeout=60_000)
    page.wait_for_function("() => document.querySelectorAll('td.release a').length > 0", timeout=30_000)
    headers = page.locator("th").all_inner_texts()
    assert "Release" in " ".join(headers) and not any("Collect" in h for h in headers), headers
    assert page.locator("td.collect").count() > 0  # nbgrader's script makes the cells...
    assert not page.locator("td.collect").first.is_visible()  # ...which are not shown
    assert not page.locator(".glyphicon-cloud-download").first.is_visible()
    shot(page, "9-fasilitator-formgrader")


def test_bookmark_while_server_is_stopped_shows_indonesian_page(site, participant):
    page = participant["page"]
    site.api("DELETE", f"/hub/api/users/{PARTICIPANT}/server")
    deadline = time.monotonic() + 60
    while site.api("GET", f"/hub/api/users/{PARTICIPANT}")["servers"]:
        assert time.monotonic() < deadline, "server peserta tidak berhenti"
        time.sleep(0.3)
    page.goto(f"{site.url}/user/{PARTICIPANT}/lab/tree/{hub.COURSE_FOLDER}")
    heading = page.locator("h1", has_text="JupyterLab Anda belum menyala")
    heading.wait_for(timeout=30_000)
    body = page.locator("body").inner_text()
    assert "Server not running" not in body and "Launch Server" not in body
    assert "Berkas yang sudah Anda simpan tetap ada" in body
    shot(page, "10-peserta-server-mati")
    started = time.monotonic()
    page.get_by_role("button", name="Nyalakan JupyterLab saya").click()
    page.wait_for_url(f"**/user/{PARTICIPANT}/lab**", timeout=180_000)
    page.wait_for_selector(".jp-LabShell", timeout=90_000)
    restarted = time.monotonic() - started
    page.goto(f"{site.url}/hub/home")
    home = page.locator("body").inner_text()
    assert "Buka JupyterLab saya" in home and "Matikan JupyterLab saya" in home, home
    assert "My Server" not in home and "Logout" not in home and "Keluar" in home
    print(f"\nsitus: peserta masuk {participant['lab_after']:.1f} s (halaman tunggu setelah "
          f"{participant['pending_after']:.1f} s), menyala lagi {restarted:.1f} s")
