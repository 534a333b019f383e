"""The training site on JupyterHub: settings, user names, per-user servers, accounts, exchange.

One Bimtek batch runs on one Linux server. JupyterHub (with
configurable-http-proxy from npm) logs people in with their system account
(PAM) and starts a JupyterLab for each of them as that account
(LocalProcessSpawner). ``deploy/jupyterhub/jupyterhub_config.py`` is a thin
file that calls :func:`settings_from_env` and :func:`apply_config`; everything
the tests check lives here.

Who is who:

* a **participant**'s hub user name is their ``id_peserta`` in lower case
  (JupyterHub lower-cases every user name, and the roster refuses two ids that
  differ only in case), so it is also their Linux account and their nbgrader
  student id. ``collect`` matches ids case-insensitively, so submissions file
  under the roster's own spelling.
* a **trainer** (*fasilitator*) is a hub admin whose server opens on the cohort
  workspace with the formgrader.

Per-user settings travel through the spawner's environment:
``JUPYTER_CONFIG_PATH`` points at ``deploy/jupyterhub/singleuser/peserta`` or
``.../fasilitator``, whose ``nbgrader_config.py``, ``jupyter_server_config.json``
and ``labconfig/page_config.json`` read ``SPPTIK_*`` variables. Participants do
not get the formgrader, course list or create-assignment extensions.

nbgrader's exchange is one shared folder (``Exchange.root``); the course id is
the cohort's ``course_id``. Its ``inbound`` folder is writable by everyone but
not listable (``3733``: set-group-id, sticky, write+search for others), as
nbgrader's release creates it, plus the sticky bit so that nobody removes
another person's submission.
"""

from __future__ import annotations

import csv
import dataclasses
import grp
import json
import os
import pwd
import re
import secrets
import shlex
import shutil
import stat
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from autograder import manifest
from autograder.roster import Participant, RosterError, read_roster

DEPLOY_DIR = manifest.REPO_ROOT / "deploy" / "jupyterhub"
SINGLEUSER_DIR = DEPLOY_DIR / "singleuser"
TEMPLATES_DIR = DEPLOY_DIR / "templates"
PROXY_COMMAND = DEPLOY_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
VENV_BIN = Path(sys.executable).parent

PARTICIPANT = "peserta"
TRAINER = "fasilitator"
ROLE_LABELS = {PARTICIPANT: "peserta", TRAINER: "fasilitator"}

DEFAULT_EXCHANGE = Path("/srv/nbgrader/exchange")
DEFAULT_STATE_DIR = Path("/var/lib/spptik-hub")
DEFAULT_PORT = 8000
DEFAULT_HUB_PORT = 8081
DEFAULT_PROXY_API_PORT = 8001
TRAINER_GROUP = "spptik-fasilitator"
SERVICE_NAME = "spptik-admin"
COURSE_FOLDER = "kursus"
SPAWN_TIMEOUT = 600  # seconds a server may take to start when the whole room logs in at once

# Debian's adduser NAME_REGEX, and at most 32 characters (useradd's limit).
ACCOUNT_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
FIRST_REGULAR_UID = 1000


class SiteError(RuntimeError):
    """The training site cannot be set up or started (message in Indonesian)."""


# User names -----------------------------------------------------------------------

def hub_username(id_peserta: str) -> str:
    """The hub user name, Linux account and nbgrader student id of a participant."""
    return id_peserta.strip().lower()


def account_problem(name: str) -> str | None:
    """Why ``name`` cannot be a Linux account for the site, or None when it can."""
    if not ACCOUNT_PATTERN.match(name):
        return (f"'{name}' tidak dapat menjadi nama akun Linux: harus diawali huruf, hanya huruf "
                "kecil, angka, '-' dan '_', paling banyak 32 karakter")
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return None
    if entry.pw_uid < FIRST_REGULAR_UID:
        return f"'{name}' adalah akun sistem di server ini (uid {entry.pw_uid}); pakai nama lain"
    return None


def participant_usernames(participants: Iterable[Participant]) -> dict[str, str]:
    """Hub user name → id_peserta, for every participant of a roster."""
    return {hub_username(p.id_peserta): p.id_peserta for p in participants}


def parse_trainers(text: str | None) -> tuple[str, ...]:
    names = [hub_username(n) for n in re.split(r"[,\s]+", text or "") if n.strip()]
    return tuple(dict.fromkeys(names))


# Settings ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SiteSettings:
    """Everything the hub needs to know about one training site."""

    cohort: Path
    course_id: str
    exchange: Path
    trainers: tuple[str, ...]
    participants: dict[str, str]          # hub user name → id_peserta
    roster: Path
    ip: str = ""
    port: int = DEFAULT_PORT
    hub_port: int = DEFAULT_HUB_PORT
    proxy_api_port: int = DEFAULT_PROXY_API_PORT
    state_dir: Path = DEFAULT_STATE_DIR
    db_url: str = ""
    api_token: str | None = None
    ssl_cert: str | None = None
    ssl_key: str | None = None
    gradebook_url: str | None = None
    proxy_command: Path = PROXY_COMMAND
    cohort_name: str = ""
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def users(self) -> set[str]:
        return set(self.participants) | set(self.trainers)

    def role(self, username: str) -> str:
        return TRAINER if username in self.trainers else PARTICIPANT

    @property
    def hub_db_url(self) -> str:
        return self.db_url or f"sqlite:///{self.state_dir / 'jupyterhub.sqlite'}"


def _int(environ: Mapping[str, str], key: str, default: int, problems: list[str]) -> int:
    raw = environ.get(key, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        problems.append(f"{key}='{raw}' bukan nomor port (1–65535)")
        return default
    return int(raw)


def cohort_info(cohort: Path) -> dict:
    meta = cohort / "kohort.toml"
    if not meta.is_file() or not (cohort / "nbgrader_config.py").is_file():
        raise SiteError(f"{cohort} bukan ruang kerja kohort (tidak ada kohort.toml). "
                        "Buat dulu dengan: spptik init FOLDER --roster peserta.csv")
    return tomllib.loads(meta.read_text(encoding="utf-8"))


def settings_from_env(environ: Mapping[str, str] | None = None, *,
                      check_exchange: bool = True) -> SiteSettings:
    """Read and check the site's settings from ``SPPTIK_*`` variables.

    Every problem is reported at once, in Indonesian, as one :class:`SiteError`.
    """
    env = os.environ if environ is None else environ
    problems: list[str] = []

    raw_cohort = env.get("SPPTIK_KOHORT", "").strip()
    if not raw_cohort:
        raise SiteError("SPPTIK_KOHORT belum diisi: folder kohort (dibuat dengan spptik init) "
                        "yang dipakai situs ini")
    cohort = Path(raw_cohort).resolve()
    info = cohort_info(cohort)

    trainers = parse_trainers(env.get("SPPTIK_FASILITATOR"))
    if not trainers:
        problems.append("SPPTIK_FASILITATOR belum diisi: nama akun fasilitator, dipisah koma "
                        "(misalnya SPPTIK_FASILITATOR=pelatih1,pelatih2)")

    roster = Path(env.get("SPPTIK_ROSTER", "").strip() or cohort / "roster.csv")
    participants: dict[str, str] = {}
    try:
        participants = participant_usernames(read_roster(roster))
    except RosterError as exc:
        problems.append(str(exc))

    for name in trainers:
        if name in participants:
            problems.append(f"nama fasilitator '{name}' sama dengan id peserta di daftar peserta")
    for name in [*trainers, *participants]:
        why = account_problem(name)
        if why:
            problems.append(why + (f" (id_peserta {participants[name]})" if name in participants else ""))

    exchange = Path(env.get("SPPTIK_EXCHANGE", "").strip() or info.get("exchange")
                    or DEFAULT_EXCHANGE)
    if check_exchange:
        why = exchange_problem(exchange)
        if why:
            problems.append(why)

    proxy = Path(env.get("SPPTIK_PROXY", "").strip() or PROXY_COMMAND)
    if not (proxy.is_file() and os.access(proxy, os.X_OK)):
        problems.append(f"configurable-http-proxy tidak ditemukan di {proxy}: jalankan "
                        "'make hub-setup' (npm ci di deploy/jupyterhub)")

    ssl_cert = env.get("SPPTIK_HUB_SSL_CERT", "").strip() or None
    ssl_key = env.get("SPPTIK_HUB_SSL_KEY", "").strip() or None
    if bool(ssl_cert) != bool(ssl_key):
        problems.append("SPPTIK_HUB_SSL_CERT dan SPPTIK_HUB_SSL_KEY harus diisi keduanya (HTTPS) "
                        "atau dikosongkan keduanya")
    for path in (ssl_cert, ssl_key):
        if path and not Path(path).is_file():
            problems.append(f"berkas sertifikat {path} tidak ditemukan")

    settings = SiteSettings(
        cohort=cohort,
        course_id=info.get("course_id", "spptik"),
        exchange=exchange,
        trainers=trainers,
        participants=participants,
        roster=roster,
        ip=env.get("SPPTIK_HUB_IP", "").strip(),
        port=_int(env, "SPPTIK_HUB_PORT", DEFAULT_PORT, problems),
        hub_port=_int(env, "SPPTIK_HUB_INTERNAL_PORT", DEFAULT_HUB_PORT, problems),
        proxy_api_port=_int(env, "SPPTIK_PROXY_API_PORT", DEFAULT_PROXY_API_PORT, problems),
        state_dir=Path(env.get("SPPTIK_HUB_DATA", "").strip() or DEFAULT_STATE_DIR),
        db_url=env.get("SPPTIK_HUB_DB_URL", "").strip(),
        api_token=env.get("SPPTIK_HUB_API_TOKEN", "").strip() or None,
        ssl_cert=ssl_cert,
        ssl_key=ssl_key,
        gradebook_url=env.get("SPPTIK_DB_URL", "").strip() or None,
        proxy_command=proxy,
        cohort_name=info.get("name", cohort.name),
    )
    if settings.api_token is not None and len(settings.api_token) < 32:
        problems.append("SPPTIK_HUB_API_TOKEN terlalu pendek: paling sedikit 32 karakter acak "
                        "(buat dengan: openssl rand -hex 32)")
    if problems:
        raise SiteError("Pengaturan situs pelatihan salah:\n- " + "\n- ".join(problems))
    return settings


# The exchange ------------------------------------------------------------------------

INBOUND_MODE = 0o3733     # set-group-id + sticky; owner rwx; others may write, not list
OUTBOUND_MODE = 0o755
COURSE_MODE = 0o755
ROOT_MODE = 0o1777        # everyone may create their course folder; nobody removes another's


def exchange_problem(root: Path) -> str | None:
    """Why participants could not use the exchange at ``root``, or None."""
    if not root.is_dir():
        return (f"folder exchange {root} tidak ada: buat dengan 'spptik situs siapkan' "
                "(atau SPPTIK_EXCHANGE menunjuk folder yang salah)")
    mode = root.stat().st_mode
    if (mode & 0o003) != 0o003:
        return (f"folder exchange {root} tidak dapat ditulisi peserta (mode {oct(mode & 0o7777)}); "
                f"jalankan: chmod {oct(ROOT_MODE)[2:]} {root}")
    return None


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


# Per-user servers ---------------------------------------------------------------------

def role_config_dir(role: str) -> Path:
    return SINGLEUSER_DIR / role


def spawner_environment(username: str, settings: SiteSettings) -> dict[str, str]:
    """The environment of one user's JupyterLab (nbgrader settings travel through it)."""
    role = settings.role(username)
    env = {
        "JUPYTER_CONFIG_PATH": str(role_config_dir(role)),
        "SPPTIK_ROLE": role,
        "SPPTIK_COURSE_ID": settings.course_id,
        "SPPTIK_EXCHANGE": str(settings.exchange),
        # nbgrader's exchange takes the student id from the OS account; the site says it outright
        "USER": username,
        "LOGNAME": username,
        "PATH": os.pathsep.join([str(VENV_BIN), "/usr/local/bin", "/usr/bin", "/bin"]),
    }
    if role == TRAINER:
        env["SPPTIK_KOHORT"] = str(settings.cohort)
        if settings.gradebook_url:
            env["SPPTIK_DB_URL"] = settings.gradebook_url
        if len(settings.trainers) > 1:
            env["SPPTIK_GROUPSHARED"] = "1"
    else:
        env["SPPTIK_STUDENT_ID"] = username
    env.update(settings.extra_env)
    return env


def _spawner_home(spawner) -> tuple[Path, int | None, int | None]:
    """The home folder the spawner will start in, and the owner to give new files."""
    home_dir = getattr(spawner, "home_dir", None)  # SimpleLocalProcessSpawner (tests)
    if home_dir:
        return Path(home_dir), None, None
    entry = pwd.getpwnam(spawner.user.name)
    return Path(entry.pw_dir), entry.pw_uid, entry.pw_gid


def prepare_home(home: Path, uid: int | None = None, gid: int | None = None) -> Path:
    """Put the course (lessons and data) in ``home/kursus`` once; never overwrite."""
    home = Path(home)
    target = home / COURSE_FOLDER
    if target.exists():
        return target
    home.mkdir(parents=True, exist_ok=True)
    staging = home / f".{COURSE_FOLDER}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(manifest.COURSE_DIR / "lessons", staging,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    shutil.copytree(manifest.COURSE_DIR / "data", staging / "data")
    if uid is not None:
        for path in [staging, *staging.rglob("*")]:
            os.chown(path, uid, gid if gid is not None else -1)
    staging.rename(target)
    return target


def configure_spawner(spawner, settings: SiteSettings) -> None:
    """The hub's pre-spawn hook: role, environment, start folder and page for one user."""
    name = spawner.user.name
    role = settings.role(name)
    spawner.environment = {**spawner.environment, **spawner_environment(name, settings)}
    if role == TRAINER:
        spawner.notebook_dir = str(settings.cohort)
        spawner.default_url = "/lab"
    else:
        home, uid, gid = _spawner_home(spawner)
        prepare_home(home, uid, gid)
        spawner.notebook_dir = str(home)
        spawner.default_url = f"/lab/tree/{COURSE_FOLDER}"
    if os.geteuid() == 0 and getattr(spawner, "home_dir", None):
        # SimpleLocalProcessSpawner does not change user: a test site runs servers as root
        spawner.args = [*spawner.args, "--allow-root"]


def pam_authenticator_class():
    """JupyterHub's PAM authenticator, given the account name in lower case.

    JupyterHub lower-cases a user name only after PAM has checked the password, so a
    participant who types the id as printed on the roster (``PST-0001``) would be
    refused; the account is ``pst-0001``.
    """
    from jupyterhub.auth import PAMAuthenticator

    class SitePAMAuthenticator(PAMAuthenticator):
        async def authenticate(self, handler, data):
            data = {**data, "username": hub_username(data.get("username", ""))}
            return await super().authenticate(handler, data)

    return SitePAMAuthenticator


def proxy_auth_token(state_dir: Path) -> str:
    """The proxy's API token, kept across hub restarts (a running proxy keeps its token)."""
    path = Path(state_dir) / "proxy_auth_token"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    token = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")
    return token


def apply_config(c, settings: SiteSettings) -> None:
    """Fill a JupyterHub config object ``c`` for the site (jupyterhub_config.py calls this)."""
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.state_dir, 0o700)
    scheme = "https" if settings.ssl_cert else "http"
    c.JupyterHub.bind_url = f"{scheme}://{settings.ip or ''}:{settings.port}"
    if settings.ssl_cert:
        c.JupyterHub.ssl_cert = settings.ssl_cert
        c.JupyterHub.ssl_key = settings.ssl_key
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = settings.hub_port
    c.JupyterHub.db_url = settings.hub_db_url
    c.JupyterHub.cookie_secret_file = str(settings.state_dir / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(settings.state_dir / "jupyterhub.pid")
    c.JupyterHub.template_paths = [str(TEMPLATES_DIR)]
    c.JupyterHub.template_vars = {"spptik_kohort": settings.cohort_name}

    c.ConfigurableHTTPProxy.command = [str(settings.proxy_command)]
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
    c.ConfigurableHTTPProxy.auth_token = proxy_auth_token(settings.state_dir)
    c.ConfigurableHTTPProxy.pid_file = str(settings.state_dir / "jupyterhub-proxy.pid")

    # Real accounts: PAM passwords, accounts made by `spptik situs siapkan` from the roster.
    c.JupyterHub.authenticator_class = pam_authenticator_class()
    c.Authenticator.allowed_users = set(settings.users)
    c.Authenticator.admin_users = set(settings.trainers)
    c.Authenticator.allow_existing_users = False  # the roster is the list of who may log in
    c.LocalAuthenticator.create_system_users = False

    c.JupyterHub.spawner_class = "localprocess"
    # jupyterhub-singleuser, started without an import that costs 2.5 s of CPU (see the file)
    c.Spawner.cmd = [sys.executable, str(DEPLOY_DIR / "singleuser.py")]
    c.Spawner.pre_spawn_hook = lambda spawner: configure_spawner(spawner, settings)
    # Fifty JupyterLabs starting at once on 2 cores take about 3 minutes (README, "Batas"):
    # wait for them rather than give up after JupyterHub's default 30 s.
    c.Spawner.start_timeout = SPAWN_TIMEOUT
    c.Spawner.http_timeout = SPAWN_TIMEOUT

    if settings.api_token:
        # a service for scripts: starting every server before class, ukur.py, tests
        c.JupyterHub.services = [{"name": SERVICE_NAME, "api_token": settings.api_token}]
        c.JupyterHub.load_roles = [{
            "name": "spptik-admin",
            "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "read:hub"],
            "services": [SERVICE_NAME],
        }]


# Accounts ------------------------------------------------------------------------------

PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off a printed card


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    nama: str = ""
    id_peserta: str = ""


@dataclass
class AccountResult:
    created: list[Account] = field(default_factory=list)
    existing: list[Account] = field(default_factory=list)
    commands: list[list[str]] = field(default_factory=list)
    card: Path | None = None


def new_password(rng=secrets) -> str:
    groups = ["".join(rng.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)


def plan_accounts(participants: Iterable[Participant], trainers: Iterable[str]) -> list[Account]:
    """The accounts a site needs; refused whole (SiteError) if any name cannot be one."""
    accounts = [Account(name=t, role=TRAINER) for t in trainers]
    taken = {a.name for a in accounts}
    problems = []
    for p in participants:
        name = hub_username(p.id_peserta)
        if name in taken:
            problems.append(f"id_peserta {p.id_peserta}: nama akun '{name}' sudah dipakai fasilitator")
        accounts.append(Account(name=name, role=PARTICIPANT, nama=p.nama, id_peserta=p.id_peserta))
    for a in accounts:
        why = account_problem(a.name)
        if why:
            problems.append(why + (f" (id_peserta {a.id_peserta})" if a.id_peserta else ""))
    if problems:
        raise SiteError("Akun tidak dapat dibuat:\n- " + "\n- ".join(problems)
                        + "\nUbah id_peserta di daftar peserta (misalnya diawali huruf) lalu buat "
                          "ulang kohort, atau pilih nama fasilitator lain.")
    return accounts


def _comment(text: str) -> str:
    return re.sub(r"[:,=\n\r]", " ", text).strip()[:60]


def account_commands(account: Account, group: str = TRAINER_GROUP) -> list[list[str]]:
    """The commands that create one account (the password goes to chpasswd on stdin)."""
    commands = [["useradd", "--create-home", "--home-dir", f"/home/{account.name}", "--shell", "/bin/bash",
                 "--comment", _comment(account.nama or f"Fasilitator {account.name}"), account.name],
                ["chpasswd"],
                ["chmod", "700", f"/home/{account.name}"]]
    if account.role == TRAINER:
        commands.append(["usermod", "--append", "--groups", group, account.name])
    return commands


def _account_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def create_accounts(accounts: list[Account], card: Path | None, *, dry_run: bool = False,
                    run: Callable[..., object] = subprocess.run,
                    echo: Callable[[str], None] = print) -> AccountResult:
    """Create the Linux accounts of a site; passwords go to a trainer-only card (CSV, mode 600).

    Existing accounts are left as they are (their password is not changed). The card
    ("kartu akun") must be outside the repository. ``dry_run`` prints what would be
    done and changes nothing.
    """
    result = AccountResult(card=card)
    if not dry_run:
        if card is None:
            raise SiteError("Tentukan berkas kartu akun (--kartu), di luar repositori; "
                            "kata sandi peserta ditulis di sana")
        if _inside(card, manifest.REPO_ROOT):
            raise SiteError(f"Kartu akun {card} ada di dalam repositori: kata sandi tidak boleh "
                            "masuk git. Pilih tempat lain, misalnya /root/kartu-akun.csv")
        if os.geteuid() != 0:
            raise SiteError("Membuat akun Linux perlu hak root: jalankan dengan sudo")
    needs_group = any(a.role == TRAINER for a in accounts)
    if needs_group:
        try:
            grp.getgrnam(TRAINER_GROUP)
        except KeyError:
            command = ["groupadd", TRAINER_GROUP]
            result.commands.append(command)
            echo(shlex.join(command))
            if not dry_run:
                run(command, check=True)
    rows = []
    for account in accounts:
        if _account_exists(account.name):
            result.existing.append(account)
            if account.role == TRAINER:
                command = ["usermod", "--append", "--groups", TRAINER_GROUP, account.name]
                result.commands.append(command)
                echo(shlex.join(command))
                if not dry_run:
                    run(command, check=True)
            continue
        password = new_password()
        for command in account_commands(account):
            result.commands.append(command)
            shown = shlex.join(command) + (f"  (stdin: {account.name}:********)"
                                         if command == ["chpasswd"] else "")
            echo(shown)
            if dry_run:
                continue
            if command == ["chpasswd"]:
                run(command, input=f"{account.name}:{password}\n", text=True, check=True)
            else:
                run(command, check=True)
        result.created.append(account)
        rows.append({"akun": account.name, "kata_sandi": password, "peran": ROLE_LABELS[account.role],
                     "id_peserta": account.id_peserta, "nama": account.nama})
    if rows and not dry_run:
        write_card(card, rows)
    return result


CARD_COLUMNS = ["akun", "kata_sandi", "peran", "id_peserta", "nama"]


def write_card(card: Path, rows: list[dict]) -> None:
    """Append accounts to the card CSV, created with mode 600 (passwords: trainers only)."""
    card = Path(card)
    card.parent.mkdir(parents=True, exist_ok=True)
    new = not card.exists()
    fd = os.open(card, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8-sig" if new else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CARD_COLUMNS)
        if new:
            writer.writeheader()
        writer.writerows(rows)


# Bring-up: environment file and systemd unit -------------------------------------------

ENV_FILE = Path("/etc/spptik/situs.env")
UNIT_FILE = Path("/etc/systemd/system/spptik-hub.service")


def env_file_text(settings: SiteSettings) -> str:
    lines = [
        "# Pengaturan situs pelatihan SPP-TIK (dibaca jupyterhub_config.py). Berkas ini rahasia: mode 600.",
        f"SPPTIK_KOHORT={settings.cohort}",
        f"SPPTIK_FASILITATOR={','.join(settings.trainers)}",
        f"SPPTIK_EXCHANGE={settings.exchange}",
        f"SPPTIK_ROSTER={settings.roster}",
        f"SPPTIK_HUB_IP={settings.ip}",
        f"SPPTIK_HUB_PORT={settings.port}",
        f"SPPTIK_HUB_DATA={settings.state_dir}",
    ]
    if settings.db_url:
        lines.append(f"SPPTIK_HUB_DB_URL={settings.db_url}")
    if settings.gradebook_url:
        lines.append(f"SPPTIK_DB_URL={settings.gradebook_url}")
    if settings.api_token:
        lines.append(f"SPPTIK_HUB_API_TOKEN={settings.api_token}")
    if settings.ssl_cert:
        lines += [f"SPPTIK_HUB_SSL_CERT={settings.ssl_cert}", f"SPPTIK_HUB_SSL_KEY={settings.ssl_key}"]
    return "\n".join(lines) + "\n"


def systemd_unit_text(env_file: Path = ENV_FILE) -> str:
    config = DEPLOY_DIR / "jupyterhub_config.py"
    return f"""[Unit]
Description=Situs pelatihan SPP-TIK (JupyterHub)
After=network-online.target
Wants=network-online.target

[Service]
User=root
EnvironmentFile={env_file}
Environment=PATH={VENV_BIN}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WorkingDirectory={DEFAULT_STATE_DIR}
StateDirectory=spptik-hub
ExecStart={VENV_BIN / 'jupyterhub'} -f {config}
Restart=on-failure
RestartSec=5
# nothing readable by others: a participant's files stay theirs (user private groups),
# trainers share the cohort through their group
UMask=0007

[Install]
WantedBy=multi-user.target
"""


def checkout_problem(repo: Path = manifest.REPO_ROOT,
                     interpreter: Path = Path(sys.executable)) -> str | None:
    """Participants' servers run this checkout's .venv and its Python: others must reach both."""
    for folder in repo.resolve().parents:
        if not folder.stat().st_mode & 0o001:
            return (f"folder {folder} tertutup bagi akun lain (tanpa o+x), padahal server peserta "
                    f"memakai {repo}/.venv. Pindahkan checkout ke tempat bersama, misalnya /opt/spptik")
    real = interpreter.resolve()
    for folder in real.parents:
        if not folder.stat().st_mode & 0o001:
            return (f"Python lingkungan .venv ({real}) ada di bawah {folder}, yang tertutup bagi akun "
                    "lain. Buat ulang .venv dengan Python sistem: apt-get install python3-venv, "
                    "hapus .venv, lalu make hub-setup")
    return None


@dataclass
class BringUp:
    accounts: AccountResult
    exchange: list[Path]
    env_file: Path
    unit_file: Path
    commands: list[list[str]] = field(default_factory=list)


def bring_up(settings: SiteSettings, participants: list[Participant], card: Path | None, *,
             dry_run: bool = False, env_file: Path = ENV_FILE, unit_file: Path = UNIT_FILE,
             start: bool = True, run: Callable[..., object] = subprocess.run,
             echo: Callable[[str], None] = print) -> BringUp:
    """Accounts, exchange, permissions, settings file and systemd unit for one site."""
    accounts = plan_accounts(participants, settings.trainers)
    if settings.api_token is None:  # for `spptik situs mulai` (servers started before class)
        settings = dataclasses.replace(settings, api_token=secrets.token_hex(32))
    why = checkout_problem()
    if why and not dry_run:
        raise SiteError(why)
    if why:
        echo(f"# PERINGATAN (akan menghentikan langkah sebenarnya): {why}")
    owner = settings.trainers[0]
    group = TRAINER_GROUP
    account_result = create_accounts(accounts, card, dry_run=dry_run, run=run, echo=echo)

    commands: list[list[str]] = []
    course = settings.exchange / settings.course_id
    exchange_paths = [settings.exchange, course, course / "outbound", course / "inbound"]
    echo(f"# exchange: {settings.exchange} ({oct(ROOT_MODE)[2:]}), {course}/inbound "
         f"({oct(INBOUND_MODE)[2:]}), pemilik {owner}")
    if not dry_run:
        exchange_paths = prepare_exchange(settings.exchange, settings.course_id, owner,
                                          group if len(settings.trainers) > 1 else None)
        set_cohort_exchange(settings.cohort, settings.exchange)

    cohort = str(settings.cohort)
    repo = manifest.REPO_ROOT
    commands += [
        # the cohort (roster, gradebook, solutions) belongs to the trainers only
        ["chown", "-R", f"{owner}:{group}", cohort],
        ["chmod", "-R", "u+rwX,g+rwX,o-rwx", cohort],
        ["find", cohort, "-type", "d", "-exec", "chmod", "g+s", "{}", "+"],
        # participants' servers run the project's environment and read the course...
        ["chmod", "o+x", str(repo)],
        ["chmod", "-R", "o+rX", str(repo / ".venv"), str(repo / "course"), str(DEPLOY_DIR),
         str(repo / "autograder")],
        # ...but never the sources with solutions and hidden tests
        ["chmod", "-R", "o-rwx", *[str(repo / p) for p in ("source", ".git", "tests", "benchmarks")
                                  if (repo / p).exists()]],
    ]
    for command in commands:
        echo(shlex.join(command))
        if not dry_run:
            run(command, check=True)

    echo(f"# {env_file} (600) dan {unit_file}")
    if not dry_run:
        env_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(env_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(env_file_text(settings))
        unit_file.parent.mkdir(parents=True, exist_ok=True)
        unit_file.write_text(systemd_unit_text(env_file), encoding="utf-8")
    systemctl = [["systemctl", "daemon-reload"], ["systemctl", "enable", "--now", "spptik-hub"]]
    if start:
        for command in systemctl:
            echo(shlex.join(command))
            if not dry_run:
                run(command, check=True)
        commands += systemctl
    return BringUp(accounts=account_result, exchange=exchange_paths, env_file=env_file,
                   unit_file=unit_file, commands=commands)


# Starting servers before class ------------------------------------------------------------

def read_env_file(path: Path = ENV_FILE) -> dict[str, str]:
    """KEY=VALUE lines of the site's settings file (as systemd's EnvironmentFile reads them)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SiteError(f"berkas pengaturan {path} tidak ada: jalankan dulu 'spptik situs siapkan'") from exc
    except PermissionError as exc:
        raise SiteError(f"berkas pengaturan {path} hanya dapat dibaca root: jalankan dengan sudo") from exc
    values = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.lstrip().startswith("#"):
            values[key.strip()] = value.strip()
    return values


def hub_api(url: str, token: str, method: str, path: str, body=None, timeout: float = 60):
    """One call to the hub's REST API; SiteError with an Indonesian message on failure."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url.rstrip("/") + "/hub/api" + path, data=data, method=method,
                                 headers={"Authorization": f"token {token}",
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
            return resp.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403):
            raise SiteError("hub menolak token SPPTIK_HUB_API_TOKEN (periksa situs.env, lalu "
                            "systemctl restart spptik-hub)") from exc
        return exc.code, exc.read().decode(errors="replace")
    except OSError as exc:
        raise SiteError(f"hub di {url} tidak dapat dihubungi ({exc}); apakah layanan spptik-hub "
                        "berjalan? (systemctl status spptik-hub)") from exc


def start_servers(url: str, token: str, names: Iterable[str], *, at_once: int = 6,
                  timeout: float = SPAWN_TIMEOUT, on_ready: Callable[[str], None] | None = None,
                  poll: float = 1.0) -> dict[str, str]:
    """Start users' servers, ``at_once`` at a time; return the name → problem of any that failed.

    On a small server each JupyterLab start takes seconds of CPU: starting them in
    small waves before class spares the participants a slow first login.
    """
    from concurrent.futures import ThreadPoolExecutor, as_completed

    def start_one(name: str) -> str | None:
        # the hub answers a spawn request when the server is up, or after 10 s (202)
        status, value = hub_api(url, token, "POST", f"/users/{name}/server", timeout=timeout)
        if status == 400 and "already running" in str(value):
            return None
        if status not in (201, 202) and not (status == 400 and "is pending" in str(value)):
            return f"hub menjawab {status}: {value}"
        deadline = time.monotonic() + timeout
        while True:
            _status, user = hub_api(url, token, "GET", f"/users/{name}")
            server = user.get("servers", {}).get("", {}) if isinstance(user, dict) else {}
            if server.get("ready"):
                return None
            if not server:
                return "server berhenti saat dimulai (lihat journalctl -u spptik-hub)"
            if time.monotonic() > deadline:
                return f"server belum siap setelah {timeout:.0f} detik"
            time.sleep(poll)

    failed: dict[str, str] = {}
    names = list(names)
    if not names:
        return failed
    with ThreadPoolExecutor(max(1, min(at_once, len(names)))) as pool:
        futures = {pool.submit(start_one, name): name for name in names}
        for future in as_completed(futures):
            name = futures[future]
            try:
                why = future.result()
            except SiteError as exc:
                why = str(exc)
            if why:
                failed[name] = why
            elif on_ready:
                on_ready(name)
    return failed


def site_url(env: Mapping[str, str]) -> str:
    """The hub's address on this server, from the settings file's values."""
    scheme = "https" if env.get("SPPTIK_HUB_SSL_CERT") else "http"
    ip = env.get("SPPTIK_HUB_IP") or "127.0.0.1"
    if ip in ("0.0.0.0", "::"):
        ip = "127.0.0.1"
    return f"{scheme}://{ip}:{env.get('SPPTIK_HUB_PORT') or DEFAULT_PORT}"


def participants_to_start(url: str, token: str) -> list[str]:
    """Participants (not admins) whose server is not running yet, in name order."""
    _status, users = hub_api(url, token, "GET", "/users")
    if not isinstance(users, list):
        raise SiteError(f"hub tidak memberi daftar pengguna: {users}")
    return sorted(u["name"] for u in users
                  if not u.get("admin") and not (u.get("servers") or {}).get("", {}).get("ready"))
