"""Second edition of the course, modules m05–m08: the review's faults stay fixed (issue 15).

Each test reads what a participant reads (lesson notebooks, source and released
assignments) or runs what a participant runs, and names the fault it guards.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re

import nbformat
import pytest

from autograder.course import manifest
from coursekit import advokasi

MODULES = ("m05", "m06", "m07", "m08")
COURSE = manifest.load_course()
LESSONS = {m.id: manifest.COURSE_DIR / m.lesson for m in COURSE.modules if m.id in MODULES}
SOURCES = {m: manifest.SOURCE_DIR / m / f"{m}.ipynb" for m in MODULES}
RELEASES = {m: manifest.RELEASE_DIR / m / f"{m}.ipynb" for m in MODULES}
ALL = [*LESSONS.values(), *SOURCES.values(), *RELEASES.values()]
PARTICIPANT = [*LESSONS.values(), *RELEASES.values()]

MENU = "**Kernel › Restart Kernel and Run All Cells…**"
MENU_ID = "(di antarmuka berbahasa Indonesia: *Mulai Ulang Kernel dan Jalankan Semua Sel*)"
EJAAN = "Ejaan (EYD) tidak dinilai; yang dinilai kejelasan"


def read(path):
    return nbformat.read(path, as_version=4)


def text_of(path) -> str:
    return "\n".join(c.source for c in read(path).cells)


def meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def ids(paths):
    return [f"{p.parent.name}/{p.name}" for p in paths]


def prose(path) -> str:
    """What a participant reads as language: markdown, code comments and string literals."""
    parts = []
    for cell in read(path).cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
            continue
        parts += re.findall(r"#[^\n]*", cell.source)
        with contextlib.suppress(SyntaxError):
            parts += [n.value for n in ast.walk(ast.parse(cell.source))
                      if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return "\n".join(parts)


# --- Language --------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_no_engagement_anywhere_a_participant_looks(path):
    """'engagement' (64 times in the first edition) is 'interaksi / tingkat interaksi'."""
    assert not re.search(r"engagement", text_of(path), re.I)


@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_glossary_terms(path):
    text = prose(path)
    for wrong in ("pesan kesalahan", "kotak merah", "e-mail", "tidak nyambung",
                  "pengeras suara masjid", "Restart & Run All", "Kernel > Restart"):
        assert wrong.lower() not in text.lower(), wrong
    assert not re.search(r"\bbimtek\b", text), "Bimtek ditulis dengan B besar"
    assert not re.search(r"\d %", text), re.findall(r".{20}\d %.{0,5}", text)


@pytest.mark.parametrize("path", PARTICIPANT, ids=ids(PARTICIPANT))
def test_one_name_for_restart_and_run_all(path):
    text = " ".join(text_of(path).split())
    if "Restart" not in text:
        return
    assert text.count("Restart") == text.count(MENU), "one spelling of the menu item"
    assert text.count(MENU_ID) == 1, "the Indonesian interface's name, once per notebook"


def test_kpi_is_glossed_indonesian_first():
    body = [line for line in text_of(LESSONS["m07"]).splitlines() if not line.startswith("#")]
    text = " ".join(" ".join(body).split())
    first = text.index("KPI")
    assert text[first - len("indikator kinerja utama ("):first] == "indikator kinerja utama ("
    assert text.index("indikator kinerja utama") < text.index("key performance indicator")


def test_smart_gloss_is_indonesian_first():
    text = text_of(LESSONS["m08"])
    for indonesian, english in (("spesifik", "specific"), ("terukur", "measurable"),
                                ("dapat dicapai", "achievable"), ("relevan", "relevant"),
                                ("berbatas waktu", "time-bound")):
        assert f"{indonesian} (*{english}*)" in text
    assert "**M**easurable" not in text


# --- Truth and sources ---------------------------------------------------------------------

@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_claims_trace_to_sources_not_to_the_course_itself(path):
    text = prose(path)
    for circular in ("dalam bahan kursus ini", "catatan program kursus ini", "laporan Perpusnas",
                     "tidak dipublikasikan"):
        assert circular not in text, circular


def test_sim_thresholds_are_said_as_not_found_in_public_sources():
    for path in (LESSONS["m07"], SOURCES["m07"], RELEASES["m07"]):
        assert "tidak kami temukan dalam sumber publik" in prose(path)


def test_uu_23_2014_is_stated_as_facts_states_it():
    for path in (LESSONS["m05"], SOURCES["m05"]):
        text = prose(path)
        assert "Pemerintahan Daerah" not in text  # a title the sources do not give
        assert "tanggung jawab pemerintah daerah" not in text  # an inference they do not make
    lesson = " ".join(prose(LESSONS["m05"]).split())
    assert "UU No. 23 Tahun 2014**: menurut undang-undang ini, perpustakaan termasuk " \
           "**urusan wajib non pelayanan dasar**" in lesson


def test_lessons_point_to_sumber():
    assert (manifest.COURSE_DIR / "SUMBER.md").is_file()
    for module in ("m05", "m07", "m08"):
        assert "SUMBER.md" in text_of(LESSONS[module]), module


# --- Hints name what the cell uses ---------------------------------------------------------

def assigned_names(nb) -> set[str]:
    names = set()
    for cell in nb.cells:
        if cell.cell_type == "code" and meta(cell).get("solution"):
            with contextlib.suppress(SyntaxError):
                names |= {t.id for n in ast.walk(ast.parse(cell.source))
                          if isinstance(n, ast.Assign) for t in n.targets
                          if isinstance(t, ast.Name)}
    return names


@pytest.mark.parametrize("module", MODULES)
def test_every_salah_satu_hint_names_a_variable_of_the_answer_cell(module):
    """cek.salah_satu suggests `nama_lower = "..."`: that variable must exist (m05 had
    `kuadran_bappeda`)."""
    nb = read(RELEASES[module])
    names = assigned_names(nb)
    for cell in nb.cells:
        if not meta(cell).get("grade") or cell.cell_type != "code":
            continue
        for call in ast.walk(ast.parse(cell.source)):
            if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "salah_satu":
                label = call.args[2] if len(call.args) > 2 else None
                assert isinstance(label, ast.Constant), (module, ast.unparse(call))
                assert label.value.lower().replace(" ", "_") in names, (module, label.value)


def test_m05_quadrant_hint_quotes_a_line_of_the_answer_cell():
    nb = read(RELEASES["m05"])
    answer = next(c.source for c in nb.cells if meta(c).get("grade_id") == "m05_jawaban_1")
    rows = re.findall(r'^\s*"([^"]+)": \.\.\.,', answer, re.M)
    assert len(rows) == 4
    for row in rows:
        wrong = {r: "pantau" for r in rows} | {row: "tinggi"}
        with pytest.raises(AssertionError) as hint:
            advokasi.cek_tabel_kuadran(wrong, rows)
        quoted = re.search(r'misalnya ("[^"]+": )"', str(hint.value)).group(1)
        assert quoted in answer


# --- Rubrics -------------------------------------------------------------------------------

def rubric_cells(nb):
    """(rubric markdown, manual answer cell) pairs: the rubric is right above the answer."""
    pairs = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and meta(cell).get("grade") and meta(cell).get("solution"):
            pairs.append((nb.cells[i - 1].source, cell))
    return pairs


@pytest.mark.parametrize("module", MODULES)
def test_one_spelling_rule_for_every_hand_graded_part(module):
    nb = read(SOURCES[module])
    pairs = rubric_cells(nb)
    assert pairs
    text = text_of(SOURCES[module])
    assert EJAAN in " ".join(text.split())
    for rubric, _ in pairs:
        assert "(EYD)" not in " ".join(rubric.split()).replace("Ejaan (EYD) tidak dinilai", "")


@pytest.mark.parametrize("module", MODULES)
def test_word_ranges_asked_are_the_ranges_penalised(module):
    for rubric, _ in rubric_cells(read(SOURCES[module])):
        flat = " ".join(rubric.split())
        asked = set(re.findall(r"(\d+)–(\d+) kata", flat))
        penalised = set(re.findall(r"kurang dari (\d+) atau lebih dari (\d+) kata", flat))
        if penalised:
            assert penalised <= asked and len(asked) == 1, (module, asked, penalised)
        elif asked:
            assert "panjang tidak dinilai" in flat.lower() \
                or "panjang sendiri tidak dinilai" in flat.lower(), (module, asked)


def test_m06_model_story_obeys_its_own_task():
    nb = read(SOURCES["m06"])
    (rubric, answer), = rubric_cells(nb)
    story = answer.source.split("### END SOLUTION")[0].split("**Pesanan Datang Sebelum Berangkat**")[1]
    assert 100 <= len(story.split()) <= 150
    notes = " ".join(rubric.split())
    assert "tersenyum" not in story  # a detail the field notes do not give
    for number in re.findall(r"\d+", story):
        assert number in notes, number


# --- m08: a slip costs one part --------------------------------------------------------------

def run_cells(nb, replace: dict[str, str] | None = None) -> dict[str, bool]:
    """Run a notebook's code in one namespace, the way nbgrader does (errors do not stop it);
    return pass/fail per graded cell."""
    replace = replace or {}
    namespace: dict = {}
    results = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = replace.get(meta(cell).get("grade_id"), cell.source)
        source = "\n".join(line for line in source.splitlines() if "### " not in line)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(source, "<sel>", "exec"), namespace)
            ok = True
        except Exception:  # noqa: BLE001 - a failing cell is what we count
            ok = False
        if meta(cell).get("grade"):
            results[meta(cell)["grade_id"]] = ok
    return results


@pytest.fixture(scope="module")
def m08_solution():
    nb = read(SOURCES["m08"])
    answers = {}
    for cell in nb.cells:
        if meta(cell).get("solution") and cell.cell_type == "code":
            answers[meta(cell)["grade_id"]] = cell.source
    return nb, answers


def test_m08_solution_passes_every_autograded_part(m08_solution):
    nb, _ = m08_solution
    results = run_cells(nb)
    assert results and all(results.values()), results


def test_m08_missing_field_costs_only_the_structure_check(m08_solution):
    nb, answers = m08_solution
    plan = answers["m08_jawaban_rencana"]
    slip = plan.replace(" | Karang Taruna\n", "\n", 1)  # the last field of one line forgotten
    assert slip != plan
    results = run_cells(nb, {"m08_jawaban_rencana": slip})
    assert {k for k, ok in results.items() if not ok} == {"m08_tes_struktur"}


def test_m08_missing_separator_costs_only_parts_of_the_table(m08_solution):
    nb, answers = m08_solution
    plan = answers["m08_jawaban_rencana"]
    slip = plan.replace("| 1.500.000 |", "1.500.000 |", 1)  # one '|' forgotten on one line
    assert slip != plan
    results = run_cells(nb, {"m08_jawaban_rencana": slip})
    failed = {k for k, ok in results.items() if not ok}
    assert "m08_tes_struktur" in failed
    assert failed <= {"m08_tes_struktur", "m08_tes_indikator", "m08_tes_anggaran_bulan"}, failed
    # the other lines still count: each strategy keeps a complete activity
    for independent in ("m08_tes_tujuan", "m08_tes_strategi", "m08_tes_total",
                        "m08_tes_replikasi"):
        assert results[independent], independent


def test_m08_broken_plan_cell_does_not_break_other_parts(m08_solution):
    nb, answers = m08_solution
    broken = answers["m08_jawaban_rencana"].replace('"""\n### END', '\n### END', 1)
    results = run_cells(nb, {"m08_jawaban_rencana": broken})
    assert not results["m08_tes_struktur"]
    for independent in ("m08_tes_tujuan", "m08_tes_total", "m08_tes_replikasi"):
        assert results[independent], independent


def test_m08_plan_is_a_text_table_without_quotes_per_field():
    release = read(RELEASES["m08"])
    answer = next(c.source for c in release.cells if meta(c).get("grade_id") == "m08_jawaban_rencana")
    table = answer.split('"""')[1]
    assert '"' not in table and "{" not in table
    assert all(line.count("|") == 8 for line in table.strip().splitlines())


# --- Replikasi Mandiri: a lesson section and a graded item ---------------------------------

def test_replikasi_mandiri_has_a_lesson_section_and_a_graded_item():
    lesson = read(LESSONS["m08"])
    section = next(c.source for c in lesson.cells if c.source.startswith("### 3.6 Replikasi mandiri"))
    assert "Perpustakaan Daerah Kabupaten Kebumen" in section  # the source FACTS gives
    assert "panduan kursus" in section  # the steps are the course's, said plainly
    graded = [c for c in read(SOURCES["m08"]).cells
              if meta(c).get("grade") and "replikasi" in meta(c)["grade_id"]]
    assert graded and graded[0].metadata["nbgrader"]["points"] > 0
    assert "replikasi mandiri" in text_of(SOURCES["m08"]).lower()


# --- Quiz keys ------------------------------------------------------------------------------

def kuis_calls(path):
    for cell in read(path).cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "kuis":
                yield node


@pytest.mark.parametrize("module", MODULES)
def test_no_kuis_cell_shows_its_key(module):
    """Keys are packed tokens (docs/KUIS.md) that open to a letter among the options."""
    from coursekit.kuis import buka_kunci

    calls = list(kuis_calls(LESSONS[module]))
    assert calls
    for call in calls:
        shown = ast.unparse(call)[:80]
        options = ast.literal_eval(call.args[1])
        assert not {k.arg for k in call.keywords} & {"benar", "penjelasan"}, shown
        given = [ast.literal_eval(a) for a in call.args[2:]]
        given += [ast.literal_eval(k.value) for k in call.keywords if k.arg == "kunci"]
        assert len(given) == 1, shown
        letter, explanation = buka_kunci(given[0])
        assert letter in options and explanation, shown
        assert explanation not in ast.unparse(call) and given[0] not in options, shown
