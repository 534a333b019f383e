"""Where and how a participant's code runs while it is graded.

nbgrader runs student code with the trainer's rights, next to the gradebook
(on plain nbgrader a cell that walks up from its folder finds ``gradebook.db``).
Here every kernel runs

- in a temporary copy of its submission (a scratch folder outside the
  workspace), never in the workspace itself;
- inside a bubblewrap sandbox where bwrap exists: the whole file system
  read-only, the cohort workspace and the repository's ``source/`` (solutions,
  hidden tests) replaced by empty read-only folders, only the scratch folder
  writable (it is also ``TMPDIR``), ended with the grader;
- with resource limits: address space, file size, CPU time.

Where bwrap is missing (a laptop without user namespaces) the scratch copy and
the limits still apply; ``describe()`` says which protection is in force.
Stronger isolation (containers per submission, a hub's spawner) is described
in README.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from autograder import manifest

MEMORY_LIMIT_BYTES = 3 * 1024**3       # a kernel that allocates more gets MemoryError
FILE_SIZE_LIMIT_BYTES = 200 * 1024**2  # no single file written larger than this
CPU_LIMIT_SECONDS = 600                # a whole notebook, on top of the per-cell timeout


@dataclass
class SandboxPolicy:
    """What to hide from student code and which folder it may write."""

    scratch: Path
    hidden: list[Path] = field(default_factory=list)
    memory_bytes: int = MEMORY_LIMIT_BYTES
    file_size_bytes: int = FILE_SIZE_LIMIT_BYTES
    cpu_seconds: int = CPU_LIMIT_SECONDS
    use_bwrap: bool = True

    @classmethod
    def for_workspace(cls, workspace_root: Path, scratch: Path) -> SandboxPolicy:
        return cls(scratch=scratch,
                   hidden=[Path(workspace_root).resolve(), manifest.SOURCE_DIR.resolve()])


@lru_cache(maxsize=1)
def bwrap_path() -> str | None:
    """bwrap, if it exists and can start a sandbox on this machine."""
    path = shutil.which("bwrap")
    if not path:
        return None
    try:
        probe = subprocess.run([path, "--ro-bind", "/", "/", "--dev", "/dev", "true"],
                               capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return path if probe.returncode == 0 else None


def wrap(command: list[str], policy: SandboxPolicy) -> list[str]:
    """The command run inside bwrap (or unchanged where bwrap cannot run)."""
    bwrap = bwrap_path() if policy.use_bwrap else None
    if not bwrap:
        return command
    # /tmp stays as it is, read-only: the project's own environment may live there
    # (a checkout in /tmp); TMPDIR points kernels at the scratch folder instead.
    args = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    for hidden in policy.hidden:
        if hidden.exists():
            args += ["--tmpfs", str(hidden), "--remount-ro", str(hidden)]
    args += ["--bind", str(policy.scratch), str(policy.scratch),
             "--die-with-parent", "--new-session", "--chdir", str(policy.scratch), "--"]
    return args + command


def describe(policy: SandboxPolicy) -> str:
    if policy.use_bwrap and bwrap_path():
        return "bubblewrap (sistem berkas hanya-baca, ruang kerja tersembunyi) + batas sumber daya"
    return "salinan sementara + batas sumber daya (bubblewrap tidak tersedia)"


def apply_limits(policy_memory: int, policy_fsize: int, policy_cpu: int) -> None:
    """Called in the kernel process before any student code runs."""
    for limit, value in ((resource.RLIMIT_AS, policy_memory),
                         (resource.RLIMIT_FSIZE, policy_fsize),
                         (resource.RLIMIT_CPU, policy_cpu)):
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):
            pass
    os.umask(0o077)
