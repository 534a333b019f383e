"""Where and how a participant's code runs while it is graded: the policy.

nbgrader runs student code with the trainer's rights, next to the gradebook.
Here every kernel that runs a participant's code is confined (``confine.py``
does it, in the kernel's own process, before any participant code exists):

- its own process, mount, network, IPC and host-name namespaces where the
  machine allows them: it sees no process but its own, every process it
  starts dies with it, it has no network at all;
- a private, size-limited scratch folder (its copy of the submission, its
  ``HOME`` and ``TMPDIR``); every other kernel's folder, the cohort, ``source/``,
  the repository and the trainer's home are out of its view;
- the Landlock LSM: it may read only the system and the Python installation
  and write only its own scratch folder; no TCP; no signal or abstract socket
  outside its domain;
- seccomp: no socket but Unix sockets, no ptrace, no new namespaces;
- an unprivileged user id of its own (when the grader runs as root), no
  capabilities, ``no_new_privs``, an environment built from an allowlist, and
  limits on memory, CPU time, file size, processes and open files.

Modes (``describe``): ``bubblewrap`` (the warm zygote runs inside a bwrap
sandbox whose file system is built from an allowlist; each kernel adds its own
namespaces and Landlock), ``landlock`` (no bwrap: Landlock, seccomp, namespaces
where the machine allows them, otherwise a subreaper that kills what a kernel
left behind). Where neither can run, grading refuses unless the trainer says
the code is trusted (``--percaya``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from autograder.course import manifest
from autograder.errors import SpptikError

MEMORY_LIMIT_BYTES = 3 * 1024**3       # a kernel that allocates more gets MemoryError
FILE_SIZE_LIMIT_BYTES = 200 * 1024**2  # no single file written larger than this
SCRATCH_LIMIT_BYTES = 512 * 1024**2    # all a kernel writes (namespace modes: a tmpfs)
CPU_LIMIT_SECONDS = 600                # a whole notebook, on top of the per-cell timeout
PROCESS_LIMIT = 64                     # processes and threads of one kernel's user
OPEN_FILES_LIMIT = 1024

BUBBLEWRAP = "bubblewrap"
LANDLOCK = "landlock"
TRUSTED = "dipercaya"
MODES = (BUBBLEWRAP, LANDLOCK)

# What every kernel may read (besides the Python installation and the course).
SYSTEM_READ = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"]
# Under /etc, what belongs to the site and its secrets.
HIDDEN_IN_ETC = ["spptik", "jupyterhub", "ssh", "sudoers.d", "shadow", "shadow-", "gshadow",
                 "gshadow-", "ssl/private"]
# The only variables a kernel's environment may take from the grader's.
ENV_ALLOW = ["LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ", "OPENBLAS_CORETYPE",
             "OPENBLAS_L2_SIZE"]


class SandboxUnavailable(SpptikError, RuntimeError):
    """No sandbox can run here; the message says why and what to do (Indonesian)."""


@dataclass
class SandboxPolicy:
    """What a grading run's kernels may see and use."""

    scratch: Path
    hidden: list[Path] = field(default_factory=list)
    mode: str = BUBBLEWRAP
    memory_bytes: int = MEMORY_LIMIT_BYTES
    file_size_bytes: int = FILE_SIZE_LIMIT_BYTES
    scratch_bytes: int = SCRATCH_LIMIT_BYTES
    cpu_seconds: int = CPU_LIMIT_SECONDS
    processes: int = PROCESS_LIMIT
    open_files: int = OPEN_FILES_LIMIT
    namespaces: bool = True  # per-kernel namespaces where the machine allows them

    @classmethod
    def for_workspace(cls, workspace_root: Path, scratch: Path, mode: str) -> SandboxPolicy:
        return cls(scratch=Path(scratch), mode=mode,
                   hidden=[Path(workspace_root).resolve(), manifest.SOURCE_DIR.resolve(),
                           manifest.REPO_ROOT / ".git"],
                   namespaces=os.environ.get("SPPTIK_SANDBOX_TANPA_NS") != "1")

    @property
    def confined(self) -> bool:
        return self.mode in MODES

    def confinement(self) -> dict:
        """What the zygote's children need to confine themselves (plain data, sent once)."""
        roots = read_roots()
        return {"mode": self.mode, "scratch": str(self.scratch), "read": roots,
                "landlock_read": landlock_grants(roots),
                "memory": self.memory_bytes, "fsize": self.file_size_bytes,
                "scratch_bytes": self.scratch_bytes, "cpu": self.cpu_seconds,
                "nproc": self.processes, "nofile": self.open_files,
                "namespaces": self.namespaces,
                # a user id of the kernel's own, where that user can still read Python
                # (bwrap makes the folders above what it shows readable; without it,
                # a Python under /root stays root's)
                "own_uid": self.mode == BUBBLEWRAP or (
                    all(map(_world_readable, roots))
                    and _world_readable(str(self.scratch.parent)))}


@lru_cache(maxsize=1)
def bwrap_path() -> str | None:
    """bwrap, if it exists and can start a sandbox with new namespaces on this machine."""
    path = shutil.which("bwrap")
    if not path:
        return None
    try:
        probe = subprocess.run([path, *_namespace_args(), "--ro-bind", "/", "/", "--dev", "/dev",
                                "--proc", "/proc", "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return path if probe.returncode == 0 else None


@lru_cache(maxsize=1)
def landlock_abi() -> int:
    """The kernel's Landlock ABI version (0: not available)."""
    try:
        import landlockpy
    except ImportError:
        return 0
    return landlockpy.abi_version()


@lru_cache(maxsize=1)
def seccomp_available() -> bool:
    """Whether libseccomp can be loaded (Debian's libseccomp2, which apt itself needs)."""
    try:
        import pyseccomp

        pyseccomp.SyscallFilter(defaction=pyseccomp.ALLOW)
    except Exception:  # noqa: BLE001 - ImportError, OSError (no library), RuntimeError
        return False
    return True


def choose_mode(trusted: bool = False) -> str:
    """The strongest sandbox this machine runs (``SPPTIK_SANDBOX`` may ask for a weaker one).

    Raises ``SandboxUnavailable`` where none runs and the code is not trusted.
    """
    if trusted:
        return TRUSTED
    wanted = os.environ.get("SPPTIK_SANDBOX", "").strip().lower()
    if wanted and wanted not in MODES:
        raise SandboxUnavailable(
            f"SPPTIK_SANDBOX={wanted!r} tidak dikenal; pilihan: {', '.join(MODES)}.")
    if not seccomp_available():
        raise SandboxUnavailable(
            "Kode peserta tidak akan dijalankan: pustaka libseccomp tidak dapat dimuat, padahal "
            "sandbox memakainya untuk menutup jaringan dan ptrace. Perbaikan: pasang paket "
            "`libseccomp2` (Debian/Ubuntu: apt-get install libseccomp2). Hanya bila semua "
            "kiriman berasal dari sumber tepercaya, jalankan dengan --percaya.")
    if wanted in ("", BUBBLEWRAP) and bwrap_path():
        return BUBBLEWRAP
    if wanted == BUBBLEWRAP:
        raise SandboxUnavailable(
            "SPPTIK_SANDBOX=bubblewrap diminta, tetapi bubblewrap tidak dapat berjalan di mesin "
            "ini. Pasang paket `bubblewrap` (Debian/Ubuntu: apt-get install bubblewrap).")
    if landlock_abi() >= 1:
        return LANDLOCK
    raise SandboxUnavailable(
        "Kode peserta tidak akan dijalankan: tidak ada sandbox yang dapat berjalan di mesin ini "
        "(bubblewrap tidak ada atau ditolak, dan kernel Linux tidak menyediakan Landlock). "
        "Perbaikan: pasang bubblewrap (apt-get install bubblewrap) atau gunakan kernel Linux "
        "5.13 ke atas dengan Landlock aktif. Hanya bila semua kiriman berasal dari sumber "
        "tepercaya (misalnya data contoh), jalankan dengan --percaya.")


def namespaces_work(folder: Path) -> bool:
    """Whether kernels can have namespaces of their own here (tried in a separate process:
    the grader may already run threads, and forking those is not safe)."""
    probe = ("import sys; from autograder.grading.confine import namespaces_work; "
             "sys.exit(0 if namespaces_work(sys.argv[1]) else 1)")
    try:
        return subprocess.run([sys.executable, "-c", probe, str(folder)], capture_output=True,
                              timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def read_roots() -> list[str]:
    """What kernels may read: the system, the Python installation, the course (not source/)."""
    roots = [p for p in SYSTEM_READ if os.path.lexists(p)]
    python = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    python.update(p for p in sys.path if p and os.path.isdir(p))
    from importlib.util import find_spec

    for package in ("autograder", "coursekit"):
        # found, not imported: importing coursekit would import pandas in the grader (a second)
        spec = find_spec(package)
        init = spec.origin if spec is not None else None
        if init is None or not init.endswith("__init__.py"):  # missing, or a namespace package
            raise RuntimeError(f"paket {package} tidak punya __init__.py; pasang ulang spptik")
        python.add(str(Path(init).resolve().parent))
    python.add(str(manifest.REPO_ROOT / "course"))
    system = tuple(r.rstrip("/") + "/" for r in roots)
    extra: list[str] = []
    for path in sorted(os.path.realpath(p) for p in python):
        if path.startswith(system) or any(path.startswith(e + "/") or path == e for e in extra):
            continue
        if path == "/" or _holds_private(Path(path)):
            continue
        extra.append(path)
    return roots + extra


def landlock_grants(roots: list[str]) -> list[str]:
    """The read roots as Landlock rules: a grant covers all below it and cannot be taken
    back, so a root holding a hidden path (``/etc/spptik``) is granted entry by entry.

    Made once per grading run; every kernel adds these rules.
    """
    hidden = [str(Path("/etc") / name) for name in HIDDEN_IN_ETC]

    def grants(path: str) -> list[str]:
        if path in hidden or not os.path.lexists(path):
            return []
        if not any(h.startswith(path.rstrip("/") + "/") for h in hidden):
            return [path]
        return [g for entry in sorted(os.scandir(path), key=lambda e: e.name)
                for g in grants(entry.path)]

    return [g for root in roots for g in grants(root)]


def _world_readable(path: str) -> bool:
    """Whether any user can reach and read ``path`` (every folder above it searchable)."""
    import stat

    try:
        for folder in [*reversed(Path(path).parents), Path(path)]:
            mode = folder.stat().st_mode
            if not mode & stat.S_IXOTH or (folder == Path(path) and not mode & stat.S_IROTH):
                return False
    except OSError:
        return False
    return True


def _holds_private(path: Path) -> bool:
    """A folder that holds the repository's solutions or history (never given to kernels)."""
    return (path / "source").is_dir() and (path / ".git").exists()


def _namespace_args() -> list[str]:
    args = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts"]
    if os.geteuid() != 0:  # the zygote needs capabilities in its own namespace to confine kernels
        args += ["--unshare-user", "--cap-add", "ALL"]
    return args


def zygote_command(command: list[str], policy: SandboxPolicy) -> list[str]:
    """The warm zygote's command line: inside bwrap in ``bubblewrap`` mode, else as it is."""
    if policy.mode != BUBBLEWRAP:
        return command
    bwrap = bwrap_path()
    if bwrap is None:  # chosen as the mode, so it ran a moment ago
        raise SandboxUnavailable("bubblewrap tidak lagi dapat berjalan di mesin ini; sandbox "
                                 "penilaian tidak dapat dimulai. Jalankan perintah ini sekali lagi.")
    args = [bwrap, *_namespace_args(), "--die-with-parent", "--new-session",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--dir", "/var/tmp"]
    made: set[str] = set()
    roots = read_roots()

    def parents_searchable(path: str) -> None:  # bwrap would make them 0700
        nonlocal args
        for parent in reversed(Path(path).parents[:-1]):
            if str(parent) not in made and str(parent) not in ("/tmp", "/var/tmp"):
                args += ["--perms", "0755", "--dir", str(parent)]
                made.add(str(parent))

    for root in roots:
        parents_searchable(root)
        if os.path.islink(root):
            args += ["--symlink", os.readlink(root), root]
        else:
            args += ["--ro-bind", root, root]
        if root == "/etc":
            for name in HIDDEN_IN_ETC:
                hidden = Path("/etc") / name
                if hidden.is_dir():
                    args += ["--tmpfs", str(hidden), "--remount-ro", str(hidden)]
                elif hidden.exists():
                    args += ["--ro-bind", "/dev/null", str(hidden)]
    parents_searchable(str(policy.scratch))
    args += ["--bind", str(policy.scratch), str(policy.scratch)]
    for hidden in policy.hidden:  # in case one lies inside a folder given to kernels
        if hidden.exists() and any(hidden.resolve().is_relative_to(Path(r).resolve())
                                   for r in roots):
            args += ["--tmpfs", str(hidden), "--remount-ro", str(hidden)]
    return [*args, "--chdir", str(policy.scratch), "--", *command]


def kernel_env(home: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A kernel's whole environment: an allowlist, nothing else of the trainer's shell."""
    env = {name: os.environ[name] for name in ENV_ALLOW if name in os.environ}
    env.setdefault("LANG", "C.UTF-8")
    env.update(PATH=os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin",
                                     "/usr/bin", "/bin"]),
               HOME=home, TMPDIR=str(Path(home) / "tmp"), USER="peserta", LOGNAME="peserta",
               MPLBACKEND="module://matplotlib_inline.backend_inline",
               PYDEVD_DISABLE_FILE_VALIDATION="1", PYTHONNOUSERSITE="1",
               # numpy's BLAS in one thread: kernels already run side by side on every core
               # (an idle BLAS thread in the zygote spun for 0.1 s of CPU per run)
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    env.update(extra or {})
    return env


def describe(policy: SandboxPolicy) -> str:
    """Which protection runs, for the trainer (Indonesian)."""
    if policy.mode == BUBBLEWRAP:
        return ("bubblewrap + Landlock + seccomp: proses, jaringan, dan berkas tiap kernel "
                "terpisah; tanpa jaringan; ruang kerja tersembunyi; batas sumber daya")
    if policy.mode == LANDLOCK:
        ns = "ruang nama proses/jaringan per kernel" if policy.namespaces else \
            "tanpa ruang nama (proses dibersihkan oleh penjaga)"
        return (f"Landlock (ABI {landlock_abi()}) + seccomp: hanya salinan sendiri yang dapat "
                f"ditulis, tanpa jaringan; {ns}; batas sumber daya")
    return "TANPA SANDBOX (--percaya): kode peserta dijalankan dengan hak pelatih"
