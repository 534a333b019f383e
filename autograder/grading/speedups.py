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
  never deletes a course, so once there it stays;
- validating every output the kernel sends, and every cell's nbgrader metadata,
  with ``jsonschema`` (pure Python), because nbformat's faster validator does not
  take part of a schema and nbgrader calls ``jsonschema`` directly. Here a
  ``fastjsonschema`` validator (compiled once, defaults and formats off, as
  ``jsonschema`` checks them) answers "valid"; anything it rejects goes to the
  original ``jsonschema`` path, so every error is the one it always was.

One more is for writing feedback, not grading: nbconvert's second parse of every
HTML page it renders, skipped where it has nothing to change
(``html_reparsed_only_when_needed``).

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


def validate_metadata_fast() -> None:
    """Registered as ``metadata-validation-fast``: valid cell metadata answered by fastjsonschema.

    Applied after ``schema-checked-once`` (same stage, later in the registry);
    metadata it rejects is validated by jsonschema exactly as before.
    """
    import nbgrader.nbgraderformat.common as nbgrader_format

    checker = nbgrader_format.jsonschema
    if isinstance(checker, _SchemaCheckedOnce):
        checker.fast = True


def cell_definitions_per_notebook() -> None:
    """Registered as ``cell-definitions-per-notebook``: a notebook's cells read in one query.

    nbgrader's OverwriteCells looks up, for every cell of a submission, its source
    cell and its grade cell in the gradebook: one query with two joins each (34 of
    about 110 statements for an m08 submission). Here the first lookup in a
    ``Gradebook`` reads all of that notebook's source (or grade and task) cells in
    one query, into a table kept on that ``Gradebook`` object (one ``with`` block
    of one preprocessor); the next lookups are answered from it. They are the same
    objects of the same session nbgrader's query returns. A name not in the table
    goes to nbgrader's own query (which finds a cell added since, or raises its
    ``MissingEntry``).
    """
    import nbgrader.api as nbapi

    original_source = nbapi.Gradebook.find_source_cell
    original_graded = nbapi.Gradebook.find_graded_cell

    def cells(gradebook, models, notebook: str, assignment: str) -> dict:
        tables = gradebook.__dict__.setdefault("_spptik_cells", {})
        key = (models, notebook, assignment)
        if key not in tables:
            found: dict = {}
            for model in models:  # nbgrader's order: grade cells before task cells
                rows = (gradebook.db.query(model)
                        .join(nbapi.Notebook, nbapi.Notebook.id == model.notebook_id)
                        .join(nbapi.Assignment, nbapi.Assignment.id == nbapi.Notebook.assignment_id)
                        .filter(nbapi.Notebook.name == notebook, nbapi.Assignment.name == assignment)
                        .all())
                for row in rows:
                    found.setdefault(row.name, row)
            tables[key] = found
        return tables[key]

    def find_source_cell(self, name, notebook, assignment):
        cell = cells(self, (nbapi.SourceCell,), notebook, assignment).get(name)
        return cell if cell is not None else original_source(self, name, notebook, assignment)

    def find_graded_cell(self, name, notebook, assignment):
        cell = cells(self, (nbapi.GradeCell, nbapi.TaskCell), notebook, assignment).get(name)
        return cell if cell is not None else original_graded(self, name, notebook, assignment)

    nbapi.Gradebook.find_source_cell = find_source_cell
    nbapi.Gradebook.find_graded_cell = find_graded_cell


def html_reparsed_only_when_needed() -> None:
    """Registered as ``html-reparse-when-needed``: nbconvert's HTML pass over a page it wrote.

    After rendering, nbconvert's HTMLExporter parses the whole page again with
    BeautifulSoup's pure-Python parser, only to give ``<img>`` elements without
    ``alt`` a default text and to make JupyterLab-template cells focusable
    (``tabindex``); then it writes the parsed tree back out. Measured on the demo's
    feedback pages (150-230 KB each: the page's CSS, highlighted code): about 0.12 s
    of CPU per page. A page with no ``<img`` and none of those JupyterLab classes
    gives that pass nothing to change; for such a page the rendered HTML is kept as
    the template wrote it (not re-serialised by BeautifulSoup). Any other page goes
    through nbconvert's pass unchanged.
    """
    import nbconvert.exporters.html as html_exporter

    parse = html_exporter.BeautifulSoup

    def soup_when_needed(markup, *args, **kwargs):
        if isinstance(markup, str) and not _has_work_for_nbconvert(markup):
            return _RenderedPage(markup)
        return parse(markup, *args, **kwargs)

    # nbconvert's module-level name for the parser class, replaced on purpose (registered patch)
    html_exporter.BeautifulSoup = soup_when_needed  # type: ignore[misc,assignment]


# what HTMLExporter.from_notebook_node selects in the parsed page (its "uses" in patches.py)
_NBCONVERT_SELECTS = ("<img", "jp-notebook", "jp-cell-inputwrapper", "jp-outputarea-output")


def _has_work_for_nbconvert(markup: str) -> bool:
    lowered = markup.lower()
    return any(needle in lowered for needle in _NBCONVERT_SELECTS)


class _RenderedPage:
    """A page nbconvert's pass would leave as it is: nothing to select, written out unchanged."""

    def __init__(self, markup: str):
        self._markup = markup

    def select(self, selector: str) -> list:
        return []

    def __str__(self) -> str:
        return self._markup


def validate_parts_fast() -> None:
    """Registered as ``output-validation-fast``: nbformat's validation of part of a notebook.

    nbformat validates each output nbclient records (``validate(output, "output")``):
    its fastjsonschema validator hands a partial schema to ``jsonschema``. Here a
    definition's own compiled validator says whether the part is valid; a part it
    rejects is validated as before, so the errors (and nbformat's choice of the
    best one) are unchanged.
    """
    from nbformat import json_compat

    validator_class = json_compat.FastJsonSchemaValidator
    original = validator_class.iter_errors

    def iter_errors(self, data, schema=None):
        if schema is None or set(schema) != {"$ref"} or "definitions" not in self._schema:
            return original(self, data, schema)
        compiled = self.__dict__.setdefault("_spptik_definitions", {})
        if schema["$ref"] not in compiled:  # compiled once, also when it cannot be (None)
            compiled[schema["$ref"]] = _compile({
                "$schema": self._schema.get("$schema", "http://json-schema.org/draft-04/schema#"),
                "definitions": self._schema["definitions"], "$ref": schema["$ref"]})
        check = compiled[schema["$ref"]]
        if check is not None and _passes(check, data):
            return []
        return original(self, data, schema)

    # replacing nbformat's method on its class is the point (registered patch)
    validator_class.iter_errors = iter_errors  # type: ignore[method-assign]


def _compile(schema: dict):
    """A fastjsonschema validator that, like jsonschema here, fills no defaults and checks no formats."""
    import fastjsonschema

    try:
        return fastjsonschema.compile(schema, use_default=False, use_formats=False)
    except Exception:  # noqa: BLE001 - a schema it cannot compile is checked by jsonschema only
        return None


def _passes(check, data) -> bool:
    import fastjsonschema

    try:
        check(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


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
        self._fast: dict[str, object] = {}
        self.fast = False  # also answer "valid" with fastjsonschema (entry metadata-validation-fast)

    def validate(self, instance, schema, cls=None, *args, **kwargs):
        js = self._jsonschema
        key = json.dumps([schema, getattr(cls, "__name__", None), args, kwargs],
                         sort_keys=True, default=str)
        if self.fast and cls is None and not args and not kwargs:
            if key not in self._fast:
                self._fast[key] = _compile(schema)
            check = self._fast[key]
            if check is not None and _passes(check, instance):
                return
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
