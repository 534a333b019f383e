"""Compatibility: cohorts made before the stage layout have ``nbgrader_config.py`` files that import
``autograder.nbgrader_settings``; the settings live in ``autograder.course.nbgrader_settings``."""

from autograder.course.nbgrader_settings import apply, configure_workspace  # noqa: F401
