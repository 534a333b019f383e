"""Which sandbox runs, what it is given, and what happens where none can run."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from autograder.cli import main
from autograder.course import manifest
from autograder.demo import synthetic
from autograder.grading import sandbox
from autograder.intake.collect import collect


@pytest.fixture
def no_sandbox(monkeypatch):
    """A machine where neither bubblewrap nor Landlock can run."""
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: None)
    monkeypatch.setattr(sandbox, "landlock_abi", lambda: 0)
    monkeypatch.delenv("SPPTIK_SANDBOX", raising=False)


def _submitted(ws, tmp_path, answer_keys):
    release, answers = answer_keys["m00"]
    pid = ws.participants[0].id_peserta
    synthetic.dump(synthetic.fill(release, answers), tmp_path / "masuk" / f"{pid}_m00.ipynb")
    collect(ws, "m00", [tmp_path / "masuk"])
    return pid


def test_without_a_sandbox_grading_refuses_and_writes_nothing(no_sandbox, fresh_cohort,
                                                               answer_keys, tmp_path):
    ws = fresh_cohort
    pid = _submitted(ws, tmp_path, answer_keys)
    gradebook = (ws.root / "gradebook.db").read_bytes()
    result = CliRunner().invoke(main, ["grade", str(ws.root)])
    assert result.exit_code == 3
    message = " ".join(result.output.split())
    assert "tidak ada sandbox" in message and "apt-get install bubblewrap" in message
    assert "--percaya" in message
    assert not (ws.autograded / pid).exists()
    assert (ws.root / "gradebook.db").read_bytes() == gradebook


def test_trusted_code_is_graded_when_the_trainer_says_so(no_sandbox, fresh_cohort,
                                                         answer_keys, tmp_path):
    ws = fresh_cohort
    pid = _submitted(ws, tmp_path, answer_keys)
    result = CliRunner().invoke(main, ["grade", str(ws.root), "--percaya", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "TANPA SANDBOX" in " ".join(result.output.split())
    assert (ws.autograded / pid / "m00").is_dir()


def test_an_unknown_mode_is_refused_in_indonesian(monkeypatch):
    monkeypatch.setenv("SPPTIK_SANDBOX", "docker")
    with pytest.raises(sandbox.SandboxUnavailable, match="tidak dikenal"):
        sandbox.choose_mode()


def test_kernels_are_given_the_system_and_python_only():
    roots = sandbox.read_roots()
    repo = str(manifest.REPO_ROOT)
    assert repo not in roots  # the repository's root holds source/ and .git
    assert not any(r == str(manifest.SOURCE_DIR) or r.startswith(str(manifest.SOURCE_DIR) + "/")
                   for r in roots)
    assert str(manifest.REPO_ROOT / "course") in roots  # the course helpers and data
    home = os.path.expanduser("~")
    assert not any(home.startswith(r.rstrip("/") + "/") or r == home for r in roots
                   if r not in sandbox.SYSTEM_READ), roots
    assert any(Path(sys.executable).resolve().is_relative_to(r) for r in roots)


def test_bubblewrap_shows_no_home_no_run_and_hides_site_secrets(tmp_path):
    policy = sandbox.SandboxPolicy(scratch=tmp_path / "kerja", mode=sandbox.BUBBLEWRAP,
                                   hidden=[tmp_path / "kohort"])
    if not sandbox.bwrap_path():
        pytest.fail("bubblewrap is not installed (.ci/run installs it)")
    args = sandbox.zygote_command(["python"], policy)
    binds = [args[i + 2] for i, a in enumerate(args) if a in ("--ro-bind", "--bind")]
    assert "/" not in binds and "/home" not in binds and "/run" not in binds and "/root" not in binds
    assert "--unshare-pid" in args and "--unshare-net" in args and "--die-with-parent" in args
    assert args[args.index("--bind") + 1] == str(policy.scratch)


def test_a_kernels_environment_is_an_allowlist(monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "rahasia")
    monkeypatch.setenv("SPPTIK_DB_URL", "postgresql://u:rahasia@h/db")
    monkeypatch.setenv("LANG", "id_ID.UTF-8")
    env = sandbox.kernel_env("/kerja/rumah")
    assert "rahasia" not in " ".join(env.values())
    assert not any(k.startswith(("SPPTIK", "PG", "JUPYTERHUB")) for k in env)
    assert env["HOME"] == "/kerja/rumah" and env["TMPDIR"] == "/kerja/rumah/tmp"
    assert env["LANG"] == "id_ID.UTF-8"
