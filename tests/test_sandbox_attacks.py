"""A hostile participant against the grading sandbox, in every mode the project supports.

One grading run per sandbox mode holds many participants: two honest ones
(the victims) and one attacker per route. Each attacker's cell tries its route
as hard as it can and prints ``TEMBUS`` for anything that got through and
``SELESAI <route>`` when it finished (so a test cannot pass because the attack
never ran). Each test then checks, from the trainer's side, that the batch's
grades and every other participant's files are intact, that the trainer's
secrets did not leak, that no connection reached the trainer's services and
that nothing the attackers started is still running.

Modes: ``bubblewrap``; ``landlock`` (no bwrap: Landlock + seccomp + namespaces
where the machine allows them); ``landlock-tanpa-ns`` (no namespaces at all,
as on a machine without user namespaces). Where a guarantee holds only in some
modes (a hidden process list, the scratch size limit, the process limit), the
test says which, and README's threat model says so too.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest

from autograder.cohort.roster import write_roster
from autograder.cohort.workspace import Workspace, init_workspace
from autograder.course import manifest
from autograder.demo import synthetic
from autograder.grading.run import GRADED, grade
from autograder.intake.collect import collect
from autograder.reports.scores import submission_scores

MODES = {
    "bubblewrap": {"SPPTIK_SANDBOX": "bubblewrap"},
    "landlock": {"SPPTIK_SANDBOX": "landlock"},
    "landlock-tanpa-ns": {"SPPTIK_SANDBOX": "landlock", "SPPTIK_SANDBOX_TANPA_NS": "1"},
}
NAMESPACE_MODES = ("bubblewrap", "landlock")
SECRET = "rahasia-pelatih-7c1f"          # in the trainer's environment and files
LEFTOVER = "313.37"                      # the argument of processes attackers leave behind

# Each route: the code an attacker runs. {..} are filled with the real paths: the
# attacker is assumed to know them all (the cohort, the victim's file, the repository).
ROUTES: dict[str, str] = {}

ROUTES["proc_root"] = r'''
import os
for pid in sorted(p for p in os.listdir("/proc") if p.isdigit()):
    if int(pid) == os.getpid():
        continue
    for view in ("root", "cwd"):
        for target in (GRADEBOOK, VICTIM, BAIT):
            path = f"/proc/{pid}/{view}" + target
            try:
                with open(path, "r+b") as handle:
                    handle.write(b"RUSAK")
                print("TEMBUS tulis", path)
            except Exception:
                pass
            try:
                open(path, "rb").read(10)
                print("TEMBUS baca", path)
            except Exception:
                pass
'''

ROUTES["direct_paths"] = r'''
import os
for path in (GRADEBOOK, VICTIM, BAIT, SOURCE_NB, GIT_HEAD, "/etc/shadow", "/etc/shadow-",
             "/etc/gshadow", "/etc/spptik/situs.env"):
    try:
        open(path, "rb").read(10)
        print("TEMBUS baca", path)
    except Exception:
        pass
for path in (GRADEBOOK, VICTIM, BAIT):
    try:
        with open(path, "wb") as handle:
            handle.write(b"RUSAK")
        print("TEMBUS tulis", path)
    except Exception:
        pass
for folder in (COHORT, os.path.dirname(COHORT), os.path.dirname(SOURCE_NB), TRAINER_HOME):
    try:
        print("TEMBUS daftar", folder, os.listdir(folder)[:3])
    except Exception:
        pass
try:
    os.symlink(GRADEBOOK, "tautan")
    open("tautan", "wb").write(b"RUSAK")
    print("TEMBUS tautan simbolik")
except Exception:
    pass
try:
    os.link(BAIT, "tautan-keras")
    print("TEMBUS tautan keras", open("tautan-keras").read())
except Exception:
    pass
'''

ROUTES["environment"] = r'''
import os
seen = " ".join(f"{k}={v}" for k, v in os.environ.items())
for path in ("/proc/self/environ", "/proc/1/environ"):
    try:
        seen += open(path, "rb").read().decode(errors="replace")
    except Exception:
        pass
if SECRET in seen or "PGPASSWORD" in seen or "SPPTIK_DB_URL" in seen:
    print("TEMBUS lingkungan pelatih terlihat")
'''

ROUTES["network"] = r'''
import socket
for family, address in ((socket.AF_INET, ("127.0.0.1", TCP_PORT)), (socket.AF_INET6, ("::1", TCP_PORT))):
    try:
        with socket.socket(family, socket.SOCK_STREAM) as conn:
            conn.settimeout(2)
            conn.connect(address)
            conn.sendall(b"TEMBUS")
            print("TEMBUS tcp", address)
    except Exception:
        pass
try:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.sendto(b"TEMBUS", ("127.0.0.1", UDP_PORT))
        print("TEMBUS udp terkirim")
except Exception:
    pass
try:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("0.0.0.0", 0))
        server.listen()
        print("TEMBUS mendengarkan tcp")
except Exception:
    pass
'''

ROUTES["unix_sockets"] = r'''
import glob, socket
targets = [DB_SOCKET, *glob.glob("/tmp/spptik-nilai-*/zygote.sock"),
           *glob.glob("/tmp/spptik-nilai-*/*.kanal/ipc-*")]
for path in targets:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(2)
            conn.connect(path)
            conn.sendall(b'{"token": "", "args": [], "cwd": "/"}\n')
            print("TEMBUS soket", path)
    except Exception:
        pass
try:
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as dgram:
        dgram.sendto(b"TEMBUS", DB_SOCKET)
        print("TEMBUS soket datagram")
except Exception:
    pass
'''

ROUTES["leftover_processes"] = r'''
import os, subprocess
subprocess.Popen(["sleep", LEFTOVER], start_new_session=True,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:  # a daemon: double fork, new session
    os.setsid()
    if os.fork() == 0:
        os.execvp("sleep", ["sleep", LEFTOVER])
    os._exit(0)
'''

ROUTES["other_processes"] = r'''
import os
mine = {os.getpid()}
others = [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in mine]
print("PROSES_LAIN", len(others))
for pid in others:
    for what in ("environ", "cwd", "root"):
        try:
            if what in ("cwd", "root"):
                os.listdir(f"/proc/{pid}/{what}")
            else:
                open(f"/proc/{pid}/{what}", "rb").read(100)
            print("TEMBUS proses", pid, what)
        except Exception:
            pass
    try:  # its open files: where they lead, and their contents
        numbers = os.listdir(f"/proc/{pid}/fd")
    except Exception:
        numbers = []
    for number in numbers:
        for reach in (os.readlink, lambda path: open(path, "rb").read(1)):
            try:
                reach(f"/proc/{pid}/fd/{number}")
                print("TEMBUS berkas proses", pid, number)
            except Exception:
                pass
'''

ROUTES["signals"] = r'''
import os, signal
for pid in [int(p) for p in os.listdir("/proc") if p.isdigit()]:
    if pid == os.getpid():
        continue
    try:
        os.kill(pid, signal.SIGKILL)
        print("TEMBUS sinyal", pid)
    except Exception:
        pass
try:
    os.kill(-1, signal.SIGKILL)  # everything this user may signal (never the caller)
except Exception:
    pass
'''

ROUTES["ptrace_mem"] = r'''
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
for pid in [int(p) for p in os.listdir("/proc") if p.isdigit()]:
    if pid == os.getpid():
        continue
    if libc.ptrace(16, pid, None, None) == 0:  # PTRACE_ATTACH
        print("TEMBUS ptrace", pid)
    try:
        open(f"/proc/{pid}/mem", "rb").read(1)
        print("TEMBUS mem", pid)
    except Exception:
        pass
'''

ROUTES["inherited_fds"] = r'''
import os
for fd in range(3, 1024):
    try:
        target = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        continue
    if target.startswith("/") and not target.startswith(("/dev/", os.getcwd())):
        print("TEMBUS berkas warisan", fd, target)
    if COHORT in target or "gradebook" in target or "zygote" in target:
        print("TEMBUS berkas kohort", fd, target)
'''

ROUTES["other_scratch"] = r'''
import glob, os
mine = os.getcwd()
for folder in glob.glob("/tmp/spptik-nilai-*/*") + glob.glob(os.path.dirname(mine) + "/*"):
    if folder.startswith(mine) or folder.startswith(os.environ.get("HOME", "?")):
        continue
    try:
        with open(os.path.join(folder, "dari-penyerang.txt"), "w") as handle:
            handle.write("x")
        print("TEMBUS folder lain", folder)
    except Exception:
        pass
'''

ROUTES["scratch_listing"] = r'''
import os
mine = os.path.basename(os.getcwd())
for folder in (os.path.dirname(os.getcwd()), os.path.dirname(os.environ.get("HOME", "/")), "/tmp"):
    try:
        names = os.listdir(folder)
    except Exception:
        continue
    others = [n for n in names if n.startswith("nb-") and not n.startswith(mine)]
    if others or "zygote.sock" in names or "zygote.json" in names:
        print("TEMBUS folder kerja lain terlihat", folder, others[:3])
for name in ("zygote.json", "kernel.log"):
    try:
        open(os.path.join(os.path.dirname(os.getcwd()), name)).read(10)
        print("TEMBUS baca", name)
    except Exception:
        pass
'''

ROUTES["privileges"] = r'''
import ctypes, os
caps = [line for line in open("/proc/self/status") if line.startswith(("CapEff", "CapPrm", "CapBnd"))]
if any(int(line.split()[1], 16) for line in caps):
    print("TEMBUS kapabilitas", caps)
libc = ctypes.CDLL(None, use_errno=True)
if libc.unshare(0x10000000) == 0:  # CLONE_NEWUSER
    print("TEMBUS ruang nama pengguna baru")
if libc.mount(b"none", b"/mnt", b"tmpfs", 0, None) == 0:
    print("TEMBUS mount")
try:
    os.setuid(0)
    if os.getuid() == 0 and os.geteuid() == 0 and any(int(line.split()[1], 16) for line in caps):
        print("TEMBUS root")
except Exception:
    pass
'''

ROUTES["disk_fill"] = r'''
import os
chunk = b"x" * (8 * 1024 * 1024)
total = 0
biggest = 0
for number in range(4):
    written = 0
    try:
        with open(f"isi-{number}.bin", "wb") as handle:
            while written < 300 * 1024 * 1024:
                handle.write(chunk)
                handle.flush()
                written += len(chunk)
    except Exception as exc:
        print("BERHENTI", type(exc).__name__)
    total += written
    biggest = max(biggest, written)
    if total > 700 * 1024 * 1024:
        break
print("DITULIS_MB", total // (1024 * 1024), "TERBESAR_MB", biggest // (1024 * 1024))
'''

ROUTES["fork_bomb"] = r'''
import os, time
children = 0
try:
    for _ in range(400):
        pid = os.fork()
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        children += 1
except OSError as exc:
    print("FORK_DITOLAK", exc.errno)
print("ANAK", children)
'''


def _attack_cell(route: str, values: dict) -> str:
    """The attack wrapped so that it always reaches its end marker."""
    header = "".join(f"{name} = {value!r}\n" for name, value in values.items())
    body = ROUTES[route].strip("\n")
    indented = "".join("    " + line + "\n" for line in body.splitlines())
    return (f"{header}try:\n{indented}except Exception as _galat:\n"
            f"    print('GALAT', type(_galat).__name__, _galat)\nprint('SELESAI {route}')\n")


def _with_cell(nb: dict, source: str) -> dict:
    nb = copy.deepcopy(nb)
    index = next(i for i, c in enumerate(nb["cells"])
                 if c["metadata"].get("nbgrader", {}).get("grade_id") == "m00_tes_1")
    nb["cells"].insert(index, {"cell_type": "code", "execution_count": None, "id": "serang01",
                               "metadata": {}, "outputs": [], "source": source})
    return nb


class Listener:
    """A TCP and a UDP port on the loopback and a Unix socket, recording every contact."""

    def __init__(self, folder: Path):
        self.contacts: list[str] = []
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        folder.mkdir(parents=True, exist_ok=True)
        self.unix_path = str(folder / ".s.PGSQL.5432")
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix.bind(self.unix_path)
        self.unix.listen()
        for server in (self.tcp, self.udp, self.unix):
            server.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        while self.running:
            for server, name in ((self.tcp, "tcp"), (self.unix, "unix")):
                try:
                    conn, _ = server.accept()
                    self.contacts.append(name)
                    conn.close()
                except OSError:
                    pass
            try:
                self.udp.recvfrom(100)
                self.contacts.append("udp")
            except OSError:
                pass

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=5)
        for server in (self.tcp, self.udp, self.unix):
            server.close()


def _zygote_processes(scratches: list[str]) -> set[int]:
    """Processes of this run's sandbox (zygote, keepers, kernels: their command line names
    the run's scratch folder); another grading run on the machine is not counted."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"autograder.grading.zygote" in cmdline and any(s.encode() in cmdline for s in scratches):
                found.add(int(entry.name))
    return found


def _leftovers() -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if LEFTOVER in cmdline:
                found.append(f"{entry.name}: {cmdline}")
    return found


@pytest.fixture(scope="module", params=list(MODES))
def attacked(request, tmp_path_factory, answer_keys):
    """One grading run in one sandbox mode: two victims, one attacker per route."""
    mode = request.param
    base = tmp_path_factory.mktemp(f"serangan-{mode}")
    routes = list(ROUTES)
    people = synthetic.make_roster(len(routes) + 2, prefix="SRG")
    write_roster(people, base / "peserta.csv")
    ws = init_workspace(base / "kohort", base / "peserta.csv", f"Uji serangan {mode} (sintetis)")
    meta = ws.root / "kohort.toml"
    meta.write_text(meta.read_text() + "cell_timeout = 30\n", encoding="utf-8")
    ws = Workspace(ws.root)
    ids = [p.id_peserta for p in people]
    victims, attackers = ids[:2], dict(zip(ids[2:], routes, strict=True))

    trainer_home = base / "rumah-pelatih"
    trainer_home.mkdir()
    bait = trainer_home / ".pgpass"
    bait.write_text(f"localhost:5432:*:pelatih:{SECRET}\n", encoding="utf-8")
    listener = Listener(base / "run-postgresql")
    release, answers = answer_keys["m00"]
    good = synthetic.fill(release, answers)
    inbox = base / "kiriman"
    for pid in victims:
        synthetic.dump(good, inbox / f"{pid}_m00.ipynb")
    collect(ws, "m00", [inbox])  # the victims' work is in before the attackers'
    victim_file = next((ws.submitted / victims[0] / "m00").glob("*.ipynb"))
    values = {"COHORT": str(ws.root), "GRADEBOOK": str(ws.root / "gradebook.db"),
              "VICTIM": str(victim_file), "BAIT": str(bait), "TRAINER_HOME": str(trainer_home),
              "SOURCE_NB": str(next((manifest.SOURCE_DIR / "m00").glob("*.ipynb"))),
              "GIT_HEAD": str(manifest.REPO_ROOT / ".git" / "HEAD"), "SECRET": SECRET,
              "TCP_PORT": listener.tcp.getsockname()[1], "UDP_PORT": listener.udp.getsockname()[1],
              "DB_SOCKET": listener.unix_path, "LEFTOVER": LEFTOVER}
    inbox = base / "serangan"
    for pid, route in attackers.items():
        synthetic.dump(_with_cell(good, _attack_cell(route, values)), inbox / f"{pid}_m00.ipynb")
    collect(ws, "m00", [inbox])
    victim_bytes = {pid: next((ws.submitted / pid / "m00").glob("*.ipynb")).read_bytes()
                    for pid in victims}

    scratches: list[str] = []
    make_scratch = tempfile.mkdtemp

    def recorded_mkdtemp(*args, **kwargs):
        path = make_scratch(*args, **kwargs)
        if "spptik-nilai-" in os.path.basename(path):
            scratches.append(path)
        return path

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tempfile, "mkdtemp", recorded_mkdtemp)
        for name, value in MODES[mode].items():
            patch.setenv(name, value)
        patch.setenv("PGPASSWORD", SECRET)
        patch.setenv("SPPTIK_DB_URL_CONTOH", f"postgresql://pelatih:{SECRET}@localhost/nilai")
        patch.setenv("HOME", str(trainer_home))
        report = grade(ws, jobs=2)
    deadline = time.monotonic() + 10
    assert scratches, "the grading run made no scratch folder"
    while (_leftovers() or _zygote_processes(scratches)) and time.monotonic() < deadline:
        time.sleep(0.2)
    listener.close()
    outputs = {}
    for pid, route in attackers.items():
        graded = next((ws.autograded / pid / "m00").glob("*.ipynb"), None)
        text = ""
        if graded is not None:
            cells = json.loads(graded.read_text(encoding="utf-8"))["cells"]
            text = "".join("".join(o.get("text", "")) for c in cells
                           for o in c.get("outputs", []) if o.get("output_type") == "stream")
        outputs[route] = text
    yield {"mode": mode, "ws": ws, "report": report, "victims": victims,
           "victim_bytes": victim_bytes, "bait": bait, "listener": listener,
           "outputs": outputs, "attackers": {r: p for p, r in attackers.items()},
           "leftovers": _leftovers(), "zygotes": _zygote_processes(scratches)}
    shutil.rmtree(base, ignore_errors=True)


def _batch_intact(run: dict) -> None:
    """What a trainer checks after the run: the same for every route."""
    ws, report = run["ws"], run["report"]
    assert report.sandbox == run["mode"].split("-")[0]
    assert report.warm
    scores = submission_scores(ws).set_index("student")
    for pid in run["victims"]:
        assert scores.loc[pid, "score"] == scores.loc[pid, "max_score"] > 0
        assert next((ws.submitted / pid / "m00").glob("*.ipynb")).read_bytes() == run["victim_bytes"][pid]
    assert (ws.root / "gradebook.db").read_bytes()[:16] == b"SQLite format 3\x00"
    assert run["bait"].read_text(encoding="utf-8").startswith("localhost:5432")
    assert not list(ws.root.rglob("dari-penyerang.txt"))
    assert run["listener"].contacts == []
    assert run["leftovers"] == [], "processes left running after grading"
    assert run["zygotes"] == set(), "zygote, keepers or kernels left running"


def _attack(run: dict, route: str) -> str:
    """The attacker's printed report, after checking the batch and that the attack ran."""
    _batch_intact(run)
    text = run["outputs"][route]
    assert f"SELESAI {route}" in text, f"the attack did not run to its end:\n{text[-2000:]}"
    assert "TEMBUS" not in text, text
    result = {r.student: r for r in run["report"].results}[run["attackers"][route]]
    assert result.status == GRADED
    return text


@pytest.mark.parametrize("route", ["proc_root", "direct_paths", "environment", "network",
                                   "unix_sockets", "ptrace_mem", "inherited_fds",
                                   "other_scratch", "scratch_listing", "privileges", "signals"])
def test_route_is_closed(attacked, route):
    _attack(attacked, route)


def test_processes_a_kernel_started_are_gone(attacked):
    _attack(attacked, "leftover_processes")


def test_a_kernel_sees_no_other_process(attacked):
    text = _attack(attacked, "other_processes")
    count = int(text.split("PROSES_LAIN ")[1].split()[0])
    if attacked["mode"] in NAMESPACE_MODES:
        assert count == 0  # its own process namespace
    else:
        assert count > 0  # without namespaces it sees them, and can touch none (no TEMBUS)


def test_filling_the_disk_stops_at_the_limits(attacked):
    from autograder.grading.sandbox import FILE_SIZE_LIMIT_BYTES, SCRATCH_LIMIT_BYTES

    text = _attack(attacked, "disk_fill")
    total = int(text.split("DITULIS_MB ")[1].split()[0])
    biggest = int(text.split("TERBESAR_MB ")[1].split()[0])
    assert biggest <= FILE_SIZE_LIMIT_BYTES // 2**20  # one file: RLIMIT_FSIZE
    if attacked["mode"] in NAMESPACE_MODES:
        assert total <= SCRATCH_LIMIT_BYTES // 2**20  # all of it: the kernel's own tmpfs


def test_a_fork_bomb_is_one_participants_problem(attacked):
    from autograder.grading.sandbox import PROCESS_LIMIT

    text = _attack(attacked, "fork_bomb")
    children = int(text.split("ANAK ")[1].split()[0])
    if attacked["mode"] in NAMESPACE_MODES:  # a user id of its own: RLIMIT_NPROC holds
        assert "FORK_DITOLAK" in text and children < PROCESS_LIMIT
