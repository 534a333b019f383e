"""The training site on JupyterHub: site settings, user names and the hub's configuration.

One Bimtek batch runs on one Linux server. JupyterHub (with
configurable-http-proxy from npm) logs people in with their system account
(PAM) and starts a JupyterLab for each of them as that account
(LocalProcessSpawner). ``deploy/jupyterhub/jupyterhub_config.py`` is a thin
file that calls :func:`settings_from_env` and :func:`apply_config`, both here.
The rest of the site lives beside this module: the exchange folders and collecting
from them in :mod:`autograder.site.exchange`, bringing a server up (accounts,
settings file, systemd unit, starting servers before class) in
:mod:`autograder.site.setup`. Both import this module's constants and
:class:`SiteError`; this module imports neither.

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
another person's submission. nbgrader leaves each submission folder 0777: the
participants' submit plugin closes it once written, and collecting trusts only
the folder's owner and checks that nothing changed (:mod:`autograder.site.exchange`).
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from autograder.cohort.roster import Participant, RosterError, read_roster
from autograder.cohort.settings import CohortSettings, SettingsError, exchange_root, read_settings
from autograder.course import manifest
from autograder.errors import SpptikError

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


class SiteError(SpptikError, RuntimeError):
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
    # Participants' homes as <homes>/<user name>, all owned by the hub's own account: a
    # site whose servers do not change user (a test or a measurement). None: each
    # account's own home, as on a real site.
    homes: Path | None = None

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


def cohort_settings(cohort: Path) -> CohortSettings:
    if not (cohort / "kohort.toml").is_file() or not (cohort / "nbgrader_config.py").is_file():
        raise SiteError(f"{cohort} bukan ruang kerja kohort (tidak ada kohort.toml). "
                        "Buat dulu dengan: spptik init FOLDER --roster peserta.csv")
    try:
        return read_settings(cohort)
    except SettingsError as exc:
        raise SiteError(str(exc)) from exc


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
    cohort_conf = cohort_settings(cohort)

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

    # the site's shared folder unless the cohort (or SPPTIK_EXCHANGE) names one
    exchange = exchange_root(cohort, cohort_conf, env, default=DEFAULT_EXCHANGE)
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
        course_id=cohort_conf.course_id,
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
        cohort_name=cohort_conf.name,
        homes=Path(env["SPPTIK_HUB_HOMES"].strip()) if env.get("SPPTIK_HUB_HOMES", "").strip() else None,
    )
    if settings.api_token is not None and len(settings.api_token) < 32:
        problems.append("SPPTIK_HUB_API_TOKEN terlalu pendek: paling sedikit 32 karakter acak "
                        "(buat dengan: openssl rand -hex 32)")
    if problems:
        raise SiteError("Pengaturan situs pelatihan salah:\n- " + "\n- ".join(problems))
    return settings


# The exchange's modes and check (autograder/site/exchange.py makes its folders) --------

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


# Per-user servers ---------------------------------------------------------------------

def singleuser_command() -> list[str]:
    """jupyterhub-singleuser through deploy/jupyterhub/singleuser.py (no secret on it: every
    account can read every command line unless /proc has hidepid; secrets go in the environment)."""
    return [sys.executable, str(DEPLOY_DIR / "singleuser.py")]


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


def _user_home(username: str, settings: SiteSettings) -> tuple[Path, int | None, int | None]:
    """The user's home folder, and the owner to give new files (None: the hub's own account)."""
    if settings.homes is not None:
        return settings.homes / username, None, None
    entry = pwd.getpwnam(username)
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
        home, uid, gid = _user_home(name, settings)
        prepare_home(home, uid, gid)
        spawner.notebook_dir = str(home)
        spawner.default_url = f"/lab/tree/{COURSE_FOLDER}"
    if os.geteuid() == 0 and settings.homes is not None:
        # servers that do not change user run as the hub's account, here root
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
    # the Indonesian "sedang dinyalakan" page at once, not a blank page for JupyterHub's 10 s
    c.JupyterHub.tornado_settings = {"slow_spawn_timeout": 0}

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
    c.Spawner.cmd = singleuser_command()
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
    live_services(c, settings)  # grading on submit and the trainers' dashboard


# Live class: grading on submit and the trainers' dashboard --------------------------------

LIVE_GRADER = "penilai"
DASHBOARD = "dasbor"


def live_services(c, settings: SiteSettings) -> None:
    """Add the grading service and the dashboard to the hub (``autograder/site/live.py``,
    ``autograder/site/dashboard.py``): managed services, started and restarted by the hub,
    run as the first trainer where the site changes users (they write the cohort).

    Only trainers reach ``/services/dasbor/`` (the role below; the dashboard checks
    again); the dashboard's own token may only reach participants' servers, to ask
    which assignments they fetched.
    """
    scheme = "https" if settings.ssl_cert else "http"
    env = {
        "SPPTIK_KOHORT": str(settings.cohort),
        "SPPTIK_EXCHANGE": str(settings.exchange),
        "SPPTIK_FASILITATOR": ",".join(settings.trainers),
        "PATH": os.pathsep.join([str(VENV_BIN), "/usr/local/bin", "/usr/bin", "/bin"]),
        # where the dashboard reaches participants' servers: the proxy, on its own address
        "SPPTIK_HUB_URL": f"{scheme}://{settings.ip or '127.0.0.1'}:{settings.port}",
    }
    if settings.gradebook_url:
        env["SPPTIK_DB_URL"] = settings.gradebook_url
    if len(settings.trainers) > 1:
        env["SPPTIK_GROUPSHARED"] = "1"
    for key in ("SPPTIK_LANGSUNG_JOBS", "SPPTIK_LANGSUNG_JEDA", "SPPTIK_PENILAIAN_LANGSUNG", "SPPTIK_SANDBOX",
                "LANG", "TZ"):
        if os.environ.get(key):
            env[key] = os.environ[key]
    as_trainer = {} if settings.homes is not None else {"user": settings.trainers[0]}
    port = int(os.environ.get("SPPTIK_DASBOR_PORT", "").strip() or settings.hub_port + 1)
    grading = os.environ.get("SPPTIK_PENILAIAN_LANGSUNG", "").strip() != "0"  # 0: trainers grade by hand
    services = [
        *([{"name": LIVE_GRADER, "command": [sys.executable, "-m", "autograder.site.live"],
            "environment": env, "display": False, **as_trainer}] if grading else []),
        {"name": DASHBOARD, "url": f"http://127.0.0.1:{port}",
         "command": [sys.executable, "-m", "autograder.site.dashboard"],
         "environment": env, "oauth_no_confirm": True, "oauth_client_allowed_scopes": [],
         "info": {"keterangan": "Dasbor kelas untuk fasilitator"}, **as_trainer},
    ]
    roles = [
        {"name": "spptik-dasbor-fasilitator", "scopes": [f"access:services!service={DASHBOARD}"],
         "users": list(settings.trainers)},
        {"name": "spptik-dasbor", "services": [DASHBOARD],
         "scopes": [f"access:servers!user={name}" for name in sorted(settings.participants)]},
    ]
    c.JupyterHub.services = [*(c.JupyterHub.services if "services" in c.JupyterHub else []), *services]
    c.JupyterHub.load_roles = [*(c.JupyterHub.load_roles if "load_roles" in c.JupyterHub else []), *roles]
