"""Bringing the training site up on a server, and starting its servers before class.

Linux accounts from the roster (planned, created, passwords on a trainer-only
account card), the site's settings file and systemd unit, the check that other
accounts can reach this checkout, :func:`bring_up` (all of it, for
``spptik situs siapkan``), and the hub's REST API for ``spptik situs mulai``
(:func:`start_servers`). The settings themselves come from :mod:`autograder.site.hub`.
"""

from __future__ import annotations

import csv
import dataclasses
import grp
import json
import os
import pwd
import secrets
import shlex
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from autograder.cohort.roster import Participant
from autograder.course import manifest
from autograder.files import write_atomic
from autograder.site.exchange import prepare_exchange, set_cohort_exchange
from autograder.site.hub import (
    DEFAULT_PORT,
    DEFAULT_STATE_DIR,
    DEPLOY_DIR,
    INBOUND_MODE,
    PARTICIPANT,
    ROLE_LABELS,
    ROOT_MODE,
    SPAWN_TIMEOUT,
    TRAINER,
    TRAINER_GROUP,
    VENV_BIN,
    SiteError,
    SiteSettings,
    account_problem,
    hub_username,
)

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


@dataclass(frozen=True)
class Step:
    """One step of setting a site up: the line a trainer sees, and what the real run does.

    A dry run shows every step's line and does nothing; the real run shows the same lines,
    in the same order, and does each step. Both come from one plan, so they cannot diverge.
    """

    shown: str
    do: Callable[[], object] | None = None
    command: list[str] | None = None


def _command_step(command: list[str], run: Callable[..., object], shown: str | None = None,
                  **kwargs: object) -> Step:
    return Step(shown or shlex.join(command), lambda: run(command, check=True, **kwargs), command)


def carry_out(steps: list[Step], problems: list[str], *, dry_run: bool,
              echo: Callable[[str], None]) -> None:
    """Show and (unless ``dry_run``) do the steps; a problem stops the real run before any step."""
    if problems and not dry_run:
        raise SiteError("; ".join(problems))
    for why in problems:
        echo(f"# PERINGATAN (akan menghentikan langkah sebenarnya): {why}")
    for step in steps:
        echo(step.shown)
        if not dry_run and step.do is not None:
            step.do()


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


def account_commands(account: Account, group: str = TRAINER_GROUP) -> list[list[str]]:
    """The commands that create one account (the password goes to chpasswd on stdin).

    The account's comment (GECOS) is its own name: every account can read
    ``/etc/passwd``, and a full name there would show classmates' names to all.
    """
    commands = [["useradd", "--create-home", "--home-dir", f"/home/{account.name}", "--shell", "/bin/bash",
                 "--comment", account.name, account.name],
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


def plan_account_steps(accounts: list[Account], card: Path | None,
                       run: Callable[..., object] = subprocess.run,
                       ) -> tuple[list[Step], list[str], AccountResult]:
    """The steps that create a site's Linux accounts, what would stop them, and their result.

    Existing accounts are left as they are (their password is not changed); new passwords go
    to a trainer-only card (CSV, mode 600) outside the repository, written by the last step.
    """
    result = AccountResult(card=card)
    problems: list[str] = []
    if card is None:
        problems.append("Tentukan berkas kartu akun (--kartu), di luar repositori; "
                        "kata sandi peserta ditulis di sana")
    elif _inside(card, manifest.REPO_ROOT):
        problems.append(f"Kartu akun {card} ada di dalam repositori: kata sandi tidak boleh "
                        "masuk git. Pilih tempat lain, misalnya /root/kartu-akun.csv")
    if os.geteuid() != 0:
        problems.append("Membuat akun Linux perlu hak root: jalankan dengan sudo")
    steps: list[Step] = []

    def add(command: list[str], shown: str | None = None, **kwargs: object) -> None:
        result.commands.append(command)
        steps.append(_command_step(command, run, shown, **kwargs))

    if any(a.role == TRAINER for a in accounts):
        try:
            grp.getgrnam(TRAINER_GROUP)
        except KeyError:
            add(["groupadd", TRAINER_GROUP])
    rows: list[dict] = []
    for account in accounts:
        if _account_exists(account.name):
            result.existing.append(account)
            gecos = pwd.getpwnam(account.name).pw_gecos.split(",")[0].strip()
            if account.role == PARTICIPANT and gecos not in ("", account.name):
                # made by an earlier version with the full name, readable by every account
                add(["usermod", "--comment", account.name, account.name])
            if account.role == TRAINER:
                add(["usermod", "--append", "--groups", TRAINER_GROUP, account.name])
            continue
        password = new_password()
        for command in account_commands(account):
            if command == ["chpasswd"]:
                add(command, shlex.join(command) + f"  (stdin: {account.name}:********)",
                    input=f"{account.name}:{password}\n", text=True)
            else:
                add(command)
        result.created.append(account)
        rows.append({"akun": account.name, "kata_sandi": password, "peran": ROLE_LABELS[account.role],
                     "id_peserta": account.id_peserta, "nama": account.nama})
    if rows and card is not None:
        steps.append(Step(f"# kartu akun {card} (600): {len(rows)} akun baru beserta kata sandinya",
                          lambda: write_card(card, rows)))
    return steps, problems, result


def create_accounts(accounts: list[Account], card: Path | None, *, dry_run: bool = False,
                    run: Callable[..., object] = subprocess.run,
                    echo: Callable[[str], None] = print) -> AccountResult:
    """Create the Linux accounts of a site (``spptik situs akun``); ``dry_run`` only shows the steps."""
    steps, problems, result = plan_account_steps(accounts, card, run)
    carry_out(steps, problems, dry_run=dry_run, echo=echo)
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
# every server the hub starts sees only its own account's processes (hidepid for the unit)
ProtectProc=invisible

[Install]
WantedBy=multi-user.target
"""


FSTAB = Path("/etc/fstab")
HIDEPID = "hidepid=2"  # what Linux ≥ 5.8 calls "invisible"; every kernel understands "2"
PROC_FSTAB_LINE = f"proc /proc proc defaults,{HIDEPID} 0 0"


def fstab_with_hidepid(text: str) -> str:
    """``text`` (an fstab) with /proc mounted ``hidepid=2``: its own line given the option, or a new line."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        fields = line.split()
        if len(fields) >= 4 and not line.lstrip().startswith("#") and fields[1] == "/proc":
            if "hidepid=" not in fields[3]:
                fields[3] += "," + HIDEPID
                lines[i] = " ".join(fields)
            return "\n".join(lines) + "\n"
    return "\n".join([*lines, PROC_FSTAB_LINE]) + "\n"


def hide_process_steps(*, fstab: Path = FSTAB, run: Callable[..., object] = subprocess.run,
                       echo: Callable[[str], None] = print) -> list[Step]:
    """Hide every account's processes from the others: /proc with ``hidepid``, now and at boot.

    Without it any participant reads every command line on the server and sees who
    else is working. Root (the hub, trainers with sudo) still sees everything. A
    remount that fails (in a container /proc belongs to the host) is reported, not fatal:
    the systemd unit's ``ProtectProc=invisible`` still covers every server the hub starts.
    """
    command = ["mount", "-o", f"remount,{HIDEPID}", "/proc"]

    def remount() -> None:
        try:
            run(command, check=True)
        except (subprocess.CalledProcessError, OSError) as exc:
            echo(f"# PERINGATAN: /proc tidak dapat dipasang ulang dengan {HIDEPID} ({exc}). Setiap akun "
                 "dapat melihat proses dan baris perintah akun lain sampai /proc dipasang dengan "
                 f"{HIDEPID} (di kontainer: dari sisi host).")

    steps = [Step(shlex.join(command), remount, command)]
    old = fstab.read_text(encoding="utf-8") if fstab.exists() else ""
    new = fstab_with_hidepid(old)
    if new != old:
        mode = stat.S_IMODE(fstab.stat().st_mode) if fstab.exists() else 0o644
        steps.append(Step(f"# {fstab}: /proc dengan {HIDEPID} saat boot ('{PROC_FSTAB_LINE}')",
                          lambda: write_atomic(fstab, new, mode=mode)))
    return steps


def hide_processes(*, fstab: Path = FSTAB, dry_run: bool = False,
                   run: Callable[..., object] = subprocess.run,
                   echo: Callable[[str], None] = print) -> list[list[str]]:
    steps = hide_process_steps(fstab=fstab, run=run, echo=echo)
    carry_out(steps, [], dry_run=dry_run, echo=echo)
    return [s.command for s in steps if s.command]


SYSTEM_PYTHON = Path("/usr/bin/python3")  # Debian's: under /usr, readable by every account


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
                    "lain (misalnya Python dari pyenv di /root). Hapus lingkungan itu "
                    f"(rm -rf {repo / '.venv'}), lalu jalankan lagi {DEPLOY_DIR / 'siapkan-situs.sh'}: "
                    f"skrip itu membuat .venv dengan Python sistem ({SYSTEM_PYTHON}), bukan dengan "
                    "python3 yang pertama di PATH")
    return None


@dataclass
class BringUp:
    accounts: AccountResult
    exchange: list[Path]
    env_file: Path
    unit_file: Path
    commands: list[list[str]] = field(default_factory=list)


@dataclass
class SitePlan:
    """Everything ``spptik situs siapkan`` will do, in order, decided before anything is done."""

    settings: SiteSettings
    steps: list[Step]
    problems: list[str]
    accounts: AccountResult
    exchange: list[Path]

    @property
    def commands(self) -> list[list[str]]:
        return [s.command for s in self.steps if s.command]


def plan_bring_up(settings: SiteSettings, participants: list[Participant], card: Path | None, *,
                  env_file: Path = ENV_FILE, unit_file: Path = UNIT_FILE, fstab: Path = FSTAB,
                  start: bool = True, run: Callable[..., object] = subprocess.run,
                  echo: Callable[[str], None] = print) -> SitePlan:
    """Accounts, exchange, permissions, hidden processes, settings file and systemd unit for one site.

    Secrets (API token, a gradebook URL with its password) go only into ``env_file``
    (mode 600), which systemd reads: never onto a command line.
    """
    accounts = plan_accounts(participants, settings.trainers)
    if settings.api_token is None:  # for `spptik situs mulai` (servers started before class)
        settings = dataclasses.replace(settings, api_token=secrets.token_hex(32))
    problems: list[str] = []
    why = checkout_problem()
    if why:
        problems.append(why)
    owner = settings.trainers[0]
    group = TRAINER_GROUP
    account_steps, account_problems, account_result = plan_account_steps(accounts, card, run)
    problems += account_problems
    steps = list(account_steps)

    course = settings.exchange / settings.course_id
    exchange_paths = [settings.exchange, course, course / "outbound", course / "inbound"]

    def make_exchange() -> None:
        made = prepare_exchange(settings.exchange, settings.course_id, owner,
                                group if len(settings.trainers) > 1 else None)
        exchange_paths[:] = made
        set_cohort_exchange(settings.cohort, settings.exchange)

    steps.append(Step(f"# exchange: {settings.exchange} ({oct(ROOT_MODE)[2:]}), {course}/inbound "
                      f"({oct(INBOUND_MODE)[2:]}), pemilik {owner}; dicatat di kohort.toml",
                      make_exchange))
    cohort = str(settings.cohort)
    repo = manifest.REPO_ROOT
    for command in [
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
    ]:
        steps.append(_command_step(command, run))
    # command lines (a gradebook URL with its password) and classmates' sessions out of view
    steps += hide_process_steps(fstab=fstab, run=run, echo=echo)

    def write_settings_files() -> None:
        write_atomic(env_file, env_file_text(settings), mode=0o600)
        write_atomic(unit_file, systemd_unit_text(env_file), mode=0o644)

    steps.append(Step(f"# {env_file} (600) dan {unit_file}", write_settings_files))
    if start:
        for command in (["systemctl", "daemon-reload"], ["systemctl", "enable", "--now", "spptik-hub"]):
            steps.append(_command_step(command, run))
    return SitePlan(settings, steps, problems, account_result, exchange_paths)


def bring_up(settings: SiteSettings, participants: list[Participant], card: Path | None, *,
             dry_run: bool = False, env_file: Path = ENV_FILE, unit_file: Path = UNIT_FILE,
             fstab: Path = FSTAB, start: bool = True, run: Callable[..., object] = subprocess.run,
             echo: Callable[[str], None] = print) -> BringUp:
    """Plan the site (:func:`plan_bring_up`), then show every step and, unless ``dry_run``, do it."""
    plan = plan_bring_up(settings, participants, card, env_file=env_file, unit_file=unit_file,
                         fstab=fstab, start=start, run=run, echo=echo)
    carry_out(plan.steps, plan.problems, dry_run=dry_run, echo=echo)
    return BringUp(accounts=plan.accounts, exchange=plan.exchange, env_file=env_file,
                   unit_file=unit_file, commands=plan.commands)


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


def stop_hub(proc: subprocess.Popen, timeout: float = 60) -> None:
    """Stop a JupyterHub started as ``proc`` (its own process group).

    SIGTERM lets the hub stop the servers and the proxy it started; if it has not
    ended within ``timeout`` seconds, its whole process group is killed.
    """
    import signal

    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
