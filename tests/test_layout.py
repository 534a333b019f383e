"""The stage layout: every module imports, and the paths written on disk before it still work."""

from __future__ import annotations

import importlib
import pkgutil
from importlib.metadata import entry_points

import autograder


def test_every_module_of_the_package_imports():
    names = [m.name for m in pkgutil.walk_packages(autograder.__path__, "autograder.")
             if not m.name.endswith("__main__")]
    assert "autograder.grading.run" in names and "autograder.reports.export" in names
    for name in names:
        importlib.import_module(name)


def test_a_cohort_config_written_before_the_layout_still_loads(tmp_path):
    """Cohorts made earlier have nbgrader_config.py files importing autograder.nbgrader_settings."""
    from autograder import nbgrader_settings as old
    from autograder.course import nbgrader_settings as new

    assert old.configure_workspace is new.configure_workspace
    assert old.apply is new.apply


def test_the_record_exporter_entry_point_resolves_under_both_paths():
    from autograder.records import CompletionRecordExporter as old
    from autograder.reports.records import CompletionRecordExporter as new

    assert old is new
    (point,) = [e for e in entry_points(group="nbconvert.exporters") if e.name == "spptik_record"]
    assert point.load() is new


def test_every_verb_is_registered_on_the_command():
    from autograder.cli import main

    assert set(main.commands) >= {"init", "collect", "grade", "feedback", "export", "merge", "lab",
                                  "check", "pulihkan", "demo", "situs"}


def test_every_error_meant_for_a_trainer_shares_one_base():
    from autograder.cohort.gradebook_guard import GradebookError
    from autograder.cohort.roster import RosterError
    from autograder.cohort.workspace import WorkspaceError
    from autograder.course.manifest import ManifestError
    from autograder.errors import SpptikError
    from autograder.grading.sandbox import SandboxUnavailable
    from autograder.site.hub import SiteError

    for error in (GradebookError, RosterError, WorkspaceError, ManifestError, SandboxUnavailable, SiteError):
        assert issubclass(error, SpptikError), error
