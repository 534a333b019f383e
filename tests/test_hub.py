"""The training site on JupyterHub (autograder/hub*.py, deploy/jupyterhub/).

``test_training_site`` starts a real JupyterHub on 127.0.0.1 with the project's own
``jupyterhub_config.py`` (configurable-http-proxy from npm; only the authenticator and
spawner swapped for JupyterHub's test ones from the command line), a trainer and two
participants: the trainer releases m00 through the formgrader, each participant
fetches, fills and submits it through nbgrader's assignment list over the hub's REST
API, then the trainer takes the submissions from the exchange and grades them.
Everything it started is stopped afterwards and checked gone.

The other tests cover the pieces without a hub: settings and their Indonesian
messages, per-user environments, accounts (never real ones), the exchange folders.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from autograder.cli import main as cli
from autograder.cohort.roster import Participant, write_roster
from autograder.cohort.workspace import Workspace
from autograder.course import manifest
from autograder.demo import synthetic
from autograder.site import exchange as hub_exchange
from autograder.site import hub
from autograder.site import setup as hub_setup

pytestmark = [
    pytest.mark.hub,
    pytest.mark.skipif(not hub.PROXY_COMMAND.is_file(),
                       reason="configurable-http-proxy belum dipasang: jalankan make hub-setup"),
]


def hub_browser_marks() -> list:
    """The marks of a hub test module that also drives Chromium (test_hub_live, test_site_lab)."""
    from autograder.reports import records

    return [*pytestmark, pytest.mark.browser,
            pytest.mark.skipif(not records.pdf_available(),
                               reason="perlu Chromium (paket Debian chromium) dan Playwright")]

TRAINER = "pelatih"
HUB_CONFIG = hub.DEPLOY_DIR / "jupyterhub_config.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# A real hub --------------------------------------------------------------------------

class Site:
    """A running hub: its address, admin token and REST helpers."""

    def __init__(self, url: str, admin_token: str):
        self.url = url
        self.admin_token = admin_token

    def request(self, method: str, path: str, token: str, body=None, *, form=False,
                timeout: float = 60) -> tuple[int, object]:
        data, headers = None, {"Authorization": f"token {token}"}
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                raw, status = resp.read(), resp.status
        except urllib.error.HTTPError as exc:
            raw, status = exc.read(), exc.code
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, raw.decode(errors="replace")

    def api(self, method: str, path: str, token: str | None = None, body=None):
        status, value = self.request(method, path, token or self.admin_token, body)
        assert status < 400, f"{method} {path}: {status} {value}"
        return value

    def start_servers(self, names, timeout: float = 150) -> None:
        """All at once, as a room full of participants logging in (the site's own function)."""
        failed = hub_setup.start_servers(self.url, self.admin_token, names, at_once=len(names),
                                         timeout=timeout, poll=0.3)
        assert not failed, failed

    def user_token(self, name: str) -> str:
        value = self.api("POST", f"/hub/api/users/{name}/tokens", body={
            "scopes": [f"access:servers!user={name}"], "note": "uji situs", "expires_in": 3600})
        return value["token"]


def _processes_with(marker: str) -> dict[int, str]:
    """Processes whose environment or command line mentions ``marker`` (this test's folder)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            environ = (entry / "environ").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline or marker in environ:
            found[int(entry.name)] = cmdline.strip()
    return found


@contextmanager
def running_hub(base: Path, cohort: Path, exchange: Path, roster: Path):
    """The project's hub on free 127.0.0.1 ports; stopped, with all it started, afterwards.

    Its settings are written to ``base/situs.env`` as ``spptik situs siapkan`` writes them.
    """
    admin_token = os.urandom(24).hex()
    port = free_port()
    settings = {
        "SPPTIK_KOHORT": str(cohort),
        "SPPTIK_FASILITATOR": TRAINER,
        "SPPTIK_EXCHANGE": str(exchange),
        "SPPTIK_HUB_IP": "127.0.0.1",
        "SPPTIK_HUB_PORT": str(port),
        "SPPTIK_HUB_INTERNAL_PORT": str(free_port()),
        "SPPTIK_PROXY_API_PORT": str(free_port()),
        "SPPTIK_HUB_DATA": str(base / "hub"),
        "SPPTIK_HUB_API_TOKEN": admin_token,
        "SPPTIK_ROSTER": str(roster),
        "SPPTIK_HUB_HOMES": str(base / "home"),  # JupyterHub's test spawner does not change user
        "SPPTIK_DASBOR_PORT": str(free_port()),  # the trainers' dashboard (autograder/site/dashboard.py)
    }
    (base / "situs.env").write_text("".join(f"{k}={v}\n" for k, v in settings.items()))
    env = {**os.environ, **settings,
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    command = [
        str(Path(sys.executable).parent / "jupyterhub"), "-f", str(HUB_CONFIG),
        # JupyterHub's test authenticator and spawner; everything else is the site's config
        "--JupyterHub.authenticator_class=dummy",
        "--JupyterHub.spawner_class=simple",
        f"--SimpleLocalProcessSpawner.home_dir_template={base / 'home'}/{{username}}",
    ]
    with hub_process(command, base, env, f"http://127.0.0.1:{port}", admin_token) as site:
        yield site


@contextmanager
def hub_process(command: list[str], base: Path, env: dict[str, str], url: str, admin_token: str,
                umask: int | None = None):
    """Run a hub command in ``base`` until it answers at ``url``; stop it, and all it started, after.

    Its log is ``base/hub.log`` (printed when the block fails); any process still running
    from ``base`` once the hub has stopped fails the test.
    """
    log_path = base / "hub.log"
    log = log_path.open("w")
    extra = {} if umask is None else {"umask": umask}
    proc = subprocess.Popen(command, cwd=base, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True, **extra)
    site = Site(url, admin_token)
    site.log = log_path
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(site.url + "/hub/api", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("hub tidak mulai:\n" + log_path.read_text()[-3000:]) from None
                time.sleep(0.3)
        yield site
    except BaseException:
        print("catatan hub:\n" + log_path.read_text()[-6000:])
        raise
    finally:
        # the hub stops the servers and the proxy it started (cleanup_servers, cleanup_proxy)
        hub_setup.stop_hub(proc, timeout=45)
        log.close()
        leftovers = {}
        for _ in range(20):  # servers and kernels may take a moment after the hub exits
            leftovers = _processes_with(str(base))
            if not leftovers:
                break
            time.sleep(0.25)
        for pid in leftovers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        assert not leftovers, f"proses tertinggal setelah hub berhenti: {leftovers}"


def _released(site: Site, name: str, token: str, course_id: str) -> list[dict]:
    listing = site.api("GET", f"/user/{name}/assignments?course_id={course_id}", token)
    assert listing["success"], listing
    return listing["value"]


def test_training_site(fresh_cohort, tmp_path, monkeypatch):
    """One trainer and two synthetic participants (PST-0001, PST-0002) of a real cohort."""
    import threading

    monkeypatch.setenv("SPPTIK_PENILAIAN_LANGSUNG", "0")  # here the trainer takes them in by hand

    started = time.monotonic()
    ws = fresh_cohort  # made by init_workspace from synthetic.make_roster (conftest)
    course_id = ws.info["course_id"]
    exchange = tmp_path / "exchange"
    hub_exchange.prepare_exchange(exchange, course_id)
    people = ws.participants[:2]
    roster = tmp_path / "peserta-situs.csv"  # who may log in: two of the cohort
    write_roster(people, roster)
    ids = [p.id_peserta for p in people]
    names = [hub.hub_username(i) for i in ids]
    assert names == ["pst-0001", "pst-0002"]
    timings = {}

    source = synthetic.load(manifest.SOURCE_DIR / "m00" / "m00.ipynb")
    answers = synthetic.solution_answers(source)
    first_answer = sorted(answers)[0]
    fills = {names[0]: None, names[1]: {first_answer}}  # all answers; only the first

    with running_hub(tmp_path, ws.root, exchange, roster) as site:
        timings["hub"] = time.monotonic() - started
        users = {u["name"]: u for u in site.api("GET", "/hub/api/users")}
        assert set(users) == {TRAINER, *names}, "yang boleh masuk: fasilitator dan daftar peserta"
        assert users[TRAINER]["admin"] and not users[names[0]]["admin"]

        # the trainer logs in while `spptik situs mulai` starts every participant's server
        trainer = threading.Thread(target=site.start_servers, args=([TRAINER],))
        trainer.start()
        result = CliRunner().invoke(cli, ["situs", "mulai", "--env", str(tmp_path / "situs.env")])
        trainer.join()
        assert result.exit_code == 0, result.output
        assert "2 server peserta menyala" in result.output
        for name in [TRAINER, *names]:
            assert site.api("GET", f"/hub/api/users/{name}")["servers"][""]["ready"], name
        timings["servers"] = time.monotonic() - started
        tokens = {name: site.user_token(name) for name in [TRAINER, *names]}

        # the trainer's server is on the cohort, with the formgrader; participants' are not
        status, _ = site.request("GET", f"/user/{names[0]}/formgrader/api/assignments", tokens[names[0]])
        assert status == 404
        assignments = site.api("GET", f"/user/{TRAINER}/formgrader/api/assignments", tokens[TRAINER])
        assert "m00" in {a["name"] for a in assignments}

        released = site.api("POST", f"/user/{TRAINER}/formgrader/api/assignment/m00/release",
                            tokens[TRAINER])
        assert released["success"], released
        assert (exchange / course_id / "outbound" / "m00" / "m00.ipynb").is_file()

        for name in names:
            token = tokens[name]
            # the course is in the participant's folder, the interface in Indonesian
            lessons = site.api("GET", f"/user/{name}/api/contents/{hub.COURSE_FOLDER}", token)
            assert "m00_orientasi.ipynb" in {item["name"] for item in lessons["content"]}
            plugin = site.api("GET", f"/user/{name}/lab/api/settings/"
                                     "@jupyterlab/translation-extension:plugin", token)
            assert plugin["schema"]["properties"]["locale"]["default"] == "id_ID"

            listed = _released(site, name, token, course_id)
            assert {(a["assignment_id"], a["status"]) for a in listed} == {("m00", "released")}
            fetched = site.api("POST", f"/user/{name}/assignments/fetch", token,
                               {"course_id": course_id, "assignment_id": "m00"})
            assert ("m00", "fetched") in {(a["assignment_id"], a["status"]) for a in fetched["value"]}

            path = urllib.parse.quote("m00/m00.ipynb")
            model = site.api("GET", f"/user/{name}/api/contents/{path}?content=1", token)
            notebook = synthetic.fill(model["content"], answers, fills[name])
            site.api("PUT", f"/user/{name}/api/contents/{path}", token,
                     {"type": "notebook", "format": "json", "content": notebook})

            submitted = site.api("POST", f"/user/{name}/assignments/submit", token,
                                 {"course_id": course_id, "assignment_id": "m00"})
            mine = [a for a in submitted["value"] if a["status"] == "submitted"]
            assert mine and mine[0]["student_id"] == name, submitted

        inbound = sorted(p.name for p in (exchange / course_id / "inbound").iterdir())
        assert [n.split("+")[:2] for n in inbound] == [[names[0], "m00"], [names[1], "m00"]]
        for name in inbound:  # closed once written (nbgrader leaves them 0777)
            mode = (exchange / course_id / "inbound" / name).stat().st_mode
            assert stat.S_IMODE(mode) == hub_exchange.CLOSED_MODE, (name, oct(mode))

        # issue 13: pst-0001 puts a full-marks notebook named for PST-0002 in their own m00/
        # and submits again; it must not be filed as PST-0002's
        own = site.api("GET", f"/user/{names[0]}/api/contents/{path}?content=1", tokens[names[0]])
        forged = urllib.parse.quote(f"m00/{ids[1]}_m00.ipynb")
        site.api("PUT", f"/user/{names[0]}/api/contents/{forged}", tokens[names[0]],
                 {"type": "notebook", "format": "json", "content": own["content"]})
        site.api("POST", f"/user/{names[0]}/assignments/submit", tokens[names[0]],
                 {"course_id": course_id, "assignment_id": "m00"})

        # no secret of the site on any command line (every account could read them)
        hidden = [site.admin_token, (tmp_path / "hub" / "proxy_auth_token").read_text().strip()]
        for pid, cmdline in _processes_with(str(tmp_path)).items():
            assert not any(secret in cmdline for secret in hidden), (pid, cmdline)

        # the trainer takes the submissions in from the exchange (spptik situs ambil)
        result = CliRunner().invoke(cli, ["situs", "ambil", str(ws.root), "--exchange", str(exchange)])
        assert result.exit_code == 0, result.output
        assert "3 kiriman baru" in result.output
        reasons = [r.read_text() for r in (ws.root / "karantina").rglob(f"{ids[1]}_m00.ipynb.alasan.txt")]
        assert len(reasons) == 1 and f"menyebut peserta lain ({ids[1]})" in reasons[0]
        timings["exchange"] = time.monotonic() - started
    timings["stopped"] = time.monotonic() - started

    # graded with spptik after the site stopped (the trainer may as well do it while it runs)
    from autograder.grading.run import grade
    from autograder.reports.scores import submission_scores

    ws = Workspace(ws.root)
    assert sorted(p.name for p in ws.submitted.iterdir()) == ids  # the roster's spelling, not pst-0001
    report = grade(ws, ["m00"], jobs=2)
    assert not report.failures, [(r.student, r.message) for r in report.failures]
    scores = submission_scores(ws).set_index("student")
    full, part = scores.loc[ids[0]], scores.loc[ids[1]]
    assert full.score == full.max_score > 0
    assert 0 < part.score < part.max_score
    timings["graded"] = time.monotonic() - started
    print("\nsitus pelatihan (detik sejak mulai): "
          + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))


# Settings and per-user servers ---------------------------------------------------------

@pytest.fixture
def cohort(fresh_cohort):
    return fresh_cohort


def site_env(cohort: Workspace, tmp_path: Path, **extra) -> dict[str, str]:
    exchange = tmp_path / "exchange"
    if not exchange.exists():
        hub_exchange.prepare_exchange(exchange, cohort.info["course_id"])
    env = {"SPPTIK_KOHORT": str(cohort.root), "SPPTIK_FASILITATOR": "Pelatih1, pelatih2",
           "SPPTIK_EXCHANGE": str(exchange), "SPPTIK_HUB_DATA": str(tmp_path / "hub")}
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def test_settings_from_roster(cohort, tmp_path):
    settings = hub.settings_from_env(site_env(cohort, tmp_path))
    assert settings.trainers == ("pelatih1", "pelatih2")
    assert settings.participants == {p.id_peserta.lower(): p.id_peserta for p in cohort.participants}
    assert settings.users == {*settings.participants, "pelatih1", "pelatih2"}
    assert settings.course_id == cohort.info["course_id"]
    assert settings.hub_db_url == f"sqlite:///{tmp_path / 'hub' / 'jupyterhub.sqlite'}"
    assert settings.role("pelatih2") == hub.TRAINER and settings.role("pst-0001") == hub.PARTICIPANT


def test_settings_refused_in_indonesian(cohort, tmp_path):
    with pytest.raises(hub.SiteError, match="SPPTIK_KOHORT belum diisi"):
        hub.settings_from_env({})
    with pytest.raises(hub.SiteError, match="bukan ruang kerja kohort"):
        hub.settings_from_env({"SPPTIK_KOHORT": str(tmp_path)})
    with pytest.raises(hub.SiteError, match="SPPTIK_FASILITATOR belum diisi"):
        hub.settings_from_env(site_env(cohort, tmp_path, SPPTIK_FASILITATOR=""))
    with pytest.raises(hub.SiteError, match="tidak ditemukan"):
        hub.settings_from_env(site_env(cohort, tmp_path, SPPTIK_ROSTER=str(tmp_path / "tidak-ada.csv")))
    with pytest.raises(hub.SiteError, match="sama dengan id peserta"):
        hub.settings_from_env(site_env(cohort, tmp_path, SPPTIK_FASILITATOR="PST-0001"))
    with pytest.raises(hub.SiteError, match="akun sistem"):
        hub.settings_from_env(site_env(cohort, tmp_path, SPPTIK_FASILITATOR="root"))
    with pytest.raises(hub.SiteError, match="bukan nomor port"):
        hub.settings_from_env(site_env(cohort, tmp_path, SPPTIK_HUB_PORT="delapan"))
    with pytest.raises(hub.SiteError, match="exchange .* tidak ada"):
        hub.settings_from_env(site_env(cohort, tmp_path, SPPTIK_EXCHANGE=str(tmp_path / "x")))
    closed = tmp_path / "tertutup"
    closed.mkdir(mode=0o755)
    with pytest.raises(hub.SiteError, match="tidak dapat ditulisi peserta"):
        hub.settings_from_env(site_env(cohort, tmp_path, SPPTIK_EXCHANGE=str(closed)))


def test_config_file_refuses_bad_settings_with_a_message(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPPTIK_")}
    proc = subprocess.run([sys.executable, "-c", f"get_config = lambda: None\n"
                           f"exec(open({str(HUB_CONFIG)!r}).read())"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "Gagal: SPPTIK_KOHORT belum diisi" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_per_user_environment(cohort, tmp_path):
    settings = hub.settings_from_env(site_env(cohort, tmp_path, SPPTIK_DB_URL="postgresql://x/y"))
    participant = hub.spawner_environment("pst-0001", settings)
    trainer = hub.spawner_environment("pelatih1", settings)
    assert participant["JUPYTER_CONFIG_PATH"] == str(hub.SINGLEUSER_DIR / "peserta")
    assert trainer["JUPYTER_CONFIG_PATH"] == str(hub.SINGLEUSER_DIR / "fasilitator")
    assert participant["SPPTIK_STUDENT_ID"] == participant["USER"] == "pst-0001"
    assert "SPPTIK_KOHORT" not in participant and "SPPTIK_DB_URL" not in participant
    assert trainer["SPPTIK_KOHORT"] == str(cohort.root)
    assert trainer["SPPTIK_DB_URL"] == "postgresql://x/y"
    assert trainer["SPPTIK_GROUPSHARED"] == "1"  # two trainers share the cohort
    for env in (participant, trainer):
        assert env["SPPTIK_COURSE_ID"] == cohort.info["course_id"]
        assert env["SPPTIK_EXCHANGE"] == str(tmp_path / "exchange")


def test_participants_get_no_instructor_extensions():
    peserta, fasilitator = hub.SINGLEUSER_DIR / "peserta", hub.SINGLEUSER_DIR / "fasilitator"
    server = json.loads((peserta / "jupyter_server_config.json").read_text())
    ext = server["ServerApp"]["jpserver_extensions"]
    assert ext["nbgrader.server_extensions.formgrader"] is False
    assert ext["nbgrader.server_extensions.assignment_list"] is True
    page = json.loads((peserta / "labconfig" / "page_config.json").read_text())
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"} <= \
        {k for k, v in page["disabledExtensions"].items() if v}
    trainer = json.loads((fasilitator / "jupyter_server_config.json").read_text())
    assert trainer["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"]
    assert not (fasilitator / "labconfig").exists()


def test_participant_nbgrader_config(tmp_path):
    """The participant's nbgrader_config.py as nbgrader's assignment list loads it."""
    code = (
        "import json\nfrom nbgrader.apps import NbGrader\n"
        "app = NbGrader(); app.load_config_file()\n"
        "c = app.config\n"
        "print(json.dumps([c.CourseDirectory.course_id, c.Exchange.root, c.CourseDirectory.student_id]))\n"
    )
    env = {**os.environ, "JUPYTER_CONFIG_PATH": str(hub.SINGLEUSER_DIR / "peserta"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "kosong"), "SPPTIK_COURSE_ID": "kursus-uji",
           "SPPTIK_EXCHANGE": "/srv/exchange-uji", "SPPTIK_STUDENT_ID": "pst-0001"}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True,
                         text=True, timeout=60, check=True).stdout
    assert json.loads(out.strip().splitlines()[-1]) == ["kursus-uji", "/srv/exchange-uji", "pst-0001"]


def test_prepare_home_copies_course_once(tmp_path):
    target = hub.prepare_home(tmp_path / "rumah")
    assert (target / "m00_orientasi.ipynb").is_file()
    assert (target / "data" / "kunjungan_bulanan.csv").is_file()
    (target / "m00_orientasi.ipynb").write_text("diubah peserta")
    hub.prepare_home(tmp_path / "rumah")
    assert (target / "m00_orientasi.ipynb").read_text() == "diubah peserta"


# Accounts -------------------------------------------------------------------------------

def test_hub_names_are_lower_case_ids():
    people = [Participant("PST-0001", "Ani Lubis", "P", "Perpustakaan Desa", "desa"),
              Participant("abc_12", "Budi", "L", "Perpustakaan Desa", "desa")]
    assert hub.participant_usernames(people) == {"pst-0001": "PST-0001", "abc_12": "abc_12"}
    assert hub.account_problem("pst-0001") is None
    assert "diawali huruf" in hub.account_problem("0001-pst")
    assert "32 karakter" in hub.account_problem("a" * 33)


def test_bad_ids_refuse_all_accounts():
    people = [Participant("0001", "Ani Lubis", "P", "Perpustakaan Desa", "desa"),
              Participant("PST-0002", "Budi", "L", "Perpustakaan Desa", "desa")]
    with pytest.raises(hub.SiteError) as info:
        hub_setup.plan_accounts(people, ["pelatih"])
    assert "'0001' tidak dapat menjadi nama akun Linux" in str(info.value)
    assert "Ubah id_peserta" in str(info.value)


def test_accounts_dry_run_changes_nothing(cohort, tmp_path):
    card = tmp_path / "kartu.csv"
    result = CliRunner().invoke(cli, ["situs", "akun", str(cohort.root), "--fasilitator", "pelatih",
                                      "--kartu", str(card), "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for p in cohort.participants:
        name = p.id_peserta.lower()
        assert any(line.startswith("useradd ") and line.endswith(f" {name}") for line in lines), name
        assert f"chpasswd  (stdin: {name}:********)" in result.output
    assert "usermod --append --groups spptik-fasilitator pelatih" in result.output
    assert "Uji coba" in result.output
    assert not card.exists()
    import pwd
    with pytest.raises(KeyError):
        pwd.getpwnam(cohort.participants[0].id_peserta.lower())


def test_accounts_card_is_private(cohort, tmp_path, monkeypatch):
    calls = []

    def fake_run(command, **kwargs):  # no real accounts in tests
        calls.append((command, kwargs.get("input")))

    accounts = hub_setup.plan_accounts(cohort.participants, ["pelatih"])
    card = tmp_path / "rahasia" / "kartu.csv"
    result = hub_setup.create_accounts(accounts, card, run=fake_run, echo=lambda _text: None)
    assert len(result.created) == len(cohort.participants) + 1
    assert stat.S_IMODE(card.stat().st_mode) == 0o600
    rows = card.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "akun,kata_sandi,peran,id_peserta,nama"
    passwords = {}
    for command, stdin in calls:
        if command == ["chpasswd"]:
            name, password = stdin.strip().split(":")
            passwords[name] = password
    assert len(passwords) == len(accounts)
    for row in rows[1:]:
        name, password = row.split(",")[:2]
        assert passwords[name] == password and len(password) == 14
    with pytest.raises(hub.SiteError, match="di dalam repositori"):
        hub_setup.create_accounts(accounts, manifest.REPO_ROOT / "kartu.csv", run=fake_run)


def test_bring_up_dry_run(cohort, tmp_path):
    env_file, unit = tmp_path / "situs.env", tmp_path / "spptik-hub.service"
    settings = hub.settings_from_env(site_env(cohort, tmp_path, SPPTIK_EXCHANGE=str(tmp_path / "ex")),
                                     check_exchange=False)
    shown = []
    result = hub_setup.bring_up(settings, cohort.participants, None, dry_run=True, env_file=env_file,
                                unit_file=unit, echo=shown.append)
    assert not env_file.exists() and not unit.exists() and not (tmp_path / "ex").exists()
    text = "\n".join(shown)
    assert f"chown -R pelatih1:spptik-fasilitator {cohort.root}" in text
    assert "chmod -R o-rwx" in text and str(manifest.REPO_ROOT / "source") in text
    assert "systemctl enable --now spptik-hub" in text
    assert ["systemctl", "daemon-reload"] in result.commands
    unit_text = hub_setup.systemd_unit_text(env_file)
    assert f"-f {HUB_CONFIG}" in unit_text and f"EnvironmentFile={env_file}" in unit_text
    env_text = hub_setup.env_file_text(settings)
    assert f"SPPTIK_KOHORT={cohort.root}" in env_text and "SPPTIK_FASILITATOR=pelatih1,pelatih2" in env_text


def test_a_dry_run_shows_exactly_the_steps_the_real_run_takes(cohort, tmp_path, monkeypatch):
    """`spptik situs siapkan --dry-run` and the real run come from one plan: same lines, same order."""
    settings = hub.settings_from_env(site_env(cohort, tmp_path, SPPTIK_EXCHANGE=str(tmp_path / "ex"),
                                              SPPTIK_HUB_API_TOKEN="b" * 64),
                                     check_exchange=False)
    # no real accounts, exchange owner or checkout check: commands are recorded, not run
    monkeypatch.setattr(hub_setup, "prepare_exchange", lambda *args, **kwargs: [])
    monkeypatch.setattr(hub_setup, "checkout_problem", lambda: None)
    monkeypatch.setattr(hub_setup, "new_password", lambda: "sandi-uji-coba")
    files = {"env_file": tmp_path / "situs.env", "unit_file": tmp_path / "u.service",
             "fstab": tmp_path / "fstab"}
    dry, real, ran = [], [], []
    hub_setup.bring_up(settings, cohort.participants, tmp_path / "kartu.csv", dry_run=True,
                       echo=dry.append, run=lambda command, **kw: ran.append(command), **files)
    assert ran == [] and not files["env_file"].exists() and not (tmp_path / "kartu.csv").exists()
    hub_setup.bring_up(settings, cohort.participants, tmp_path / "kartu.csv", echo=real.append,
                       run=lambda command, **kw: ran.append(command), **files)
    assert dry == real
    shown_commands = [line for line in real if not line.startswith("#")]
    assert [shlex.join(c) for c in ran] == [line.split("  (stdin")[0] for line in shown_commands]
    assert files["env_file"].exists() and (tmp_path / "kartu.csv").exists()


def test_the_real_run_stops_before_any_step_on_a_problem(cohort, tmp_path, monkeypatch):
    settings = hub.settings_from_env(site_env(cohort, tmp_path, SPPTIK_EXCHANGE=str(tmp_path / "ex")),
                                     check_exchange=False)
    monkeypatch.setattr(hub_setup, "checkout_problem", lambda: "folder /root tertutup bagi akun lain")
    ran, shown = [], []
    with pytest.raises(hub.SiteError, match="tertutup bagi akun lain"):
        hub_setup.bring_up(settings, cohort.participants, tmp_path / "kartu.csv", echo=shown.append,
                           run=lambda command, **kw: ran.append(command), env_file=tmp_path / "situs.env",
                           unit_file=tmp_path / "u.service", fstab=tmp_path / "fstab")
    assert ran == [] and shown == [] and not (tmp_path / "situs.env").exists()
    hub_setup.bring_up(settings, cohort.participants, tmp_path / "kartu.csv", dry_run=True,
                       echo=shown.append, run=lambda command, **kw: ran.append(command),
                       env_file=tmp_path / "situs.env", unit_file=tmp_path / "u.service",
                       fstab=tmp_path / "fstab")
    assert shown[0].startswith("# PERINGATAN (akan menghentikan langkah sebenarnya): folder /root")
    assert ran == []


# The exchange ----------------------------------------------------------------------------

def test_exchange_folders_follow_nbgrader(tmp_path):
    made = hub_exchange.prepare_exchange(tmp_path / "exchange", "kursus")
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in made}
    assert stat.S_IMODE((tmp_path / "exchange").stat().st_mode) == 0o1777
    assert modes == {"kursus": 0o755, "outbound": 0o755, "inbound": 0o3733}
    assert hub.exchange_problem(tmp_path / "exchange") is None


def _submit(inbound: Path, student: str, notebook: dict, stamp: str, *, finished=True) -> Path:
    folder = inbound / f"{student}+m00+{stamp}+acak{len(list(inbound.iterdir()))}"
    synthetic.dump(notebook, folder / "m00.ipynb")
    if finished:
        (folder / "timestamp.txt").write_text(stamp)
    return folder


def test_collect_from_exchange(fresh_cohort, tmp_path, answer_keys):
    ws = fresh_cohort
    exchange = tmp_path / "exchange"
    course_id = ws.info["course_id"]
    hub_exchange.prepare_exchange(exchange, course_id)
    hub_exchange.set_cohort_exchange(ws.root, exchange)
    assert Workspace(ws.root).config().Exchange.root == str(exchange)
    release, answers = answer_keys["m00"]
    inbound = exchange / course_id / "inbound"
    # nbgrader's times of submission: now (the collector checks files were not changed after)
    now = datetime.now(UTC)
    stamps = [(now + timedelta(seconds=s)).strftime("%Y-%m-%d %H:%M:%S.%f UTC") for s in (0, 5, 6)]
    _submit(inbound, "pst-0001", synthetic.fill(release, answers), stamps[0])
    _submit(inbound, "pst-0002", release, stamps[1])
    _submit(inbound, "pst-0003", release, stamps[2], finished=False)
    (inbound / "bukan-kiriman").mkdir()
    (inbound / "bukan-kiriman" / "timestamp.txt").write_text("x")

    first = hub_exchange.collect_exchange(Workspace(ws.root))
    assert len(first.new) == 3 and first.pending == 1
    assert first.refused == [("bukan-kiriman", "nama folder bukan nama kiriman nbgrader "
                                                "(peserta+tugas+waktu)")]
    assert (ws.submitted / "PST-0001" / "m00" / "m00.ipynb").is_file()
    assert (ws.submitted / "PST-0002" / "m00" / "timestamp.txt").read_text().startswith(stamps[1][:19])
    assert not (ws.submitted / "PST-0003").exists()

    (inbound / next(p.name for p in inbound.iterdir() if p.name.startswith("pst-0003")) /
     "timestamp.txt").write_text(stamps[2])
    second = hub_exchange.collect_exchange(Workspace(ws.root))
    assert second.seen == 3 and len(second.new) == 1
    assert (ws.submitted / "PST-0003" / "m00" / "m00.ipynb").is_file()


def test_collect_from_missing_exchange(fresh_cohort, tmp_path):
    result = CliRunner().invoke(cli, ["situs", "ambil", str(fresh_cohort.root),
                                      "--exchange", str(tmp_path / "tidak-ada")])
    assert result.exit_code == 2
    assert "folder kiriman exchange" in result.output and "tidak ada" in result.output

