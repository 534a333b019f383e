"""The validation and gradebook-lookup speed-ups answer exactly as nbformat and nbgrader do.

``output-validation-fast`` and ``metadata-validation-fast`` (``grading/speedups.py``)
let a compiled fastjsonschema validator say "valid"; anything it rejects goes to
jsonschema as before. Each case below is validated in two fresh processes, one with
the speed-ups and one with ``SPPTIK_TANPA_PERCEPATAN=1``: the verdict and the error
message must be the same, nothing may be changed in what was validated, and with the
speed-ups a valid part must not reach jsonschema at all (else nothing was gained).
``cell-definitions-per-notebook`` and ``graded-cells-per-notebook`` answer nbgrader's
cell lookups from one query per notebook: the same objects, the same errors.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from autograder.grading import patches

ROOT = Path(__file__).resolve().parents[1]
# the venv's bin first: a new gradebook runs nbgrader's `alembic` command
PATH = f"{Path(sys.executable).parent}:/usr/bin:/bin"

OUTPUTS = {
    "stream": {"output_type": "stream", "name": "stdout", "text": "Jawaban 01 sudah terisi.\n"},
    "display": {"output_type": "display_data", "metadata": {},
                "data": {"text/plain": "<tabel>", "text/html": "<table></table>"}},
    "result": {"output_type": "execute_result", "execution_count": 3, "metadata": {},
               "data": {"text/plain": "42"}},
    "error": {"output_type": "error", "ename": "AssertionError", "evalue": "Jawaban belum tepat.",
              "traceback": ["AssertionError: Jawaban belum tepat."]},
    # invalid: each must be refused with nbformat's usual message
    "stream-without-name": {"output_type": "stream", "text": "x"},
    "unknown-type": {"output_type": "suara", "text": "x"},
    "result-without-count": {"output_type": "execute_result", "metadata": {}, "data": {}},
    "error-with-text-traceback": {"output_type": "error", "ename": "E", "evalue": "v",
                                  "traceback": "bukan daftar"},
    "extra-key": {"output_type": "stream", "name": "stdout", "text": "x", "tambahan": 1},
}

METADATA = {
    "answer": {"grade": False, "solution": True, "locked": False, "grade_id": "jawaban_01",
               "schema_version": 3},
    "test": {"grade": True, "solution": False, "locked": True, "grade_id": "tes_01", "points": 2,
             "schema_version": 3},
    "required-key-missing": {"grade_id": "tes_02", "schema_version": 3},
    # invalid
    "points-as-text": {"grade": True, "solution": False, "locked": True, "grade_id": "tes_03",
                       "points": "dua", "schema_version": 3},
    "grade-as-text": {"grade": "ya", "solution": False, "grade_id": "tes_04", "schema_version": 3},
    "id-as-number": {"grade": True, "solution": False, "grade_id": 5, "points": 1,
                     "schema_version": 3},
}

CHECK = """
import copy, json, sys
import jsonschema, jsonschema.validators
from autograder.grading import patches, speedups
speedups.apply()
from nbformat import ValidationError
from nbformat.v4.nbbase import validate
from nbgrader.nbgraderformat.v3 import MetadataValidatorV3

calls = {"jsonschema": 0}
for cls in {jsonschema.Draft4Validator, jsonschema.validators.validator_for({})}:
    original = cls.iter_errors
    def counted(self, *a, _original=original, **k):
        calls["jsonschema"] += 1
        return _original(self, *a, **k)
    cls.iter_errors = counted

cases = json.loads(sys.argv[1])
found = {"outputs": {}, "metadata": {}, "applied": patches.applied()}
for name, output in cases["outputs"].items():
    before, calls["jsonschema"] = copy.deepcopy(output), 0
    try:
        validate(output, "output")
        verdict = "sah"
    except ValidationError as exc:
        verdict = "tidak sah: " + str(exc).splitlines()[0]
    found["outputs"][name] = [verdict, output == before, calls["jsonschema"]]
checker = MetadataValidatorV3()
for name, meta in cases["metadata"].items():
    cell = {"cell_type": "code", "metadata": {"nbgrader": meta}, "source": "", "outputs": []}
    before, calls["jsonschema"] = copy.deepcopy(cell), 0
    try:
        checker.validate_cell(__import__("nbformat").from_dict(cell))
        verdict = "sah"
    except jsonschema.ValidationError as exc:
        verdict = "tidak sah: " + exc.message
    found["metadata"][name] = [verdict, cell == before, calls["jsonschema"]]
print(json.dumps(found))
"""


def _with_and_without_speedups(code: str, *args: str) -> tuple[dict, dict]:
    """What ``code`` prints (its last line, JSON) in a fresh process with the speed-ups, then without."""
    runs = []
    for switch in ("", "1"):
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                              cwd=ROOT, timeout=300, check=True,
                              env={"PATH": PATH, patches.SWITCH: switch})
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return runs[0], runs[1]


def test_fast_validation_answers_as_jsonschema_and_skips_it_for_valid_parts():
    fast, plain = _with_and_without_speedups(
        CHECK, json.dumps({"outputs": OUTPUTS, "metadata": METADATA}))
    assert {"output-validation-fast", "metadata-validation-fast"} <= set(fast["applied"])
    assert plain["applied"] == []
    for kind in ("outputs", "metadata"):
        for name in (OUTPUTS if kind == "outputs" else METADATA):
            verdict, unchanged, jsonschema_calls = fast[kind][name]
            assert verdict == plain[kind][name][0], f"{kind}/{name}"
            assert unchanged, f"{kind}/{name}: changed by validation (defaults filled?)"
            if verdict == "sah":
                assert jsonschema_calls == 0, f"{kind}/{name}: valid, yet jsonschema ran"
                assert plain[kind][name][2] > 0, f"{kind}/{name}: the plain run never used jsonschema"
            else:
                assert jsonschema_calls > 0, f"{kind}/{name}: refused without jsonschema's message"
    # the cases really cover both answers
    assert {v[0] == "sah" for v in fast["outputs"].values()} == {True, False}
    assert {v[0] == "sah" for v in fast["metadata"].values()} == {True, False}


CELLS = """
import json, sys, tempfile
from pathlib import Path
from autograder.grading import patches, speedups
speedups.apply()
from nbgrader.api import Gradebook, MissingEntry

found = {"applied": patches.applied()}
with tempfile.TemporaryDirectory() as folder:
    url = f"sqlite:///{Path(folder) / 'gradebook.db'}"
    with Gradebook(url) as gb:
        gb.add_assignment("m08")
        gb.add_notebook("m08", "m08")
        gb.add_grade_cell("tes_01", "m08", "m08", max_score=2, cell_type="code")
        gb.add_task_cell("tugas_01", "m08", "m08", max_score=3, cell_type="markdown")
        for name in ("jawaban_01", "tes_01", "tugas_01"):
            gb.add_source_cell(name, "m08", "m08", cell_type="code", source=name, checksum=name,
                               locked=name != "jawaban_01")
    with Gradebook(url) as gb:
        statements = []
        from sqlalchemy import event
        event.listen(gb.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        first = gb.find_source_cell("jawaban_01", "m08", "m08")
        again = [gb.find_source_cell(n, "m08", "m08") for n in ("tes_01", "tugas_01", "jawaban_01")]
        found["same_object"] = again[-1] is first
        found["sources"] = [c.source for c in [first, *again]]
        found["locked"] = [c.locked for c in again]
        found["graded"] = [(type(c).__name__, c.max_score) for c in
                           (gb.find_graded_cell("tes_01", "m08", "m08"),
                            gb.find_graded_cell("tugas_01", "m08", "m08"))]
        found["source_queries"] = sum("FROM source_cell" in s for s in statements)
        found["missing"] = []
        for lookup in (gb.find_source_cell, gb.find_graded_cell):
            try:
                lookup("tidak_ada", "m08", "m08")
            except MissingEntry as exc:
                found["missing"].append(str(exc))
        # a cell added after the notebook's cells were read is still found (nbgrader's own query)
        gb.add_source_cell("baru", "m08", "m08", cell_type="code", source="baru", checksum="b")
        found["added_later"] = gb.find_source_cell("baru", "m08", "m08").source
print(json.dumps(found))
"""


def test_cell_definitions_read_per_notebook_answer_as_nbgrader():
    fast, plain = _with_and_without_speedups(CELLS)
    assert {"cell-definitions-per-notebook", "graded-cells-per-notebook"} <= set(fast["applied"])
    for key in ("same_object", "sources", "locked", "graded", "missing", "added_later"):
        assert fast[key] == plain[key], key
    assert fast["sources"] == ["jawaban_01", "tes_01", "tugas_01", "jawaban_01"]
    assert fast["graded"] == [["GradeCell", 2.0], ["TaskCell", 3.0]]
    assert fast["missing"] == ["No such source cell: m08/m08/tidak_ada",
                               "No such grade cell: m08/m08/tidak_ada"]
    # four lookups, one query for the notebook's source cells (nbgrader: one each)
    assert fast["source_queries"] == 1 and plain["source_queries"] == 4


PAGES = """
import base64, json, sys
from autograder.grading import patches, speedups
speedups.apply()
from nbconvert.exporters import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

png = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")).decode()
plain = new_notebook(cells=[
    new_markdown_cell("# Judul\\n\\nTeks *tebal* & <b>HTML</b>, tanda < dan >.", id="md"),
    new_code_cell("print('halo')", id="cetak",
                  outputs=[new_output("stream", name="stdout", text="halo\\n")]),
    new_code_cell("tabel", id="tabel", outputs=[new_output("display_data", data={
        "text/html": "<table><tr><td>1&nbsp;2</td></tr></table><br>", "text/plain": "t"})]),
])
chart = new_notebook(cells=[new_code_cell("grafik", id="grafik", outputs=[new_output(
    "display_data", data={"image/png": png, "text/plain": "<Figure>"})])])
pages = {}
for name, nb, template in (("plain", plain, "classic"), ("chart", chart, "classic"),
                           ("lab", plain, "lab")):
    pages[name] = HTMLExporter(template_name=template).from_notebook_node(nb)[0]
print(json.dumps({"applied": patches.applied(), "pages": pages}))
"""


def test_pages_skip_nbconverts_reparse_only_when_it_would_change_nothing():
    from bs4 import BeautifulSoup

    fast, plain = _with_and_without_speedups(PAGES)
    assert "html-reparse-when-needed" in fast["applied"]
    # no image, classic template: the template's page as written, the same document as
    # nbconvert's (its own re-serialisation of the fast page is exactly nbconvert's page)
    assert fast["pages"]["plain"] != plain["pages"]["plain"]
    assert str(BeautifulSoup(fast["pages"]["plain"], features="html.parser")) == plain["pages"]["plain"]
    # an image (alt text to add) or the JupyterLab template (tabindex): nbconvert's own pass
    assert fast["pages"]["chart"] == plain["pages"]["chart"]
    assert 'alt="No description has been provided for this image"' in fast["pages"]["chart"]
    assert fast["pages"]["lab"] == plain["pages"]["lab"]
    assert 'tabindex="0"' in fast["pages"]["lab"]


def test_nbconverts_reparse_still_only_selects_what_the_shortcut_looks_for():
    """If nbconvert's pass starts to change anything else, the shortcut must be re-checked."""
    import inspect

    from nbconvert.exporters.html import HTMLExporter

    from autograder.grading import speedups

    source = inspect.getsource(HTMLExporter.from_notebook_node)
    uses = [line.strip() for line in source.splitlines() if "soup" in line]
    assert uses == [
        'soup = BeautifulSoup(html, features="html.parser")',
        'for elem in soup.select("img:not([alt])"):',
        'for elem in soup.select(".jp-Notebook div.jp-Cell-inputWrapper"):',
        'for elem in soup.select(".jp-Notebook div.jp-OutputArea-output"):',
        "return str(soup), resources",
    ]
    assert speedups._NBCONVERT_SELECTS == ("<img", "jp-notebook", "jp-cell-inputwrapper",
                                          "jp-outputarea-output")
