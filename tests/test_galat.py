"""Python's errors explained in Bahasa Indonesia (``coursekit.galat``), as participants meet them.

Notebooks run in real kernels through nbclient, as participants' notebooks and
nbgrader run: once importing coursekit (explanations on) and once without it.
Each error kind must show its explanation (the fix and the participant's own
line) under an error output that is exactly the one IPython gives without
coursekit; and nbgrader must score a submission the same with and without the
explanations, in plain ``nbgrader autograde`` and in ``spptik grade``'s warm
kernels.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass

import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat.v4 import new_code_cell, new_notebook

from autograder.cohort.workspace import Workspace
from autograder.demo import synthetic
from autograder.grading.reference import autograde_with_nbgrader
from autograder.reports.scores import cell_scores
from coursekit.galat import SWITCH, TITLE


@dataclass
class Case:
    kind: str
    cells: list[str]  # the last one fails
    says: list[str]  # what the explanation must say (the fix); {prev}: the cell above's number
    line: int  # the participant's line: its number in the failing cell ...
    code: str  # ... and its text


CASES = [
    Case("kutip_hilang", ['nama = "Perpustakaan Desa\nprint(nama)'],
         ["tanda petik penutup", '"Perpustakaan Desa"'], 1, 'nama = "Perpustakaan Desa'),
    Case("kutip_miring", ["nama = “Perpustakaan Desa”"],
         ["tanda petik lurus", "ketik ulang"], 1, "nama = “Perpustakaan Desa”"),
    Case("kurung_kurang", ["total = sum([35, 42, 28]\nprint(total)"],
         ["Kurung buka `(`", "tambahkan kurung tutup `)`"], 1, "total = sum([35, 42, 28]"),
    Case("kurung_kurang_di_akhir_sel", ['print("Halo"'],
         ["tambahkan kurung tutup `)`"], 1, 'print("Halo"'),
    Case("kurung_lebih", ["rata = (35 + 42) / 2)"],
         ["kurung tutup `)` yang tidak punya pasangan", "hapus `)`"], 1, "rata = (35 + 42) / 2)"),
    Case("titik_dua", ['hari = 25\nif hari > 20\n    print("ramai")'],
         ["titik dua", "tambahkan `:` di akhir baris ini"], 2, "if hari > 20"),
    Case("indentasi_kurang", ['if 3 > 2:\nprint("ya")'],
         ["harus menjorok", "tambahkan 4 spasi"], 2, 'print("ya")'),
    Case("indentasi_lebih", ["a = 1\n    b = 2"],
         ["diawali spasi", "hapus spasi di awal baris"], 2, "    b = 2"),
    Case("nama_belum_dijalankan", ["print(total_kunjungan)"],
         ["jalankan sel di atasnya"], 1, "print(total_kunjungan)"),
    Case("nama_salah_ketik", ["total_pengunjung = 263", "rata_rata = total_pengunjng / 6"],
         ["Mungkin maksud Anda `total_pengunjung`?"], 1, "rata_rata = total_pengunjng / 6"),
    Case("nama_dari_sel_yang_gagal", ['hari_buka = 25\nbulan = "Mei', "print(bulan)"],
         ["karena sel [{prev}], yang membuatnya, berhenti dengan galat",
          "perbaiki dulu galat di sel [{prev}]"], 1, "print(bulan)"),
    Case("huruf_tanpa_petik", ["jawaban_1 = b"],
         ['apit dengan tanda petik: `"b"`'], 1, "jawaban_1 = b"),
    Case("titik_tiga_operasi", ["jawaban_2 = ...", "kunjungan = 20 * jawaban_2"],
         ["`jawaban_2` masih berisi `...`",
          "ganti `...` dengan jawaban Anda di sel [{prev}] (`jawaban_2 = ...`)"],
         1, "kunjungan = 20 * jawaban_2"),
    Case("titik_tiga_perbandingan", ["jawaban_3 = ...",
                                     'assert jawaban_3 == 263, "Total belum benar"'],
         ["ganti `...` dengan jawaban Anda"], 1, 'assert jawaban_3 == 263, "Total belum benar"'),
    Case("kolom_tabel", ['kunjungan = pd.DataFrame({"bulan": ["Jan", "Feb"], "pengunjung": [120, 95]})\n'
                         'kunjungan["Pengunjung"].sum()'],
         ["Tabel `kunjungan` tidak punya kolom bernama `'Pengunjung'`",
          "Kolom yang ada: `'bulan'`, `'pengunjung'`", "Mungkin maksud Anda `'pengunjung'`?"],
         2, 'kunjungan["Pengunjung"].sum()'),
    Case("kolom_groupby", ['tabel = pd.DataFrame({"bulan": ["Jan"], "jenis kelamin": ["P"]})\n'
                           'tabel.groupby("jenis_kelamin").size()'],
         ["Kolom yang ada: `'bulan'`, `'jenis kelamin'`"], 2, 'tabel.groupby("jenis_kelamin").size()'),
    Case("kunci_kamus", ['rencana = {"judul": "Pojok Baca", "sasaran": "remaja"}', 'rencana["Sasaran"]'],
         ["Kamus `rencana` tidak punya kunci bernama `'Sasaran'`", "Mungkin maksud Anda `'sasaran'`?"],
         1, 'rencana["Sasaran"]'),
    Case("angka_sebagai_teks", ['hari_buka = "25"', "kunjungan = hari_buka * 20 + 1"],
         ["`hari_buka` berisi teks `'25'`", "tulis angkanya tanpa tanda petik: `hari_buka = 25`"],
         1, "kunjungan = hari_buka * 20 + 1"),
    Case("bagi_nol", ["komputer = 0", "pengunjung_per_komputer = 480 / komputer"],
         ["membagi dengan nol", "`komputer` bernilai 0", "periksa angka pembaginya"],
         1, "pengunjung_per_komputer = 480 / komputer"),
    Case("koma_desimal_teks", ['persen = float("0,3")'],
         ["tulis `0.3`, bukan `0,3`"], 1, 'persen = float("0,3")'),
    Case("koma_desimal_tuple", ["target = 0,3", "target > 0.25"],
         ["`target` berisi `(0, 3)`", "di sel [{prev}] tertulis `target = 0,3`",
          "tulis `target = 0.3` di sel [{prev}]"],
         1, "target > 0.25"),
    Case("koma_desimal_tuple_dihitung", ["rasio = 12,5", "hasil = rasio * 2 + 1"],
         ["tulis `rasio = 12.5`"], 1, "hasil = rasio * 2 + 1"),
]

FIRST_CELL = {"dengan": "from coursekit import cek\nimport pandas as pd",
              "tanpa": "import json as cek\nimport pandas as pd"}


def _notebook(cells: list[str]):
    nb = new_notebook(cells=[new_code_cell(source) for source in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _run(cells: list[str], cwd, **options):
    nb = _notebook(cells)
    NotebookClient(nb, timeout=60, resources={"metadata": {"path": str(cwd)}}, **options).execute()
    return nb


def _explanations(cell) -> list[dict]:
    return [o for o in cell.outputs
            if o.output_type == "display_data" and o.data.get("text/plain", "").startswith(TITLE)]


def _without_explanations(cell) -> list[dict]:
    return [o for o in cell.outputs if o not in _explanations(cell)]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """All cases in one notebook, run with coursekit (explanations) and without; failing cell per case."""
    cwd = tmp_path_factory.mktemp("galat")
    failing, cells = {}, []
    for case in CASES:
        cells += case.cells
        failing[case.kind] = len(cells)  # index after the first cell is added below
    cells += ["print('sel yang berhasil')", "raise ValueError('salah')",
              "rentang = (30, 50)\nrentang > 40"]  # a pair meant as a pair: no decimal comma
    result = {}
    for name, first in FIRST_CELL.items():
        result[name] = _run([first, *cells], cwd, allow_errors=True)
    return result, failing


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_each_error_is_explained_with_the_fix_and_the_participants_line(runs, case):
    notebooks, failing = runs
    cell = notebooks["dengan"].cells[failing[case.kind]]
    assert cell.source == case.cells[-1]
    assert [o.output_type for o in cell.outputs].count("error") == 1
    explained = _explanations(cell)
    assert len(explained) == 1, [o.output_type for o in cell.outputs]
    assert cell.outputs.index(explained[0]) > cell.outputs.index(
        next(o for o in cell.outputs if o.output_type == "error"))  # under the traceback
    text = explained[0].data["text/plain"]
    shown = explained[0].data["text/html"]
    assert f"Baris {case.line} di sel ini:\n    {case.code}\n" in text
    assert "Cara memperbaiki:" in text
    above = notebooks["dengan"].cells[failing[case.kind] - 1].execution_count
    for phrase in case.says:
        assert phrase.replace("{prev}", str(above)) in text
    assert "Cara memperbaiki:" in shown and "<pre" in shown
    assert html.escape(case.code, quote=False) in shown  # the line as it was typed


def test_the_error_output_is_exactly_ipythons_own(runs):
    """Every cell's outputs, the explanation aside, equal those of a kernel without coursekit."""
    notebooks, failing = runs
    with_, without = notebooks["dengan"].cells, notebooks["tanpa"].cells
    assert len(with_) == len(without)
    errors = 0
    for ours, plain in list(zip(with_, without, strict=True))[1:]:
        assert _without_explanations(ours) == plain.outputs, ours.source
        assert ours.execution_count == plain.execution_count
        assert _explanations(plain) == []
        errors += sum(o.output_type == "error" for o in plain.outputs)
    assert errors >= len(CASES) + 1


def test_only_errors_participants_meet_are_explained(runs):
    notebooks, _ = runs
    ok_cell, other_error, pair = notebooks["dengan"].cells[-3:]
    assert ok_cell.outputs[0]["text"] == "sel yang berhasil\n" and not _explanations(ok_cell)
    assert other_error.outputs[0]["ename"] == "ValueError" and not _explanations(other_error)
    assert pair.outputs[0]["ename"] == "TypeError" and not _explanations(pair)


def test_a_failing_check_still_fails(tmp_path):
    """nbclient still stops at the failing cell with IPython's error; the explanation is shown too."""
    cells = ["from coursekit import cek", "jawaban = ...",
             'assert jawaban == 5, "Jawaban belum benar"', "print('tidak sampai di sini')"]
    nb = _notebook(cells)
    client = NotebookClient(nb, timeout=60, resources={"metadata": {"path": str(tmp_path)}})
    with pytest.raises(CellExecutionError) as failure:
        client.execute()
    assert failure.value.ename == "AssertionError"
    assert failure.value.evalue == "Jawaban belum benar"
    assert nb.cells[3].outputs == []  # nothing ran after the failure
    assert "ganti `...` dengan jawaban Anda" in _explanations(nb.cells[2])[0].data["text/plain"]


def test_course_checks_keep_their_own_message_and_get_only_what_it_lacks(tmp_path):
    """A check that already explains in Indonesian gets no second explanation,
    except the decimal comma it cannot see (``25,0`` is two numbers to Python)."""
    cells = ["from coursekit import cek\nfrom coursekit.layanan_tik import pengunjung_per_komputer",
             "hari_buka = ...", 'cek.angka(hari_buka, "hari_buka")',
             "pengunjung_per_komputer(480, 0)",
             "hari_buka = 25,0", 'cek.angka(hari_buka, "hari_buka")']
    nb = _run(cells, tmp_path, allow_errors=True)
    stub, zero, comma = nb.cells[2], nb.cells[3], nb.cells[5]
    assert "Ganti tanda ..." in stub.outputs[0]["evalue"] and _explanations(stub) == []
    assert "Jumlah komputer 0" in zero.outputs[0]["evalue"] and _explanations(zero) == []
    assert comma.outputs[0]["ename"] == "AssertionError"
    assert "tulis `hari_buka = 25.0`" in _explanations(comma)[0].data["text/plain"]


def test_registration_is_idempotent(tmp_path):
    cells = ["import importlib\nimport coursekit\nfrom coursekit import galat\n"
             "importlib.reload(coursekit)\ngalat.register()\n",
             "%load_ext coursekit.galat",
             "from coursekit import cek\n"
             "print(sum(f.__module__ == 'coursekit.galat' "
             "for f in get_ipython().events.callbacks['post_run_cell']))",
             "print(tidak_ada)"]
    nb = _run(cells, tmp_path, allow_errors=True)
    assert nb.cells[2].outputs[0]["text"] == "1\n"
    assert len(_explanations(nb.cells[3])) == 1


def test_coursekit_loaded_before_the_shell_registers_at_first_use(tmp_path):
    """As in a warm grading kernel: coursekit imported with no shell, the shell made later."""
    script = textwrap.dedent("""
        import json
        import coursekit
        from IPython.core.interactiveshell import InteractiveShell

        shell = InteractiveShell.instance()
        shown = []
        shell.display_pub.publish = lambda data, **kw: shown.append(data["text/plain"])
        shell.run_cell("from coursekit import cek")
        shell.run_cell("jumlah = 3")
        shell.run_cell("print(jumlh)")
        print(json.dumps(shown))
    """)
    env = {**os.environ, "IPYTHONDIR": str(tmp_path / "ipython")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=120)
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(shown) == 1 and "Mungkin maksud Anda `jumlah`?" in shown[0]


def test_the_switch_turns_explanations_off(tmp_path, monkeypatch):
    monkeypatch.setenv(SWITCH, "0")
    nb = _run(["from coursekit import cek", "print(tidak_ada)"], tmp_path, allow_errors=True)
    assert nb.cells[1].outputs[0]["ename"] == "NameError"
    assert _explanations(nb.cells[1]) == []


# nbgrader ------------------------------------------------------------------------

# m00 answered as a participant might: a letter without quotes, a decimal comma, one right answer
M00_ANSWERS = {"m00_jawaban_1": "jenis_perpustakaan = b", "m00_jawaban_2": "hari_buka = 25,0"}


def _autograded(ws: Workspace, student: str):
    path = ws.root / "autograded" / student / "m00" / "m00.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _errors(cells) -> list:
    return [[o for o in c.get("outputs", []) if o["output_type"] == "error"] for c in cells]


def _explained(cells) -> int:
    return sum(1 for c in cells for o in c.get("outputs", [])
               if o["output_type"] == "display_data"
               and "".join(o["data"].get("text/plain", "")).startswith(TITLE))


@pytest.fixture
def submitted(fresh_cohort, answer_keys, tmp_path):
    """One participant's m00 with errors to explain, collected into a fresh cohort."""
    from autograder.intake.collect import collect

    release, answers = answer_keys["m00"]
    student = sorted(p.id_peserta for p in fresh_cohort.participants)[0]
    synthetic.dump(synthetic.fill(release, {**answers, **M00_ANSWERS}),
                   tmp_path / "kiriman" / f"{student}_m00.ipynb")
    collect(fresh_cohort, "m00", [tmp_path / "kiriman"])
    return fresh_cohort, student


def test_nbgrader_scores_the_same_with_and_without_explanations(submitted, tmp_path, monkeypatch):
    ws, student = submitted
    off = Workspace(shutil.copytree(ws.root, tmp_path / "tanpa-penjelasan"))

    autograde_with_nbgrader(ws, ["m00"])
    monkeypatch.setenv(SWITCH, "0")  # the kernels nbgrader starts inherit it
    autograde_with_nbgrader(off, ["m00"])

    scores, scores_off = cell_scores(ws), cell_scores(off)
    assert scores == scores_off
    by_cell = {cell: score for (_, _, _, cell), score in scores.items()}
    assert by_cell["m00_tes_1"] == 0 and by_cell["m00_tes_2"] == 0 and by_cell["m00_tes_3"] == 2
    cells, cells_off = _autograded(ws, student), _autograded(off, student)
    assert _errors(cells) == _errors(cells_off)
    assert _explained(cells_off) == 0
    assert _explained(cells) >= 3  # the answer cell 1, its check cell, the check of hari_buka
    text = json.dumps(cells, ensure_ascii=False)
    assert 'apit dengan tanda petik: `\\"b\\"`' in text
    assert "tulis `hari_buka = 25.0`" in text


# WARM PATH ---------------------------------------------------------------------------
# ``spptik grade`` runs notebooks in kernels forked from a zygote that imported coursekit
# before any IPython shell existed (autograder/zygote.py). This test checks that the
# explanations are on there too, and that the scores are plain nbgrader's.

def test_warm_grading_kernels_explain_errors_and_score_as_nbgrader(submitted, tmp_path):
    from autograder.grading.run import GRADED, grade

    ws, student = submitted
    plain = Workspace(shutil.copytree(ws.root, tmp_path / "nbgrader-biasa"))
    autograde_with_nbgrader(plain, ["m00"])
    report = grade(ws, ["m00"], jobs=1)

    assert report.count(GRADED) == 1, [r.message for r in report.failures]
    assert "hangat" in report.isolation  # graded in the warm kernels
    assert cell_scores(ws) == cell_scores(plain)
    cells, cells_plain = _autograded(ws, student), _autograded(plain, student)
    assert _errors(cells) == _errors(cells_plain)
    assert _explained(cells) == _explained(cells_plain) >= 3

