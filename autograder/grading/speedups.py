"""Process-level speed-ups for grading workers, leaving nbgrader's behaviour unchanged.

Measured on the course's notebooks, most of a grading worker's own CPU per
submission went to two things nbgrader repeats for every notebook:

- validating notebooks against the nbformat JSON schema with ``jsonschema``
  (several times per notebook); nbformat's own ``fastjsonschema`` validator
  checks the same schema several times faster (``NBFORMAT_VALIDATOR``);
- opening the gradebook about ten times per submission, each time creating a
  new SQLAlchemy engine and re-checking every table (``create_all``). Here the
  engine is created once per URL and process, and ``create_all`` and the
  listing of existing tables run once per engine: the tables exist after
  ``spptik init``;
- checking nbgrader's cell-metadata schema against the JSON Schema meta-schema
  for every cell of every notebook (``jsonschema.validate`` does both each
  call). Here each schema is checked once per process; every cell's metadata is
  still validated against it, with the same error when it does not match;
- making sure the course's row exists (a query and a commit) each time a
  ``Gradebook`` opens. Here that is done once per engine and course: nbgrader
  never deletes a course, so once there it stays.

The same SQL runs against the same gradebook; only repeated set-up is skipped.
Each replacement is declared in ``patches.py`` and applied through it.
"""

from __future__ import annotations

import functools
import json
import os


def apply(speedups: bool | None = None) -> list[str]:
    """The gradebook's speed-ups (none with ``SPPTIK_TANPA_PERCEPATAN=1``), through the registry."""
    from autograder.grading import patches

    return patches.apply(patches.GRADEBOOK, speedups)


def cache_engines() -> None:
    """Registered as ``engine-once`` in ``patches.py``."""
    import nbgrader.api as nbapi

    os.environ.setdefault("NBFORMAT_VALIDATOR", "fastjsonschema")  # nbformat's documented setting
    original_create_engine = nbapi.create_engine

    @functools.lru_cache(maxsize=8)
    def cached_engine(url, **kwargs):
        engine = original_create_engine(url, **kwargs)
        engine.dispose = lambda *a, **k: None  # shared by every Gradebook of this process
        return engine

    def create_engine(url, **kwargs):
        return cached_engine(url, **dict(sorted(kwargs.items())))

    nbapi.create_engine = create_engine


def create_tables_once() -> None:
    """Registered as ``tables-created-once``."""
    import nbgrader.api as nbapi

    metadata = nbapi.Base.metadata
    original_create_all = metadata.create_all
    created: set[int] = set()

    def create_all(bind=None, **kwargs):
        if id(bind) in created:
            return None
        created.add(id(bind))
        return original_create_all(bind=bind, **kwargs)

    metadata.create_all = create_all


def list_tables_once() -> None:
    """Registered as ``tables-listed-once``: Gradebook() lists tables only to know whether it is new."""
    import nbgrader.api as nbapi

    original_inspect = nbapi.inspect
    existing: dict[int, list[str]] = {}

    def inspect(bind):
        if id(bind) not in existing:
            names = original_inspect(bind).get_table_names()
            if not names:
                return _Tables(names)
            existing[id(bind)] = names
        return _Tables(existing[id(bind)])

    nbapi.inspect = inspect


def check_course_once() -> None:
    """Registered as ``course-row-once``: only Gradebook.__init__ calls it, ignoring the value."""
    import nbgrader.api as nbapi

    original_check_course = nbapi.Gradebook.check_course
    courses_present: set[tuple[int, str]] = set()

    def check_course(self, course_id="default_course", **kwargs):
        key = (id(self.engine), course_id)
        if kwargs or key not in courses_present:
            course = original_check_course(self, course_id=course_id, **kwargs)
            courses_present.add(key)
            return course
        return None

    nbapi.Gradebook.check_course = check_course


def check_schemas_once() -> None:
    """Registered as ``schema-checked-once``."""
    import nbgrader.nbgraderformat.common as nbgrader_format

    nbgrader_format.jsonschema = _SchemaCheckedOnce(nbgrader_format.jsonschema)


class _Tables:
    def __init__(self, names: list[str]):
        self._names = names

    def get_table_names(self) -> list[str]:
        return list(self._names)


class _SchemaCheckedOnce:
    """``jsonschema`` with a ``validate`` that checks each schema itself only once."""

    def __init__(self, jsonschema_module):
        self._jsonschema = jsonschema_module
        self._validators: dict[str, object] = {}

    def validate(self, instance, schema, cls=None, *args, **kwargs):
        js = self._jsonschema
        key = json.dumps([schema, getattr(cls, "__name__", None), args, kwargs],
                         sort_keys=True, default=str)
        validator = self._validators.get(key)
        if validator is None:
            cls = cls or js.validators.validator_for(schema)
            cls.check_schema(schema)
            validator = self._validators[key] = cls(schema, *args, **kwargs)
        error = js.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error

    def __getattr__(self, name):
        return getattr(self._jsonschema, name)
