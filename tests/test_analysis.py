"""Item analysis and learning gain (``spptik analisis``).

Every formula on a small example worked by hand, on published examples (two KR-20
textbook tables, pingouin's documented α), and against independent implementations
(pingouin's ``cronbach_alpha``, scipy's ``pearsonr``); then the command on a graded cohort,
on two cohorts sharing one participant id, and its page in Chromium.
"""

from __future__ import annotations

import dataclasses
import math
import random
import re

import numpy as np
import pandas as pd
import pingouin
import pytest
from click.testing import CliRunner
from scipy.stats import pearsonr

from autograder.cli import main
from autograder.cohort.roster import write_roster
from autograder.cohort.workspace import init_workspace
from autograder.demo import synthetic
from autograder.reports import analysis, item_analysis, records
from autograder.reports.analysis_page import number
from autograder.reports.scores import cell_scores, submission_scores

NAN = math.nan


def close(a, b, tol=5e-4) -> bool:
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= tol


# Published examples -----------------------------------------------------------------------

# A KR-20 worked example of ten students and ten 0/1 items, as printed in the teaching note
# "Reliability coefficient using the KR-20 & 21" (pdfcoffee.com/kr-20-and-kr-21-pdf-free.html):
# p = .7 .7 .3 .4 .8 .7 .6 .4 .4 .9, sum of pq 2.05, variance of totals 3.29, KR-20 = 0.42.
KR20_TEXTBOOK = """
1 1 0 0 1 1 0 0 1 1
0 0 1 0 1 1 0 1 0 0
1 1 1 1 0 0 1 1 1 1
0 1 0 1 1 0 1 1 0 1
1 1 0 0 1 1 1 0 1 1
1 1 1 1 1 1 1 0 1 1
1 0 0 0 0 1 1 0 0 1
1 1 0 0 1 1 1 1 0 1
1 1 0 1 1 0 0 0 0 1
0 0 0 0 1 1 0 0 0 1
"""

# K. L. Wuensch's KR-20 handout (core.ecu.edu/wuenschk/StatHelp/KR20.txt): ten students, ten
# items; printed p = .7 .7 .6 .7 .6 .8 .7 .7 .5 .6, sum of pq 2.18, variance of totals 5.84.
KR20_WUENSCH = """
1 1 1 1 1 1 0 1 1 0
1 0 1 1 0 1 1 1 0 1
1 1 1 1 0 1 1 0 0 1
0 0 1 0 0 0 1 0 0 0
0 0 0 0 0 1 0 0 1 0
1 1 1 0 1 1 1 1 1 1
1 1 0 1 1 1 0 1 1 1
1 1 1 1 1 1 1 1 0 1
0 1 0 1 1 1 1 1 0 1
1 1 0 1 1 0 1 1 1 0
"""


def table(text: str) -> pd.DataFrame:
    rows = [[int(v) for v in line.split()] for line in text.strip().splitlines()]
    frame = pd.DataFrame(rows, columns=[f"b{i + 1}" for i in range(len(rows[0]))])
    frame.index = [chr(ord("A") + i) for i in range(len(rows))]
    return frame


def test_kr20_matches_the_textbook_example():
    m = table(KR20_TEXTBOOK)
    p = m.mean()
    assert p.round(1).tolist() == [.7, .7, .3, .4, .8, .7, .6, .4, .4, .9]
    assert round(float((p * (1 - p)).sum()), 2) == 2.05
    assert round(float(m.sum(axis=1).var(ddof=0)), 2) == 3.29
    assert round(analysis.kr20(m), 2) == 0.42
    # α on 0/1 items is KR-20 (Cronbach 1951): the same number, not only the same rounding
    assert close(analysis.cronbach_alpha(m), analysis.kr20(m), 1e-12)


def test_kr20_matches_the_second_published_table():
    m = table(KR20_WUENSCH)
    p = m.mean()
    assert p.round(1).tolist() == [.7, .7, .6, .7, .6, .8, .7, .7, .5, .6]
    assert round(float((p * (1 - p)).sum()), 2) == 2.18
    assert round(float(m.sum(axis=1).var(ddof=0)), 2) == 5.84
    assert close(analysis.kr20(m), 10 / 9 * (1 - 2.18 / 5.84), 1e-9)


def test_alpha_matches_pingouins_documented_example():
    """pingouin's docs: the 'cronbach_alpha' data set gives α = 0.5917 (as R's psych::alpha)."""
    data = pingouin.read_dataset("cronbach_alpha")
    wide = data.pivot(index="Subj", columns="Items", values="Scores")
    assert round(analysis.cronbach_alpha(wide), 4) == 0.5917


def test_alpha_agrees_with_pingouin_on_random_tests():
    rng = np.random.default_rng(16)
    for n, k in [(5, 3), (24, 13), (200, 8)]:
        points = rng.integers(1, 4, size=k)
        m = pd.DataFrame(rng.integers(0, points + 1, size=(n, k)).astype(float))
        expected, _ = pingouin.cronbach_alpha(data=m)
        assert close(analysis.cronbach_alpha(m), float(expected), 1e-9)


# Hand-worked examples ---------------------------------------------------------------------

# Four participants, three items (worked on paper): totals 3, 2, 2, 0.
HAND = pd.DataFrame({"i1": [1, 1, 0, 0], "i2": [1, 0, 1, 0], "i3": [1, 1, 1, 0]},
                    index=["w", "x", "y", "z"], dtype=float)


def test_alpha_by_hand():
    # item variances 1/3, 1/3, 1/4 (sum 11/12); variance of totals 19/12; α = 3/2 (1 − 11/19)
    assert close(analysis.cronbach_alpha(HAND), 12 / 19, 1e-12)
    assert close(analysis.kr20(HAND), 12 / 19, 1e-12)


def test_alpha_is_undefined_where_it_has_no_meaning():
    assert math.isnan(analysis.cronbach_alpha(HAND[["i1"]]))              # one item
    assert math.isnan(analysis.cronbach_alpha(HAND.iloc[:1]))              # one participant
    same = pd.DataFrame({"a": [1.0, 1.0, 1.0], "b": [0.0, 0.0, 0.0]})
    assert math.isnan(analysis.cronbach_alpha(same))                       # no variance
    assert math.isnan(analysis.kr20(HAND * 2))                             # not 0/1 items


def test_item_rest_correlation_by_hand_and_against_scipy():
    totals = HAND.sum(axis=1)
    # i1 = 1 1 0 0, rest = 2 1 2 0: Σdxdy = 0.5, Σdx² = 1, Σdy² = 2.75
    assert close(analysis.item_rest_correlation(HAND["i1"], totals), 0.5 / math.sqrt(2.75), 1e-12)
    for item in HAND.columns:
        expected = pearsonr(HAND[item], totals - HAND[item]).statistic
        assert close(analysis.item_rest_correlation(HAND[item], totals), float(expected), 1e-12)
    # everyone right: no variance, no correlation
    assert math.isnan(analysis.item_rest_correlation(pd.Series([1.0, 1.0, 1.0]),
                                                     pd.Series([3.0, 2.0, 1.0])))


def test_difficulty_by_hand():
    assert analysis.difficulty([2, 1, 0, 2], 2) == 5 / 8
    assert math.isnan(analysis.difficulty([], 2))
    assert math.isnan(analysis.difficulty([1, 1], 0))


def test_kelley_groups_are_27_percent_rounded_half_up():
    assert [analysis.kelley_group_size(n) for n in (1, 2, 4, 10, 24, 50, 150)] == [0, 1, 1, 3, 6, 14, 41]


def test_discrimination_by_hand():
    ids = list("abcdefghij")
    totals = pd.Series([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], index=ids, dtype=float)
    item = pd.Series([1, 1, 0, 1, 0, 1, 0, 0, 1, 0], index=ids, dtype=float)
    # groups of 3: upper a b c (2 of 3 right), lower h i j (1 of 3 right): d = 1/3
    assert close(analysis.discrimination(item, totals, 1), 1 / 3, 1e-12)
    # a two-point item: upper 2 2 1, lower 0 1 0 → (5/3 − 1/3) / 2
    item2 = pd.Series([2, 2, 1, 0, 0, 0, 0, 0, 1, 0], index=ids, dtype=float)
    assert close(analysis.discrimination(item2, totals, 2), 2 / 3, 1e-12)
    assert math.isnan(analysis.discrimination(item.iloc[:1], totals.iloc[:1], 1))


def test_discrimination_does_not_depend_on_row_order_when_totals_tie():
    ids = [f"P{i}" for i in range(10)]
    totals = pd.Series([5, 5, 5, 5, 3, 3, 3, 1, 1, 1], index=ids, dtype=float)
    item = pd.Series([1, 0, 1, 0, 1, 0, 0, 1, 0, 0], index=ids, dtype=float)
    first = analysis.discrimination(item, totals, 1)
    shuffled = list(ids)
    random.Random(3).shuffle(shuffled)
    assert analysis.discrimination(item[shuffled], totals[shuffled], 1) == first


def test_hake_gain_by_hand():
    assert analysis.normalised_gain(40, 70) == 0.5
    assert close(analysis.normalised_gain(50, 40), -0.2, 1e-12)
    assert math.isnan(analysis.normalised_gain(100, 100))          # nothing left to gain
    assert math.isnan(analysis.normalised_gain(NAN, 80))
    # the class gain is the gain of the averages, not the average of the gains
    pre, post = pd.Series([0.0, 50.0]), pd.Series([50.0, 100.0])
    assert close(analysis.class_gain(pre, post), 50 / 75, 1e-12)
    assert close(np.mean([analysis.normalised_gain(a, b) for a, b in zip(pre, post, strict=True)]),
                 0.75, 1e-12)
    assert math.isnan(analysis.class_gain(pd.Series([], dtype=float), pd.Series([], dtype=float)))


def test_hake_bands():
    assert [analysis.gain_band(g) for g in (-0.1, 0.29, 0.3, 0.69, 0.7, 1.0)] == \
        ["rendah", "rendah", "sedang", "sedang", "tinggi", "tinggi"]
    assert analysis.gain_band(NAN) is None


def test_revision_reasons():
    assert analysis.revision_reasons(0.95, 0.5, 0.3) == ["terlalu mudah (p > 0,9)"]
    assert analysis.revision_reasons(0.1, 0.1, -0.2) == [
        "terlalu sulit (p < 0,2)", "daya beda rendah (d < 0,2)", "korelasi butir–sisa negatif"]
    assert analysis.revision_reasons(0.5, 0.4, NAN) == []          # undefined is not a fault


# The demo's ability model ------------------------------------------------------------------

def test_ability_model_puts_pre_below_post_and_spreads_difficulty(answer_keys):
    rng = random.Random(1)
    share = {}
    for aid, shift in (("pre", synthetic.SHIFT_PRE), ("post", synthetic.SHIFT_POST)):
        release, answers = answer_keys[aid]
        right = []
        for _ in range(60):
            nb = synthetic.by_ability(release, answers, aid, synthetic.ability(rng), shift, rng)
            cells = synthetic.answer_cells(nb)
            right.append(np.mean([c["source"] == answers[c["metadata"]["nbgrader"]["grade_id"]]
                                  for c in cells]))
        share[aid] = np.mean(right)
    assert share["pre"] + 0.2 < share["post"], share
    difficulties = [synthetic.difficulty("pre", g) for g in answer_keys["pre"][1]]
    assert np.std(difficulties) > 0.4
    # parallel forms: item 05 of the pre-test is as hard as item 05 of the post-test
    assert synthetic.difficulty("pre", "pre_jawaban_05") == synthetic.difficulty("post", "post_jawaban_05")
    wrong = synthetic.wrong_answer('# Pilih satu\njawaban_01 = ...\njawaban_01 = "c"', rng)
    assert wrong.splitlines()[-1] in {'jawaban_01 = "a"', 'jawaban_01 = "b"', 'jawaban_01 = "d"'}


# On a graded cohort ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def analysed(graded_cohort, tmp_path_factory):
    ws = graded_cohort["ws"]
    return item_analysis.run_analysis([ws], tmp_path_factory.mktemp("analisis"))


def read(path):
    return pd.read_csv(path, encoding="utf-8-sig", dtype={"butir": str, "id_peserta": str})


def test_item_table_matches_an_independent_computation(graded_cohort, analysed):
    """butir.csv and tes.csv against the gradebook read another way, pingouin and scipy."""
    ws = graded_cohort["ws"]
    butir, tes = read(analysed.files["butir"]), read(analysed.files["tes"]).set_index("tugas")
    assert {"tugas", "butir", "poin_maks", "n", "p", "d", "r_it"} <= set(butir.columns)
    assert {"n", "k", "alpha", "rata_rata", "sd"} <= set(tes.columns)
    scores = pd.Series(cell_scores(ws))          # (student, assignment, notebook, cell) → score
    for aid in ("pre", "m03", "post"):
        cells = scores[scores.index.get_level_values(1) == aid]
        matrix = cells.droplevel([1, 2]).unstack()
        matrix = matrix[[c for c in matrix.columns if c in set(butir.loc[butir.tugas == aid, "butir"])]]
        rows = butir[butir.tugas == aid].set_index("butir")
        assert len(rows) == matrix.shape[1] > 0
        assert (rows["n"] == len(matrix)).all()
        alpha = float(pingouin.cronbach_alpha(data=matrix)[0]) if matrix.sum(axis=1).var() > 0 else NAN
        assert close(float(tes.loc[aid, "alpha"]), alpha), aid
        assert tes.loc[aid, "k"] == matrix.shape[1]
        for item in matrix.columns:
            top = float(rows.loc[item, "poin_maks"])
            assert close(rows.loc[item, "p"], matrix[item].mean() / top)
            rest = matrix.sum(axis=1) - matrix[item]
            if matrix[item].std() > 0 and rest.std() > 0:
                assert close(rows.loc[item, "r_it"], pearsonr(matrix[item], rest).statistic)
            else:
                assert math.isnan(rows.loc[item, "r_it"])   # empty in the CSV, not a number


def test_gain_table_and_class_gain_on_the_graded_cohort(graded_cohort, analysed):
    ids = graded_cohort["ids"]
    gains = read(analysed.files["peningkatan"]).set_index("id_peserta")
    # took both tests: complete (0001), blank (0002), complete but waiting (0005); not 0003, 0004
    assert sorted(gains.index) == [ids[0], ids[1], ids[4]]
    scores = submission_scores(graded_cohort["ws"]).set_index(["student", "assignment"])
    for pid in gains.index:
        pre = 100 * scores.loc[(pid, "pre"), "score"] / scores.loc[(pid, "pre"), "max_score"]
        assert close(gains.loc[pid, "tes_awal"], round(pre, 1))
    assert math.isnan(gains.loc[ids[0], "g"])       # 100 on the pre-test: g undefined, left empty
    assert gains.loc[ids[1], "g"] == 0              # 0 → 0
    raw = analysed.files["peningkatan"].read_text(encoding="utf-8-sig")
    assert f"{ids[0]}," in raw and ",nan" not in raw.lower()
    s = analysed.analysis.summary
    assert s["n"] == 3 and close(s["g_kelas"], analysis.class_gain(gains["tes_awal"], gains["tes_akhir"]))
    assert s["n_kecil"]


def test_where_the_class_got_stuck_quotes_the_message_participants_saw(graded_cohort, analysed):
    stuck = read(analysed.files["tersendat"])
    blank = graded_cohort["ids"][1]
    row = stuck[(stuck.tugas == "pre") & (stuck.butir == "pre_tes_01")].iloc[0]
    assert "Jawaban 01 belum diisi" in row["pesan"]
    assert row["peserta"] == 1 and row["dikumpulkan"] == 4      # only the blank notebook failed
    path = next((graded_cohort["ws"].autograded / blank / "pre").glob("*.ipynb"))
    assert row["pesan"] in path.read_text(encoding="utf-8").replace("\\n", "\n")


def test_page_and_workbook_hold_the_report(graded_cohort, analysed):
    page = analysed.html.read_text(encoding="utf-8")
    assert page.count("<svg") == 2                              # charts inline, nothing fetched
    assert not re.search(r"(src|href)=\S*(https?:|//)|<script|<link|<img", page)
    assert "Hake" in page and "Cronbach" in page and "Kelley" in page
    assert "belum dapat dipercaya" in page                      # n is small: said so
    assert 'jawaban_01 = "c"' not in page                      # item texts come from the release
    sheets = pd.read_excel(analysed.files["xlsx"], sheet_name=None)
    assert {"Ringkasan", "Butir", "Tes", "Peningkatan", "Per Provinsi", "Per Jenis Kelamin",
            "Tersendat"} <= set(sheets)
    assert sheets["Butir"].shape[0] == read(analysed.files["butir"]).shape[0]


def test_command_line(graded_cohort, tmp_path):
    ws = graded_cohort["ws"]
    done = CliRunner().invoke(main, ["analisis", str(ws.root), "--out", str(tmp_path / "a")])
    assert done.exit_code == 0, done.output
    assert "Peningkatan kelas ⟨g⟩" in done.output and "Butir yang perlu ditinjau" in done.output
    assert (tmp_path / "a" / "analisis.html").is_file()
    many = CliRunner().invoke(main, ["analisis", str(ws.root), str(ws.root)])
    assert many.exit_code == 2 and "--out" in many.stderr
    stranger = tmp_path / "bukan"
    stranger.mkdir()
    refused = CliRunner().invoke(main, ["analisis", str(stranger)])
    assert refused.exit_code == 2 and "bukan ruang kerja kohort" in refused.stderr


# Two cohorts, one shared participant -------------------------------------------------------

@pytest.fixture(scope="module")
def second_cohort(graded_cohort, tmp_path_factory):
    """Batch B: UJB-0001 (new) and UJI-0001, who is also in batch A and sends blank tests here."""
    from autograder.grading.run import grade
    from autograder.intake.collect import collect

    base = tmp_path_factory.mktemp("kohort-b")
    shared = graded_cohort["ids"][0]
    new, other = synthetic.make_roster(2, prefix="UJB")
    people = [new, dataclasses.replace(other, id_peserta=shared)]
    write_roster(people, base / "peserta.csv")
    ws = init_workspace(base / "kohort", base / "peserta.csv", "Uji Kupang (sintetis)")
    inbox = base / "kiriman"
    answers = graded_cohort["answers"]
    rng = random.Random(5)
    for aid in ("pre", "post"):
        release = synthetic.load(ws.release_notebooks(aid)[0])
        synthetic.dump(synthetic.partly(release, answers[aid], 0.5, rng),
                       inbox / new.id_peserta / f"{aid}.ipynb")
        synthetic.dump(release, inbox / shared / f"{aid}.ipynb")
    collect(ws, None, [inbox])
    grade(ws, ["pre", "post"], jobs=2)
    return ws


def test_pooled_analysis_counts_a_shared_participant_once(graded_cohort, second_cohort, tmp_path):
    a_ws, shared = graded_cohort["ws"], graded_cohort["ids"][0]
    done = CliRunner().invoke(main, ["analisis", str(a_ws.root), str(second_cohort.root),
                                     "--out", str(tmp_path / "nasional")])
    assert done.exit_code == 0, done.output + done.stderr
    assert shared in done.stderr and "dihitung sekali" in done.stderr
    butir = read(tmp_path / "nasional" / "butir.csv")
    # batch A: four took the pre-test; batch B adds UJB-0001 only, not UJI-0001 a second time
    assert set(butir.loc[butir.tugas == "pre", "n"]) == {5}
    gains = read(tmp_path / "nasional" / "peningkatan.csv").set_index("id_peserta")
    assert list(gains.index).count(shared) == 1
    assert gains.loc[shared, "angkatan"] == a_ws.name and gains.loc[shared, "tes_awal"] == 100
    sheets = pd.read_excel(tmp_path / "nasional" / "analisis.xlsx", sheet_name=None)
    dup = sheets["ID Ganda"]
    assert dup["id_peserta"].tolist() == [shared] and dup["dihitung_di"].tolist() == [a_ws.name]
    assert set(sheets["Per Angkatan"]["angkatan"]) == {a_ws.name, second_cohort.name}
    page = (tmp_path / "nasional" / "analisis.html").read_text(encoding="utf-8")
    assert "Per Provinsi" in page and "Per Jenis Perpustakaan" in page and "Per Jenis Kelamin" in page
    # the other order: the shared id is counted in batch B, with its blank tests
    reverse = item_analysis.run_analysis([second_cohort, a_ws], tmp_path / "terbalik")
    g = reverse.analysis.gains.set_index("id_peserta")
    assert g.loc[shared, "angkatan"] == second_cohort.name and g.loc[shared, "tes_awal"] == 0


# In Chromium -------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.skipif(not records.pdf_available(),
                    reason="perlu Chromium (paket Debian chromium) dan Playwright")
def test_page_in_chromium(graded_cohort, second_cohort, tmp_path):
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    result = item_analysis.run_analysis([graded_cohort["ws"], second_cohort], tmp_path / "n")
    shots = Path(__file__).parent / "screenshots"
    shots.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=records.chromium_path(), args=records.BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        requested = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(result.html.as_uri())
        assert page.get_by_role("heading", name="Analisis butir dan peningkatan belajar").is_visible()
        assert page.get_by_role("img", name="Nilai tes awal dan tes akhir setiap peserta").is_visible()
        assert page.get_by_role("img", name="Sebaran butir menurut tingkat kemudahan dan daya beda"
                                ).is_visible()
        assert page.locator(".card .big").first.inner_text() == number(result.analysis.summary["g_kelas"])
        page.screenshot(path=str(shots / "analisis-halaman.png"), full_page=True)
        browser.close()
    assert requested == [result.html.as_uri()]          # nothing loaded from anywhere else


def test_files_never_hold_a_formula_and_leave_undefined_cells_empty(course, tmp_path):
    """Built from tables alone: a check message that looks like a formula, an item nobody missed."""
    people = pd.DataFrame({"id_peserta": ["X-1", "X-2", "X-3"], "angkatan": "Uji", "provinsi": "Bali",
                           "jenis_perpustakaan": "Lainnya", "jenis_kelamin": "Perempuan"})
    items = pd.DataFrame([(s, "pre", "pre", item, 1.0, score)
                          for s, a, b in [("X-1", 1, 1), ("X-2", 1, 0), ("X-3", 1, 1)]
                          for item, score in (("pre_tes_01", a), ("pre_tes_02", b))],
                         columns=["student", "assignment", "notebook", "item", "max_score", "score"])
    checks = pd.DataFrame([("X-2", "post", "post", "post_tes_01", "=HYPERLINK(\"x\")")],
                          columns=["student", "assignment", "notebook", "item", "message"])
    cohort = item_analysis.CohortData(
        name="Uji", course=course, participants=people,
        submissions=pd.DataFrame(columns=["student", "assignment", "score", "max_score"]),
        items=items, texts=pd.DataFrame(columns=["assignment", "notebook", "item", "position", "title",
                                                 "text"]),
        checks=checks)
    result = item_analysis.write_analysis(item_analysis.analyse([cohort]), tmp_path)
    butir = result.files["butir"].read_text(encoding="utf-8-sig").splitlines()
    first = next(line for line in butir if line.startswith("pre,pre_tes_01,"))
    assert ",1.0,0.0," in first and first.split(",")[7] == ""     # p = 1, d = 0, r_it empty
    assert "'=HYPERLINK" in result.files["tersendat"].read_text(encoding="utf-8-sig")
    import openpyxl

    sheet = openpyxl.load_workbook(result.files["xlsx"])["Tersendat"]
    cell = sheet.cell(row=2, column=4)
    assert cell.value == "=HYPERLINK(\"x\")" and cell.data_type == "s"   # a string, not a formula
    assert result.analysis.gains.empty and math.isnan(result.analysis.summary["g_kelas"])
