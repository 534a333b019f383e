"""Every replaced internal of another package still exists as recorded, and the switch turns them off.

The contract runs in a fresh interpreter (``python -m autograder.grading.patches`` does
the same for a trainer after an upgrade): this test process may have applied
some patches already, and a replaced attribute no longer shows its package's
signature.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from autograder.grading import patches

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
import json
from autograder.grading import patches
print(json.dumps({"problems": patches.check(),
                  "versions": {p.name: patches.installed_versions(p) for p in patches.REGISTRY}}))
"""


@pytest.fixture(scope="module")
def contract() -> dict:
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("patch", patches.REGISTRY, ids=lambda p: p.name)
def test_patched_attribute_is_as_recorded(patch, contract):
    assert contract["problems"][patch.name] == [], "\n".join(contract["problems"][patch.name])


def _minor(version: str | None) -> str | None:
    return ".".join(version.split(".")[:2]) if version else None


@pytest.mark.parametrize("patch", patches.REGISTRY, ids=lambda p: p.name)
def test_entry_was_checked_against_the_installed_minor_versions(patch, contract):
    """A bug-fix release passes on its signatures; another minor release must be re-checked and recorded."""
    installed = contract["versions"][patch.name]
    assert {p: _minor(v) for p, v in installed.items()} == {p: _minor(v) for p, v in patch.checked.items()}, \
        f"{patch.label}: re-check the patch, then record {installed}"


def test_a_changed_signature_is_caught_and_named():
    real = patches.BY_NAME["traceback-lexer"]
    wrong = dataclasses.replace(real, signature="(formatter, code, ranges, extra)")
    found = patches.problems(wrong)
    assert len(found) == 1
    assert "stack_data.utils._pygmented_with_ranges" in found[0] and "(stack_data)" in found[0]
    assert "signature changed" in found[0]


def test_a_vanished_attribute_is_caught_and_named():
    real = patches.BY_NAME["course-row-once"]
    gone = dataclasses.replace(real, target="nbgrader.api:Gradebook.check_course_gone")
    (message,) = patches.problems(gone)
    assert "nbgrader.api.Gradebook.check_course_gone (nbgrader): not found" in message


def test_code_a_patch_relies_on_is_checked():
    real = patches.BY_NAME["kernel-modules-listed-once"]
    assert patches.problems(real) == []
    moved = dataclasses.replace(real, uses="sys.modules.snapshot()")
    (message,) = patches.problems(moved)
    assert "ipykernel.ipkernel.sys (ipykernel)" in message and "sys.modules.snapshot()" in message
    prepared = patches.BY_NAME["prepared-kernel-app"]
    assert patches.problems(prepared) == []
    elsewhere = dataclasses.replace(
        prepared, relies=(("ipykernel.kernelapp:IPKernelApp.initialize", "self.prepare_everything()"),))
    (message,) = patches.problems(elsewhere)
    assert "(ipython): relies on ipykernel.kernelapp.IPKernelApp.initialize" in message


def test_a_module_that_is_no_longer_a_module_is_caught():
    wrong = dataclasses.replace(patches.BY_NAME["kernel-modules-listed-once"],
                                target="ipykernel.ipkernel:IPythonKernel", uses="")
    (message,) = patches.problems(wrong)
    assert "no longer a module" in message


def test_every_entry_says_what_why_and_how():
    for patch in patches.REGISTRY:
        assert patch.instead and patch.why and patch.checked, patch.name
        assert patch.kind in (patches.FUNCTION, patches.PROPERTY, patches.MODULE, patches.SOURCE)
        assert (patch.signature is not None) == (patch.kind == patches.FUNCTION), patch.name
        module, _, name = patch.apply.partition(":")
        assert callable(getattr(__import__(module, fromlist=[name]), name)), patch.apply
    assert len({p.name for p in patches.REGISTRY}) == len(patches.REGISTRY)


def test_every_patched_package_has_an_upper_bound():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = {Requirement(line).name.lower().replace("_", "-"): Requirement(line)
                    for line in project["dependencies"]}
    packages = {package for patch in patches.REGISTRY for package in patch.checked} - {"python"}
    for package in sorted(packages):
        requirement = requirements.get(package.lower().replace("_", "-"))
        assert requirement is not None, f"{package}: no dependency line in pyproject.toml"
        assert any(s.operator in ("<", "==", "<=", "~=") for s in requirement.specifier), \
            f"{package}: no upper bound ({requirement})"
        assert requirement.specifier.contains(patch_version(package), prereleases=True), \
            f"{package}: the checked version is outside {requirement}"


def patch_version(package: str) -> str:
    return next(p.checked[package] for p in patches.REGISTRY if package in p.checked)


def test_the_switch_applies_nothing(monkeypatch):
    monkeypatch.setenv(patches.SWITCH, "1")
    assert not patches.enabled()
    before = patches.applied()
    for stage in (patches.IMPORT, patches.GRADEBOOK, patches.ZYGOTE, patches.FORK):
        assert patches.apply(stage) == []
    assert patches.applied() == before
    # the sandbox's own entry is not a speed-up: it stays
    assert patches.apply(patches.ALWAYS) == ["zygote-provisioner"]
    monkeypatch.setenv(patches.SWITCH, "0")
    assert patches.enabled()


def test_a_process_started_with_the_switch_replaces_nothing():
    """The spptik command's first import (lean) and a worker's patches, with and without the switch."""
    code = ("import sys, json\nimport autograder.lean\nfrom autograder.grading import speedups, patches\n"
            "speedups.apply()\n"
            "print(json.dumps([patches.applied(), 'rfc3987_syntax' in sys.modules]))")
    runs = {}
    for value in ("1", ""):
        env = {"PATH": "/usr/bin:/bin", patches.SWITCH: value}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                              env=env, timeout=300, check=True)
        runs[value] = json.loads(done.stdout.strip().splitlines()[-1])
    assert runs["1"] == [[], False]
    applied, hidden = runs[""]
    assert hidden and "hide-rfc3987-grammar" in applied and "engine-once" in applied


KERNEL_VIEW = """
import json, sys
from autograder.grading import patches
seen = {}
for patch in patches.REGISTRY:
    if patch.name == 'traceback-sources-learned':  # replaces nothing: the zygote's learner is on
        from autograder.grading import zygote
        seen[patch.name] = zygote._sources.enabled
    elif patch.stage in (patches.ZYGOTE, patches.FORK):
        obj = patches.resolve(patch.target)
        home = patch.target.split('.')[0].split(':')[0]
        seen[patch.name] = (obj is not sys if patch.kind == patches.MODULE
                            else not getattr(obj, '__module__', '').startswith(home))
try:
    open(SECRET).read()
    seen['secret'] = 'read'
except OSError as exc:
    seen['secret'] = type(exc).__name__
print(json.dumps(seen))
"""


def _kernel_view(tmp_path, speedups: bool) -> dict:
    """What a grading kernel of a zygote started with or without the speed-ups shows."""
    import os

    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    from autograder.grading import execution, sandbox
    from autograder.grading.zygote import ZygoteClient

    secret = tmp_path / "rahasia.txt"  # outside the run's scratch folder: out of a kernel's reach
    secret.write_text("nilai semua peserta", encoding="utf-8")
    scratch = tmp_path / ("cepat" if speedups else "lambat")
    work = scratch / "nb-uji"
    work.mkdir(parents=True)
    os.chmod(scratch, 0o711)
    policy = sandbox.SandboxPolicy(scratch=scratch, mode=sandbox.choose_mode())
    zygote = ZygoteClient.start(policy, speedups=speedups)
    try:
        zygote.wait_ready()
        execution.activate(zygote, scratch, confined=True, speedups=speedups)
        patches.apply(patches.KERNEL_CLIENT, speedups)
        nb = new_notebook(cells=[new_code_cell(f"SECRET = {str(secret)!r}\n" + KERNEL_VIEW)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        NotebookClient(nb, kernel_manager_class=execution._manager_class,
                       resources={"metadata": {"path": str(work)}}).execute()
        return {"view": json.loads(nb.cells[0].outputs[0]["text"]),
                "manager": execution._manager_class.__name__}
    finally:
        zygote.close()
        execution.activate(None, scratch, confined=False)


def test_kernels_without_speedups_are_unpatched_and_still_confined(tmp_path):
    forked = [p.name for p in patches.REGISTRY if p.stage in (patches.ZYGOTE, patches.FORK)]
    fast = _kernel_view(tmp_path, speedups=True)
    slow = _kernel_view(tmp_path, speedups=False)
    assert fast["view"] == {**{name: True for name in forked}, "secret": fast["view"]["secret"]}
    assert slow["view"] == {**{name: False for name in forked}, "secret": slow["view"]["secret"]}
    # confined either way: the trainer's files are out of reach
    assert fast["view"]["secret"] != "read" and slow["view"]["secret"] != "read"
    assert fast["manager"] == "FastZygoteKernelManager" and slow["manager"] == "ZygoteKernelManager"
