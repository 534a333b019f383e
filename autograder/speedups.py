"""Process-level speed-ups for grading workers, leaving nbgrader's behaviour unchanged.

Measured on the course's notebooks, most of a grading worker's own CPU per
submission went to two things nbgrader repeats for every notebook:

- validating notebooks against the nbformat JSON schema with ``jsonschema``
  (several times per notebook); nbformat's own ``fastjsonschema`` validator
  checks the same schema several times faster (``NBFORMAT_VALIDATOR``);
- opening the gradebook about ten times per submission, each time creating a
  new SQLAlchemy engine and re-checking every table (``create_all``). Here the
  engine is created once per URL and process, and ``create_all`` runs once per
  engine: the tables exist after ``spptik init``.

The same SQL runs against the same gradebook; only repeated set-up is skipped.
"""

from __future__ import annotations

import functools
import os

_applied = False


def apply() -> None:
    global _applied
    if _applied:
        return
    _applied = True
    os.environ.setdefault("NBFORMAT_VALIDATOR", "fastjsonschema")

    import nbgrader.api as nbapi

    original_create_engine = nbapi.create_engine

    @functools.lru_cache(maxsize=8)
    def cached_engine(url, **kwargs):
        engine = original_create_engine(url, **kwargs)
        engine.dispose = lambda *a, **k: None  # shared by every Gradebook of this process
        return engine

    def create_engine(url, **kwargs):
        return cached_engine(url, **dict(sorted(kwargs.items())))

    nbapi.create_engine = create_engine

    metadata = nbapi.Base.metadata
    original_create_all = metadata.create_all
    created: set[int] = set()

    def create_all(bind=None, **kwargs):
        if id(bind) in created:
            return None
        created.add(id(bind))
        return original_create_all(bind=bind, **kwargs)

    metadata.create_all = create_all
