"""Compatibility: installs made before the stage layout register the nbconvert exporter
``spptik_record`` as ``autograder.records:CompletionRecordExporter``."""

from autograder.reports.records import CompletionRecordExporter  # noqa: F401
