"""Confining one kernel, in its own process, before any participant code exists.

Runs in the warm zygote's children (``zygote.py``); the policy comes from
``sandbox.py``. The zygote forks a *keeper* per kernel; the keeper enters new
mount, network, IPC and host-name namespaces and forks the kernel, which is
process 1 of a new process namespace: when the kernel ends, the system kills
every process it started. The kernel then

1. mounts its own ``/proc`` (only its own processes in it) and a size-limited
   tmpfs over the run's scratch folder, with only its own folders inside;
2. closes every file descriptor it inherited;
3. takes an unprivileged user id of its own (when the zygote runs as root) and
   gives up every capability, with ``no_new_privs``;
4. sets resource limits, a seccomp filter (no socket but Unix sockets, no
   ptrace, no new namespaces) and a Landlock ruleset (read the system, write
   only its own folders, no TCP, no signal or abstract socket outside).

Where namespaces cannot be made (``landlock`` mode on a machine without user
namespaces) the keeper is a child subreaper: it stays until the kernel ends and
then kills whatever the kernel left behind.
"""

from __future__ import annotations

import ctypes
import errno
import os
import random
import resource
import shutil
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import SpptikError

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
NAMESPACE_FLAGS = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18

PR_SET_PDEATHSIG = 1
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
PR_SET_CHILD_SUBREAPER = 36
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4

# Kernel user ids when the grader runs as root: one per kernel, far from real accounts.
UID_BASE = 0x20000000
_run_offset = random.SystemRandom().randrange(1, 0x4000) * 0x10000

_libc = ctypes.CDLL(None, use_errno=True)


class ConfinementError(SpptikError, RuntimeError):
    pass


def _check(result: int, what: str) -> int:
    if result < 0:
        err = ctypes.get_errno()
        raise ConfinementError(f"{what}: {os.strerror(err)}")
    return result


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str = "") -> None:
    _check(_libc.mount(source.encode() if source else None, target.encode(),
                       fstype.encode() if fstype else None, ctypes.c_ulong(flags),
                       data.encode() if data else None), f"mount {target}")


def _prctl(option: int, arg: int = 0, arg3: int = 0) -> int:
    return _libc.prctl(option, ctypes.c_ulong(arg), ctypes.c_ulong(arg3), 0, 0)


@dataclass
class Kernel:
    """Where one kernel lives: its working folder and its connection folder (host paths)."""

    work: str        # the scratch copy of the submission's folder (its cwd)
    channel: str     # connection file and Unix sockets, shared with the grader
    home: str        # HOME and TMPDIR (HOME/tmp)
    shared: tuple[str, ...] = ()  # the zygote's settings folders (IPython, matplotlib): read only


# Keeper ------------------------------------------------------------------------------

def enter_namespaces(policy: dict) -> bool:
    """In the keeper: new namespaces for the kernel about to be forked (False: none here)."""
    if not policy.get("namespaces", True):
        return False
    if _libc.unshare(NAMESPACE_FLAGS) == 0:
        return True
    uid, gid = os.getuid(), os.getgid()
    if _libc.unshare(NAMESPACE_FLAGS | CLONE_NEWUSER) != 0:
        return False
    try:  # map our own ids: capabilities inside, nothing more outside
        Path("/proc/self/setgroups").write_text("deny")
        Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
        Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
    except OSError as exc:
        raise ConfinementError(f"peta pengguna: {exc}") from exc
    return True


def become_subreaper() -> None:
    """Without a process namespace: orphans of the kernel's processes come back to the keeper."""
    _check(_prctl(PR_SET_CHILD_SUBREAPER, 1), "subreaper")


def namespaces_work(folder: str) -> bool:
    """Whether a kernel's namespaces and mounts can be made here (a throw-away child tries).

    A machine may allow the namespaces and still refuse a mount in them (a container
    that masks parts of /proc): then the kernels go without namespaces rather than fail.
    """
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            if enter_namespaces({"namespaces": True}):
                inner = os.fork()
                if inner == 0:
                    try:
                        _mount(None, "/", None, MS_REC | MS_PRIVATE)
                        _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
                        _mount("spptik", folder, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0711")
                        os._exit(0)
                    except BaseException:  # noqa: BLE001
                        os._exit(1)
                code = 0 if os.waitpid(inner, 0)[1] == 0 else 1
        finally:
            os._exit(code)
    return os.waitpid(pid, 0)[1] == 0


def keep(kernel_pid: int, namespaces: bool) -> None:
    """In the keeper: wait for the kernel, then make sure nothing it started survives.

    With a process namespace the system does it when the kernel (its process 1)
    ends; without one the keeper, a subreaper, kills what came back to it.
    """
    signal.signal(signal.SIGTERM, lambda *_: _kill_all(kernel_pid))
    while True:
        try:
            pid, _ = os.waitpid(-1, 0)
        except ChildProcessError:
            return
        except InterruptedError:
            continue
        if pid == kernel_pid:
            _kill_all(kernel_pid)
            return


def _kill_all(kernel_pid: int) -> None:
    """Kill the kernel and every descendant that came back to us (the subreaper)."""
    try:
        os.kill(kernel_pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    for _ in range(200):
        children = _children(os.getpid())
        if not children:
            break
        for child in children:
            try:
                os.kill(child, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            break
        time.sleep(0.005)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


# Kernel ------------------------------------------------------------------------------

def confine(policy: dict, kernel: Kernel, namespaces: bool, uid: int | None,
            keep_fd: int) -> None:
    """In the kernel's process, before ipykernel starts: see the module docstring.

    ``keep_fd`` (the keeper's status pipe) is the one inherited descriptor kept open.
    """
    if namespaces:
        _private_view(policy, kernel, uid)
    else:
        _private_folders(kernel, uid)
    _close_inherited_files(keep_fd)
    _drop_privileges(uid)
    # RLIMIT_NPROC counts every process of the user: only a user of the kernel's own
    # (its own id, or its own user namespace) makes it a per-kernel limit; root is exempt.
    own_user = uid is not None or (namespaces and os.getuid() != 0)
    set_limits(policy, processes=own_user)
    _seccomp()
    _landlock(policy, kernel)
    os.chdir(kernel.work)


def kernel_uid(keeper_pid: int) -> int | None:
    """A user id of the kernel's own when we may set one (root outside any user namespace).

    Made from the keeper's process id, unique among the run's live kernels, and an
    offset drawn once per run, so two grading runs on one machine do not share ids.
    """
    try:
        mapping = Path("/proc/self/uid_map").read_text().split()[:3]
    except OSError:
        return None
    if os.geteuid() != 0 or mapping != ["0", "0", "4294967295"]:
        return None
    return UID_BASE + _run_offset + keeper_pid % 0x10000


def _private_view(policy: dict, kernel: Kernel, uid: int | None) -> None:
    """Own /proc; a tmpfs over the scratch folder holding only this kernel's folders."""
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    if uid is not None:
        _reachable(policy["read"], writable=policy["scratch"])
    scratch = policy["scratch"]
    work_fd = os.open(kernel.work, os.O_RDONLY | os.O_DIRECTORY)
    channel_fd = os.open(kernel.channel, os.O_PATH | os.O_DIRECTORY)
    size = int(policy.get("scratch_bytes") or 0)
    _mount("spptik", scratch, "tmpfs", MS_NOSUID | MS_NODEV,
           f"mode=0711{',size=' + str(size) if size else ''}")
    own = [kernel.work, kernel.home, kernel.channel, *kernel.shared]
    for folder in own:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    _mount(f"/proc/self/fd/{channel_fd}", kernel.channel, None, MS_BIND)
    os.close(channel_fd)
    shutil.copytree(f"/proc/self/fd/{work_fd}", kernel.work, dirs_exist_ok=True, symlinks=True)
    os.close(work_fd)
    os.makedirs(str(Path(kernel.home) / "tmp"), mode=0o700, exist_ok=True)
    for folder in own:
        _give(folder, uid)


def _reachable(roots: list[str], writable: str) -> None:
    """Make the folders the kernel may read reachable for its own user id, in its own view.

    A Python installed under ``/root`` (mode 0700) cannot be read by another user.
    The topmost such folder is covered, in this mount namespace only, by an empty
    tmpfs that anyone may search, and what the kernel may read is bound back into
    it, read-only (the run's scratch folder as it is: the kernel's own tmpfs goes
    over it next); what else that folder held (the trainer's home) is out of view.
    """
    import stat

    covers: dict[str, list[str]] = {}
    for root in [*roots, writable]:
        for folder in [*reversed(Path(root).parents[:-1]), Path(root)]:
            if folder.is_dir() and not folder.stat().st_mode & stat.S_IXOTH:
                covers.setdefault(str(folder), []).append(root)
                break
    for top, inside in covers.items():
        fds = [(root, os.open(root, os.O_PATH)) for root in inside if root != top]
        _mount("spptik", top, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755")
        for root, fd in fds:
            os.makedirs(root, mode=0o755, exist_ok=True)
            _mount(f"/proc/self/fd/{fd}", root, None, MS_BIND | MS_REC)
            if root != writable:
                _mount(None, root, None, MS_REMOUNT | MS_BIND | MS_RDONLY)
            os.close(fd)


def _private_folders(kernel: Kernel, uid: int | None) -> None:
    """Without namespaces: the kernel's own folders stay on disk (Landlock keeps it in them)."""
    os.makedirs(str(Path(kernel.home) / "tmp"), mode=0o700, exist_ok=True)
    for folder in (kernel.work, kernel.home, kernel.channel):
        _give(folder, uid)


def _give(folder: str, uid: int | None) -> None:
    if uid is None:
        return
    for root, dirs, files in os.walk(folder):
        for name in [root, *(os.path.join(root, n) for n in dirs + files)]:
            os.lchown(name, uid, uid)


def _close_inherited_files(keep_fd: int) -> None:
    """Only stdin/stdout/stderr (and the status pipe) survive: nothing the zygote had open."""
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    os.closerange(3, keep_fd)
    os.closerange(keep_fd + 1, limit)


def _drop_privileges(uid: int | None) -> None:
    for cap in range(64):  # the bounding set: no capability can ever come back
        if _prctl(PR_CAPBSET_DROP, cap) != 0 and ctypes.get_errno() == errno.EINVAL:
            break
    _prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)
    if uid is not None:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)  # from root to another id: every capability is dropped
    _clear_capabilities()
    _check(_prctl(PR_SET_NO_NEW_PRIVS, 1), "no_new_privs")


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def _clear_capabilities() -> None:
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    _check(_libc.capset(ctypes.byref(header), data), "capset")


def set_limits(policy: dict, processes: bool = False) -> None:
    for limit, value in ((resource.RLIMIT_AS, policy.get("memory")),
                         (resource.RLIMIT_FSIZE, policy.get("fsize")),
                         (resource.RLIMIT_CPU, policy.get("cpu")),
                         (resource.RLIMIT_NPROC, policy.get("nproc") if processes else None),
                         (resource.RLIMIT_NOFILE, policy.get("nofile")),
                         (resource.RLIMIT_CORE, 0)):
        if value is not None:
            resource.setrlimit(limit, (value, value))
    os.umask(0o077)


_prepared_filter = None


def prepare() -> None:
    """In the zygote, before any fork: build the seccomp filter once (each kernel loads it)."""
    global _prepared_filter
    _prepared_filter = _seccomp_filter()


def _seccomp() -> None:
    (_prepared_filter or _seccomp_filter()).load()


def _seccomp_filter():
    """No connect at all; no socket but stream sockets (Unix, and TCP which Landlock and
    the network namespace close) and netlink route sockets; no ptrace, no new namespaces.

    TCP sockets may be created because libzmq aborts the kernel when it cannot
    create one (ipykernel asks for a TCP pipe for subprocess output, and gives
    that up when binding fails); binding and connecting are what is refused.
    UDP, raw, packet and netlink sockets cannot be created at all.
    """
    import socket

    import pyseccomp as seccomp

    rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    # netlink: libzmq lists the machine's interfaces (route protocol only, read-only without
    # capabilities, and in a network namespace it sees only that namespace's loopback)
    allowed = {socket.AF_UNIX, socket.AF_INET, socket.AF_INET6, socket.AF_NETLINK}
    for call in ("socket", "socketpair"):
        for family in range(64):
            if family not in allowed:
                rules.add_rule(seccomp.ERRNO(errno.EACCES), call, seccomp.Arg(0, seccomp.EQ, family))
        rules.add_rule(seccomp.ERRNO(errno.EACCES), call, seccomp.Arg(0, seccomp.GE, 64))
    rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket",
                   seccomp.Arg(0, seccomp.EQ, socket.AF_NETLINK), seccomp.Arg(2, seccomp.NE, 0))
    for family in (socket.AF_UNIX, socket.AF_INET, socket.AF_INET6):
        for kind in range(2, 16):  # all but SOCK_STREAM (flags such as SOCK_CLOEXEC masked off)
            rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket",
                           seccomp.Arg(0, seccomp.EQ, family),
                           seccomp.Arg(1, seccomp.MASKED_EQ, 0xF, kind))
    # A kernel only listens (its channel to the grader); it never connects anywhere:
    # not to a database's or another program's Unix socket, not over TCP.
    rules.add_rule(seccomp.ERRNO(errno.EACCES), "connect")
    for name in ("ptrace", "process_vm_readv", "process_vm_writev", "unshare", "setns",
                 "mount", "umount2", "pivot_root", "chroot", "bpf", "perf_event_open",
                 "userfaultfd", "keyctl", "add_key", "request_key", "kexec_load",
                 "init_module", "finit_module", "open_by_handle_at", "name_to_handle_at"):
        rules.add_rule(seccomp.ERRNO(errno.EPERM), name)
    rules.add_rule(seccomp.ERRNO(errno.EPERM), "clone",
                   seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER))
    rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")  # flags out of reach: libc falls back to clone
    return rules


def _landlock(policy: dict, kernel: Kernel) -> None:
    from landlockpy import AccessFS, AccessNet, Ruleset, Scope

    read = AccessFS.READ_FILE | AccessFS.READ_DIR | AccessFS.EXECUTE
    write = ~AccessFS(0) & ~(AccessFS.MAKE_BLOCK | AccessFS.MAKE_CHAR)
    ruleset = Ruleset(handled_net=AccessNet.BIND_TCP | AccessNet.CONNECT_TCP | AccessNet.BIND_UDP
                      | AccessNet.CONNECT_SEND_UDP,
                      scoped=Scope.ABSTRACT_UNIX_SOCKET | Scope.SIGNAL)
    with ruleset:
        for path in policy["landlock_read"]:  # the system and Python, secrets left out
            _allow(ruleset, path, read)
        for path in ("/proc", "/sys"):
            _allow(ruleset, path, AccessFS.READ_FILE | AccessFS.READ_DIR)
        for device in ("null", "zero", "full", "random", "urandom"):
            _allow(ruleset, f"/dev/{device}", AccessFS.READ_FILE | AccessFS.WRITE_FILE)
        for folder in (kernel.work, kernel.channel, kernel.home):
            _allow(ruleset, folder, write | read)
        for folder in kernel.shared:  # the zygote's IPython profile and font list
            _allow(ruleset, folder, read)
        ruleset.restrict()


def _allow(ruleset, path: str, access) -> None:
    """A Landlock rule; on a file only the rights a file can have."""
    from landlockpy import AccessFS

    if not os.path.exists(path):
        return
    if not os.path.isdir(path):
        access &= (AccessFS.EXECUTE | AccessFS.WRITE_FILE | AccessFS.READ_FILE
                   | AccessFS.TRUNCATE | AccessFS.IOCTL_DEV)
    ruleset.allow_path(path, access)
