"""Every replacement of another package's internals, in one registry, and the switch that turns them off.

spptik grades faster by replacing a few private attributes of nbgrader,
jupyter_client, ipykernel, IPython, stack_data, pygments and jsonschema (and
one function of Python's ``inspect``). Each is declared here: what it
replaces, what it does instead, why (the measured saving), the versions it was
checked against, and the function that applies it. Nothing replaces another
package's internals except through ``apply``.

- ``SPPTIK_TANPA_PERCEPATAN=1`` grades with no speed-up at all (``enabled()``
  is False): a trainer can rule them out when a grade looks wrong. The
  grading sandbox is not a speed-up and stays (entries with ``speedup=False``).
- After upgrading any package named here, run ``python -m autograder.grading.patches``
  (or ``pytest tests/test_patches.py``): it checks, in a fresh process, that every
  patched attribute still exists with the recorded signature.

The switch is read once per process; a process cannot take back a patch it
applied, so the grading run decides once and passes the answer to its workers
and its zygote.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
import types
from dataclasses import dataclass
from typing import Any

SWITCH = "SPPTIK_TANPA_PERCEPATAN"

# Stages: where and when an entry's function runs.
IMPORT = "import"            # as the spptik command, the workers' server or a hub server starts
GRADEBOOK = "gradebook"      # in a process that opens nbgrader's gradebook (grading, feedback)
KERNEL_CLIENT = "kernel-client"  # in a grading worker, how it starts and waits for kernels
ZYGOTE = "zygote"            # in the warm zygote, before it warms its caches
FORK = "zygote-fork"         # in the warm zygote, last before it forks kernels (after every import)
ALWAYS = "sandbox"           # the sandbox's own: never turned off (speedup=False)

# Kinds of the replaced attribute, for the contract check.
FUNCTION = "function"   # a function or method: its signature is compared
PROPERTY = "property"   # a property of a class
MODULE = "module"       # a module held in another module's namespace
SOURCE = "source"       # only the text ``uses`` must appear in the attribute's source


@dataclass(frozen=True)
class Patch:
    name: str
    package: str                # the distribution whose internals are replaced
    target: str                 # "module:Attribute.path"
    kind: str
    signature: str | None       # str(inspect.signature(...)) as checked; None where it does not apply
    instead: str                # what runs instead
    why: str                    # the measured saving (README "Speed")
    checked: dict[str, str]     # versions it was checked against
    stage: str
    apply: str                  # "module:function" that applies it (several entries may share one)
    uses: str = ""              # text the replaced code must still contain (what the patch relies on)
    speedup: bool = True
    once: bool = True           # False: a choice made again for each grading run (reversible)
    relies: tuple[tuple[str, str], ...] = ()  # other (target, text in its source) the patch relies on

    @property
    def label(self) -> str:
        return f"{self.target.replace(':', '.').rstrip('.')} ({self.package})"


_PY = f"{sys.version_info.major}.{sys.version_info.minor}"

REGISTRY: tuple[Patch, ...] = (
    Patch(
        "hide-rfc3987-grammar", "jsonschema", "jsonschema._format:", SOURCE, None,
        "sys.modules['rfc3987_syntax'] = None before jsonschema is imported: jsonschema goes "
        "without the 'iri' format, which no schema spptik checks uses",
        "about 1.8 s of CPU per process (the grammar rfc3987_syntax builds when imported)",
        {"jsonschema": "4.26.0"}, IMPORT, "autograder.lean:hide_rfc3987_syntax",
        uses="from rfc3987_syntax import"),
    Patch(
        "engine-once", "nbgrader", "nbgrader.api:create_engine", FUNCTION,
        "(url: 'Union[str, _url.URL]', **kwargs: 'Any') -> 'Engine'",
        "one SQLAlchemy engine per URL and process, shared by every Gradebook",
        "nbgrader opens the gradebook about ten times per submission, each time with a new engine",
        {"nbgrader": "0.9.6", "SQLAlchemy": "2.1.9"}, GRADEBOOK, "autograder.grading.speedups:cache_engines"),
    Patch(
        "tables-created-once", "nbgrader", "nbgrader.api:Base.metadata.create_all", FUNCTION,
        "(bind: '_CreateDropBind', tables: 'Optional[_typing_Sequence[Table]]' = None, "
        "checkfirst: 'Union[bool, CheckFirst]' = <CheckFirst.ALL: 62>) -> 'None'",
        "create_all runs once per engine (the tables exist after spptik init)",
        "every Gradebook re-checked every table", {"nbgrader": "0.9.6", "SQLAlchemy": "2.1.9"},
        GRADEBOOK, "autograder.grading.speedups:create_tables_once"),
    Patch(
        "tables-listed-once", "nbgrader", "nbgrader.api:inspect", FUNCTION,
        "(subject: 'Any', raiseerr: 'bool' = True) -> 'Any'",
        "the gradebook's table names listed once per engine",
        "Gradebook() lists the tables only to know whether the database is new",
        {"nbgrader": "0.9.6", "SQLAlchemy": "2.1.9"}, GRADEBOOK,
        "autograder.grading.speedups:list_tables_once"),
    Patch(
        "course-row-once", "nbgrader", "nbgrader.api:Gradebook.check_course", FUNCTION,
        "(self, course_id: str = 'default_course', **kwargs: dict) -> nbgrader.api.Course",
        "the course's row checked once per engine and course (nbgrader never deletes a course)",
        "a query and a commit each time a Gradebook opens", {"nbgrader": "0.9.6"},
        GRADEBOOK, "autograder.grading.speedups:check_course_once"),
    Patch(
        "schema-checked-once", "nbgrader", "nbgrader.nbgraderformat.common:jsonschema", MODULE, None,
        "jsonschema with a validate that checks each schema against the meta-schema once per "
        "process; every cell's metadata is still validated, with the same error",
        "jsonschema.validate checked nbgrader's schema itself for every cell of every notebook",
        {"nbgrader": "0.9.6", "jsonschema": "4.26.0"}, GRADEBOOK,
        "autograder.grading.speedups:check_schemas_once", uses="jsonschema.validate("),
    Patch(
        "cell-definitions-per-notebook", "nbgrader", "nbgrader.api:Gradebook.find_source_cell",
        FUNCTION, "(self, name: str, notebook: str, assignment: str) -> nbgrader.api.SourceCell",
        "a Gradebook reads all source cells of a notebook in one query on the first lookup and "
        "answers the next ones from it (the same objects); unknown names go to nbgrader's query",
        "OverwriteCells made one query per cell: 24 of about 110 statements per m08 submission",
        {"nbgrader": "0.9.6", "SQLAlchemy": "2.1.9"}, GRADEBOOK,
        "autograder.grading.speedups:cell_definitions_per_notebook",
        uses=".filter(SourceCell.name == name, Notebook.name == notebook, Assignment.name == assignment)"),
    Patch(
        "graded-cells-per-notebook", "nbgrader", "nbgrader.api:Gradebook.find_graded_cell",
        FUNCTION, "(self, name: str, notebook: str, assignment: str) "
        "-> Union[nbgrader.api.GradeCell, nbgrader.api.TaskCell]",
        "the same for grade cells, then task cells (nbgrader's order)",
        "OverwriteCells made one more query per graded cell: 10 statements per m08 submission",
        {"nbgrader": "0.9.6", "SQLAlchemy": "2.1.9"}, GRADEBOOK,
        "autograder.grading.speedups:cell_definitions_per_notebook", uses="TaskCell.name == name"),
    Patch(
        "metadata-validation-fast", "nbgrader", "nbgrader.nbgraderformat.common:jsonschema", MODULE,
        None,
        "valid nbgrader cell metadata recognised by a compiled fastjsonschema validator (no "
        "defaults filled, no formats); metadata it rejects goes through jsonschema as before",
        "jsonschema (pure Python) validated every cell's metadata, twice per notebook",
        {"nbgrader": "0.9.6", "jsonschema": "4.26.0", "fastjsonschema": "2.22.3"}, GRADEBOOK,
        "autograder.grading.speedups:validate_metadata_fast", uses="jsonschema.validate("),
    Patch(
        "output-validation-fast", "nbformat", "nbformat.json_compat:FastJsonSchemaValidator.iter_errors",
        FUNCTION, "(self, data, schema=None)",
        "a part of a notebook (an output nbclient records) checked by a compiled fastjsonschema "
        "validator of that definition; a part it rejects goes to jsonschema as before",
        "nbformat handed every output to jsonschema (pure Python): half a millisecond each",
        {"nbformat": "5.11.1", "fastjsonschema": "2.22.3"}, GRADEBOOK,
        "autograder.grading.speedups:validate_parts_fast",
        uses="return super().iter_errors(data, schema)",
        relies=(("nbformat.validator:_get_errors", 'if validator.name != "jsonschema"'),)),
    Patch(
        "html-reparse-when-needed", "nbconvert", "nbconvert.exporters.html:BeautifulSoup", SOURCE,
        None,
        "a rendered page with no <img and none of the JupyterLab cell classes nbconvert selects "
        "is kept as the template wrote it; every other page goes through nbconvert's pass",
        "BeautifulSoup's pure-Python parser re-read every feedback page: about 0.12 s of CPU each",
        {"nbconvert": "7.17.2", "beautifulsoup4": "4.15.0"}, GRADEBOOK,
        "autograder.grading.speedups:html_reparsed_only_when_needed",
        uses='soup = BeautifulSoup(html, features="html.parser")',
        relies=(("nbconvert.exporters.html:HTMLExporter.from_notebook_node",
                 'soup.select("img:not([alt])")'),
                ("nbconvert.exporters.html:HTMLExporter.from_notebook_node",
                 'soup.select(".jp-Notebook div.jp-Cell-inputWrapper")'),
                ("nbconvert.exporters.html:HTMLExporter.from_notebook_node",
                 'soup.select(".jp-Notebook div.jp-OutputArea-output")'),
                ("nbconvert.exporters.html:HTMLExporter.from_notebook_node", "return str(soup), resources"))),
    Patch(
        "prompt-kernel-ready", "jupyter_client",
        "jupyter_client.asynchronous:AsyncKernelClient._async_wait_for_ready", FUNCTION,
        "(self, timeout: float | None = None) -> None",
        "PromptKernelClient: ready when IOPub brings the 'idle' status of its kernel_info request",
        "jupyter_client reads IOPub until it has been quiet for 0.2 s: idle time on every notebook",
        {"jupyter_client": "8.10.0"}, KERNEL_CLIENT, "autograder.grading.execution:use_prompt_client",
        uses="self._handle_kernel_info_reply(msg)", once=False),
    Patch(
        "kernel-spec-once", "jupyter_client", "jupyter_client.manager:KernelManager.kernel_spec",
        PROPERTY, None,
        "FastZygoteKernelManager.kernel_spec: the spec looked up once per grading process",
        "the kernel spec folders were searched again for every notebook",
        {"jupyter_client": "8.10.0"}, KERNEL_CLIENT, "autograder.grading.execution:use_prompt_client",
        uses="self._kernel_spec", once=False),
    Patch(
        "zygote-provisioner", "jupyter_client",
        "jupyter_client.manager:KernelManager._async_pre_start_kernel", FUNCTION,
        "(self, *, transport_encryption: str | None = None, **kw: Any) "
        "-> Tuple[List[str], Dict[str, Any]]",
        "ZygoteKernelManager sets ZygoteProvisioner (confined kernels from the zygote) before "
        "jupyter_client would choose its local provisioner",
        "not a speed-up: the sandbox (no kernel unconfined, no entry point to register)",
        {"jupyter_client": "8.10.0"}, ALWAYS, "autograder.grading.execution:use_zygote_provisioner",
        uses="if self.provisioner is None", speedup=False),
    Patch(
        "traceback-lexer", "stack_data", "stack_data.utils:_pygmented_with_ranges", FUNCTION,
        "(formatter, code, ranges)",
        "one pygments lexer class for stack_data's highlighted ranges, instead of one per frame",
        "a quarter of a kernel's CPU on the course's notebooks (pygments rebuilt Python's rules)",
        {"stack_data": "0.6.3", "Pygments": "2.21.0"}, ZYGOTE,
        "autograder.grading.zygote:_reuse_traceback_lexer"),
    Patch(
        "traceback-styles", "stack_data", "stack_data.core:style_with_executing_node", FUNCTION,
        "(style, modifier)",
        "one style class per style and modifier (stack_data's own name and its re-export)",
        "part of about a tenth of a failing cell's cost (with terminal256-colours)",
        {"stack_data": "0.6.3"}, ZYGOTE, "autograder.grading.zygote:_reuse_traceback_styles"),
    Patch(
        "terminal256-colours", "Pygments",
        "pygments.formatters.terminal256:Terminal256Formatter._setup_styles", FUNCTION, "(self)",
        "a formatter for a style already seen copies its colour table",
        "about a tenth of a failing cell's cost (every colour matched to the palette again)",
        {"Pygments": "2.21.0"}, ZYGOTE, "autograder.grading.zygote:_reuse_traceback_styles"),
    Patch(
        "getmodule-no-module", "python", "inspect:getmodule", FUNCTION, "(object, _filename=None)",
        "a notebook cell's file entered in inspect.modulesbyfile as belonging to no module",
        "most of a traceback's cost: each question walked over a thousand loaded modules",
        {"python": _PY}, ZYGOTE, "autograder.grading.zygote:_remember_files_of_no_module",
        uses="modulesbyfile"),
    Patch(
        "plain-exception-storage", "ipython",
        "IPython.core.interactiveshell:InteractiveShell._format_exception_for_storage", FUNCTION,
        "(self, exception, filename=None, running_compiled_code=False)",
        "with history off (grading kernels), the stored exception is Python's plain traceback",
        "IPython 9 formats every exception a second time, coloured, only to store it",
        {"ipython": "9.18.1"}, ZYGOTE, "autograder.grading.zygote:_plain_exception_storage"),
    Patch(
        "traceback-sources-learned", "executing",
        "executing.executing:Source._for_filename_and_lines", SOURCE, None,
        "nothing replaced: the zygote parses, with stack_data's own Source.for_filename, the "
        "library files grading workers saw in tracebacks, so that later kernels find them in "
        "stack_data's per-process cache",
        "a kernel's first traceback through pandas parsed pandas' biggest files again: "
        "0.25-0.35 s of CPU, 0.03-0.04 s once the zygote has them",
        {"executing": "2.3.0", "stack_data": "0.6.3"}, ZYGOTE,
        "autograder.grading.zygote:_learn_traceback_sources",
        uses="__source_cache_with_lines",
        relies=(("stack_data.core:Source", "def pieces(self)"),
                ("executing.executing:Source.for_filename", "_for_filename_and_lines"))),
    Patch(
        "prepared-kernel-app", "ipython", "IPython.core.application:BaseIPythonApplication.initialize",
        FUNCTION, "(self, argv=None)",
        "IPKernelApp's options and config files read once in the zygote; each kernel skips it",
        "about 20 ms of CPU a kernel", {"ipython": "9.18.1", "ipykernel": "7.4.0"}, FORK,
        "autograder.grading.zygote:_prepare_kernel_app",
        relies=(("ipykernel.kernelapp:IPKernelApp.initialize", "super().initialize(argv)"),
                ("ipykernel.kernelapp:IPKernelApp.init_crash_handler", "def init_crash_handler(self)"))),
    Patch(
        "kernel-modules-listed-once", "ipykernel", "ipykernel.ipkernel:sys", MODULE, None,
        "ipykernel's module sees a sys whose modules.copy() is the list of module files made "
        "once before forking",
        "about 2,500 copy-on-write page faults, 15 ms a kernel",
        {"ipykernel": "7.4.0"}, FORK, "autograder.grading.zygote:_list_kernel_modules_once",
        uses="sys.modules.copy()"),
)

BY_NAME = {patch.name: patch for patch in REGISTRY}
_applied: list[str] = []


def enabled(environ=None) -> bool:
    """False when ``SPPTIK_TANPA_PERCEPATAN`` asks for grading with no speed-up."""
    value = (environ if environ is not None else os.environ).get(SWITCH, "").strip().lower()
    return value not in ("1", "ya", "true", "yes", "on")


def _function(path: str):
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def apply(stage: str, speedups: bool | None = None) -> list[str]:
    """Apply this stage's entries, once per process; the names of those applied.

    ``speedups`` is the grading run's decision (default: the switch); entries
    of the sandbox are applied either way.
    """
    on = enabled() if speedups is None else speedups
    done: list[str] = []
    done_functions: set[str] = set()
    for patch in REGISTRY:
        if patch.stage != stage or (patch.speedup and not on):
            continue
        if patch.apply not in _applied or not patch.once:
            if patch.apply not in done_functions:
                _function(patch.apply)()
                done_functions.add(patch.apply)
            if patch.apply not in _applied:
                _applied.append(patch.apply)
        done.append(patch.name)
    return done


def applied() -> list[str]:
    """The entries this process has applied (their functions ran)."""
    return [patch.name for patch in REGISTRY if patch.apply in _applied]


# Contract ---------------------------------------------------------------------------------

def resolve(target: str):
    """The object ``module:Attr.path`` names (raises ImportError or AttributeError)."""
    module_name, _, path = target.partition(":")
    obj = importlib.import_module(module_name)
    for part in filter(None, path.split(".")):
        # a property is checked as declared on its class, not through an instance
        obj = inspect.getattr_static(obj, part) if isinstance(obj, type) else getattr(obj, part)
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    return obj


def problems(patch: Patch) -> list[str]:
    """What no longer matches the record of ``patch`` in the installed packages (empty: all good)."""
    where = patch.label
    try:
        obj = resolve(patch.target)
    except (ImportError, AttributeError) as exc:
        return [f"{where}: not found ({type(exc).__name__}: {exc})"]
    found: list[str] = []
    if patch.kind == FUNCTION:
        try:
            signature = str(inspect.signature(obj))
        except (TypeError, ValueError) as exc:
            return [f"{where}: no signature ({exc})"]
        if signature != patch.signature:
            found.append(f"{where}: signature changed: recorded {patch.signature}, installed {signature}")
    elif patch.kind == PROPERTY and not isinstance(obj, property):
        found.append(f"{where}: no longer a property ({type(obj).__name__})")
    elif patch.kind == MODULE and not isinstance(obj, types.ModuleType):
        found.append(f"{where}: no longer a module ({type(obj).__name__})")
    if patch.uses:
        # a function's or property's own source; for a module attribute, its owner's
        # any object: getsource raises TypeError for one without source (reported below)
        source_of: Any = obj.fget if isinstance(obj, property) else obj
        if patch.kind in (MODULE, SOURCE):
            source_of = importlib.import_module(patch.target.split(":")[0])
        try:
            source = inspect.getsource(source_of)
        except (OSError, TypeError) as exc:
            found.append(f"{where}: source not readable ({exc})")
        else:
            if patch.uses not in source:
                found.append(f"{where}: no longer contains {patch.uses!r}")
    for target, text in patch.relies:
        try:
            source = inspect.getsource(resolve(target))
        except (ImportError, AttributeError, OSError, TypeError) as exc:
            found.append(f"{where}: relies on {target.replace(':', '.')}, not found ({exc})")
            continue
        if text not in source:
            found.append(f"{where}: relies on {target.replace(':', '.')} containing {text!r}")
    return found


def installed_versions(patch: Patch) -> dict[str, str | None]:
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, str | None] = {}
    for package in patch.checked:
        if package == "python":
            found[package] = _PY
            continue
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    return found


def check() -> dict[str, list[str]]:
    """Every entry's problems, checked in this process (run it in one that applied no patch)."""
    if applied():
        raise RuntimeError(f"patches already applied in this process: {', '.join(applied())}")
    return {patch.name: problems(patch) for patch in REGISTRY}


def main() -> int:
    results = check()
    for patch in REGISTRY:
        found = results[patch.name]
        versions = installed_versions(patch)
        moved = {p: (v, versions[p]) for p, v in patch.checked.items() if versions[p] != v}
        note = "; ".join(f"{p} {old} -> {new}" for p, (old, new) in moved.items())
        status = "GAGAL" if found else "cocok"
        print(f"{status:5}  {patch.name}: {patch.label}" + (f"  [versi berubah: {note}]" if note else ""))
        for line in found:
            print(f"       {line}")
    return 1 if any(results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
