"""Course, second edition (issue 15), modules m00–m04: the faults the review found stay fixed.

Each test reads what a participant reads (the lesson notebooks and the released
assignments) or runs what nbgrader runs (the source notebook's cells), and
asserts what a reviewer checked by hand.
"""

from __future__ import annotations

import ast
import re

import matplotlib
import nbformat
import pytest

from autograder.course import manifest
from coursekit import cek
from coursekit.kuis import buka_kunci, isi_panggilan, panggilan_kuis

matplotlib.use("Agg")

MODULES = ("m00", "m01", "m02", "m03", "m04")
COURSE = manifest.load_course()
BY_ID = {m.id: m for m in COURSE.modules}
MENU = "Kernel › Restart Kernel and Run All Cells…"
MENU_ID = "(di antarmuka berbahasa Indonesia: *Mulai Ulang Kernel dan Jalankan Semua Sel*)"
EJAAN = "Ejaan (EYD) tidak dinilai; yang dinilai adalah isi dan kejelasannya"


def lesson(mid: str):
    return nbformat.read(COURSE.root / BY_ID[mid].lesson, as_version=4)


def source(mid: str):
    return nbformat.read(manifest.SOURCE_DIR / mid / f"{mid}.ipynb", as_version=4)


def release(mid: str):
    return nbformat.read(manifest.RELEASE_DIR / mid / f"{mid}.ipynb", as_version=4)


def participant_notebooks():
    """(name, notebook) for everything a participant of m00–m04 reads."""
    for mid in MODULES:
        yield f"{mid} pelajaran", lesson(mid)
        yield f"{mid} tugas", release(mid)


def flat(text: str) -> str:
    return " ".join(text.split())


def meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


# --- Language -----------------------------------------------------------------------------------

FORBIDDEN = {
    r"(?i)engagement": "interaksi / tingkat interaksi",
    r"(?i)pesan kesalahan": "pesan galat",
    r"(?i)kotak merah": "pesan galat",
    r"(?i)\be-?mail\b": "surel",
    r"(?i)tidak nyambung": "tidak sesuai",
    r"(?i)pengeras suara masjid": "pengeras suara rumah ibadah",
    r"\b(?!Bimtek\b)[Bb][Ii][Mm][Tt][Ee][Kk]\b": "Bimtek",
    r"\d %": "75% (tanpa spasi)",
    r"Restart & Run All|Kernel > Restart": MENU,
    r"(?i)key performance indicator": "indikator kinerja utama (KPI)",
}


@pytest.mark.parametrize("name, nb", list(participant_notebooks()), ids=lambda x: x
                         if isinstance(x, str) else "")
def test_participant_text_follows_the_glossary(name, nb):
    text = "\n".join(c.source for c in nb.cells)
    found = {f"{m.group(0)!r} → {wanted}" for pattern, wanted in FORBIDDEN.items()
             for m in re.finditer(pattern, text)}
    assert not found, (name, sorted(found))
    first_kpi = re.search(r"\bKPI\b", text)
    if first_kpi:
        assert flat(text[:first_kpi.start()]).endswith("indikator kinerja utama ("), name


@pytest.mark.parametrize("name, nb", list(participant_notebooks()), ids=lambda x: x
                         if isinstance(x, str) else "")
def test_one_name_for_restart_and_run_all_with_its_indonesian_label_once(name, nb):
    text = flat("\n".join(c.source for c in nb.cells if c.cell_type == "markdown"))
    if "Restart" not in text:
        return
    assert re.findall(r"Restart[^*\"]*", text) == [MENU.split("› ")[1]] * text.count("Restart"), name
    assert text.count(MENU_ID) == 1, name


def test_lesson_headers_give_the_hours_of_the_manifest():
    for mid in MODULES:
        header = lesson(mid).cells[0].source
        match = re.search(r"(\d+) JP", header)
        if match:
            assert int(match.group(1)) == BY_ID[mid].jp, mid


def test_no_drifted_or_circular_sources():
    for name, nb in participant_notebooks():
        text = flat("\n".join(c.source for c in nb.cells))
        for wrong in ("tempat berjuang", "laporan Perpusnas", "dalam bahan kursus ini",
                      "tidak dipublikasikan"):
            assert wrong not in text, (name, wrong)
        if "memfasilitasi" in text and "Klikpositif" in text:  # FACTS.md: "the opportunity to strive"
            assert "kesempatan untuk berusaha" in text.replace("*", ""), name


# --- Self-check quizzes: keys out of sight ---------------------------------------------------------

def kuis_cells(mid: str):
    return [c for c in lesson(mid).cells if c.cell_type == "code" and panggilan_kuis(c.source)]


@pytest.mark.parametrize("mid", MODULES)
def test_no_kuis_cell_shows_its_key(mid):
    cells = kuis_cells(mid)
    assert len(cells) >= 3, mid
    for cell in cells:
        for call in panggilan_kuis(cell.source):
            isi = isi_panggilan(call)
            assert isi["bentuk"] == "kunci", (mid, isi["pertanyaan"])
            assert not {k.arg for k in call.keywords} & {"benar", "penjelasan"}
            assert len(call.args) <= 3
            assert isi["benar"] in isi["pilihan"], (mid, isi["pertanyaan"])
            assert isi["penjelasan"][:25] not in cell.source, (mid, isi["pertanyaan"])


def test_kuis_token_of_the_lesson_opens_to_a_real_option():
    cell = kuis_cells("m00")[0]
    call = panggilan_kuis(cell.source)[0]
    token = next(ast.literal_eval(k.value) for k in call.keywords if k.arg == "kunci")
    benar, penjelasan = buka_kunci(token)
    assert benar == "b" and "Shift+Enter" in penjelasan


# --- Check cells: hints name what the cell really uses ---------------------------------------------

def run_source(mid: str) -> tuple[dict, list]:
    """Execute the source notebook's code cells (solutions and all tests) like a fresh kernel."""
    namespace: dict = {"display": lambda *a, **k: None}
    nb = source(mid)
    for cell in nb.cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, f"<{mid} {meta(cell).get('grade_id', 'sel')}>", "exec"),
                 namespace)
    return namespace, nb.cells


def hint_calls(cells):
    """(grade id, call source with its first argument replaced by a wrong answer)."""
    for cell in cells:
        if cell.cell_type != "code" or not meta(cell).get("grade"):
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "salah_satu":
                node.args[0] = ast.Constant("jawaban yang tidak ada di pilihan")
                yield meta(cell)["grade_id"], ast.unparse(node)


@pytest.mark.parametrize("mid", MODULES)
def test_every_hint_names_a_variable_the_answer_cells_assign(mid):
    namespace, cells = run_source(mid)
    assigned = "\n".join(c.source for c in cells if meta(c).get("solution"))
    calls = list(hint_calls(cells))
    for grade_id, call in calls:
        with pytest.raises(AssertionError) as info:
            exec(call, namespace)
        for name in re.findall(r"misalnya (\w+) =", str(info.value)):
            assert re.search(rf"^\s*{name}\s*=", assigned, re.M), (grade_id, str(info.value))


@pytest.mark.parametrize("mid", MODULES)
def test_names_given_to_checks_are_variables_of_the_answer_cells(mid):
    """``cek.angka(hari_buka, "hari_buka")``: a name written like a variable must be one."""
    cells = source(mid).cells
    assigned = "\n".join(c.source for c in cells if meta(c).get("solution"))
    for cell in cells:
        if cell.cell_type != "code" or not meta(cell).get("grade"):
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "cek":
                for arg in node.args[1:]:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) \
                            and arg.value.isidentifier() and "_" in arg.value:
                        assert re.search(rf"^\s*{arg.value}\s*=", assigned, re.M), \
                            (meta(cell)["grade_id"], arg.value)


def test_m02_row_hint_names_no_invented_variable():
    namespace, cells = run_source("m02")
    call = next(c for g, c in hint_calls(cells) if g == "m02_tes_1a")
    with pytest.raises(AssertionError) as info:
        exec(call, namespace)
    assert "kondisi_di_baris" not in str(info.value)
    assert 'misalnya "baik"' in str(info.value)


# --- m03 Bagian 5: the bound a careful reader types is caught by the visible check ------------------

def visible_check(mid: str, grade_id: str) -> str:
    cell = next(c for c in release(mid).cells if meta(c).get("grade_id") == grade_id)
    assert "HIDDEN" not in cell.source
    return cell.source


def golongkan_with(awal_sedang, awal_tinggi) -> str:
    answer = next(c for c in source("m03").cells if meta(c).get("grade_id") == "m03_jawaban_5")
    code = re.sub(r"awal_sedang = 50", f"awal_sedang = {awal_sedang}", answer.source)
    return re.sub(r"awal_tinggi = 80", f"awal_tinggi = {awal_tinggi}", code)


def run_m03_part5(awal_sedang, awal_tinggi):
    namespace = {"cek": cek}
    exec(golongkan_with(awal_sedang, awal_tinggi), namespace)
    exec(visible_check("m03", "m03_tes_5"), namespace)


@pytest.mark.parametrize("awal_sedang, awal_tinggi", [(49.9, 80), (50, 79.9), (49.9, 79.9)])
def test_m03_visible_check_rejects_the_last_printed_value(awal_sedang, awal_tinggi):
    with pytest.raises(AssertionError, match="nilai pertama kategori"):
        run_m03_part5(awal_sedang, awal_tinggi)


def test_m03_visible_check_accepts_the_first_value_of_the_next_category():
    run_m03_part5(50, 80)


def test_m03_asks_for_the_first_value_of_the_next_category():
    text = flat("\n".join(c.source for c in release("m03").cells))
    assert "nilai pertama kategori berikutnya" in text
    assert "batas atas" not in text


def test_m03_uplm6_is_a_ratio_when_it_enters_iplm():
    cell = next(c for c in lesson("m03").cells if "uplm_keterlibatan(" in c.source)
    namespace: dict = {}
    exec(cell.source, namespace)
    persen = namespace["persen_uplm6"]
    assert persen == pytest.approx(0.72)
    assert namespace["rasio_uplm"][5] == pytest.approx(persen / 100)


# --- Rubrics: one rule on spelling; lengths are what is graded ------------------------------------

def rubric_parts(mid: str):
    """(rubric text, manual cell) for every hand-graded cell: the markdown since its heading."""
    cells = source(mid).cells
    for i, cell in enumerate(cells):
        if cell.cell_type == "markdown" and meta(cell).get("grade"):
            start = max(j for j in range(i) if cells[j].source.lstrip().startswith("## "))
            yield flat("\n".join(c.source for c in cells[start:i] if c.cell_type == "markdown")), cell


@pytest.mark.parametrize("mid", MODULES)
def test_hand_graded_parts_share_one_spelling_rule_and_honest_lengths(mid):
    for text, cell in rubric_parts(mid):
        assert EJAAN in text, (mid, meta(cell)["grade_id"])
        assert "bahasa Indonesia yang baik" not in text
        lengths = set(re.findall(r"\d+–\d+ (?:kata|kalimat)|dua kalimat", text))
        assert len(lengths) <= 1, (mid, lengths)
        for length in lengths:  # a stated length is advice, and the rubric says it is not graded
            assert f"Panjang {length} hanya saran dan tidak mengurangi nilai" in text, (mid, length)


# --- Ramp and coverage ----------------------------------------------------------------------------

def test_m02_answers_need_no_function_or_loop_on_day_two():
    for cell in release("m02").cells:
        if meta(cell).get("solution") and cell.cell_type == "code":
            assert not re.search(r"^\s*(def|for|while) ", cell.source, re.M), meta(cell)["grade_id"]


def test_literasi_digital_has_a_lesson_section_and_graded_items():
    text = flat("\n".join(c.source for c in lesson("m02").cells))
    assert "### 3.4 Literasi digital" in "\n".join(c.source for c in lesson("m02").cells)
    for idea in ("hoaks", "sumber", "tanggal", "OTP", "log out", "kata sandi"):
        assert idea in text, idea
    cells = source("m02").cells
    start = next(i for i, c in enumerate(cells) if "Literasi digital" in c.source
                 and c.source.startswith("## Bagian"))
    graded = [c for c in cells[start:start + 4] if meta(c).get("grade") and meta(c).get("points")]
    assert sum(meta(c)["points"] for c in graded) >= 2


def test_m02_literasi_digital_options_are_balanced():
    """The key is neither the longest option by far nor the only concrete one."""
    text = next(c.source for c in source("m02").cells if meta(c).get("grade_id") == "m02_soal_5")
    for soal in re.split(r"\*\*5b", text):
        options = re.findall(r"^- [a-d]\. (.+)$", soal, re.M)
        assert len(options) == 4
        lengths = sorted(len(o) for o in options)
        assert lengths[-1] - lengths[0] <= 20, options
