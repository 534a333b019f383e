"""What the course teaches and grades matches ../shared/FACTS.md."""

import json
import re

import pytest

from autograder import manifest
from coursekit import indikator

FACTS = manifest.REPO_ROOT.parent / "shared" / "FACTS.md"
pytestmark = pytest.mark.skipif(not FACTS.is_file(), reason="../shared/FACTS.md tidak ada")


def facts_text() -> str:
    return FACTS.read_text(encoding="utf-8")


def series(label: str) -> dict[int, float]:
    """'National IPLM: 2019 48.17 · 2020 61.55 ·⏎ 2023 69.42 ...' → {2019: 48.17, ...}."""
    lines = facts_text().splitlines()
    start = next(i for i, line in enumerate(lines) if label in line)
    text = " ".join(lines[start:start + 2])  # a series wraps onto the next line
    return {int(y): float(v) for y, v in re.findall(r"(20\d\d) (\d+\.\d+)", text)}


def test_national_series_are_those_of_facts():
    assert indikator.IPLM_NASIONAL == series("National IPLM:")
    assert indikator.TGM_NASIONAL == series("National TGM:")


def test_formulas_on_known_inputs():
    # TGM = 0.3·FM + 0.3·DM + 0.3·JB + 0.05·FAI + 0.05·DAI
    assert indikator.tgm(62, 55, 48, 70, 66) == pytest.approx(0.3 * 165 + 0.05 * 136)
    assert indikator.tgm(100, 100, 100, 100, 100) == 100
    assert [indikator.rentang_tgm(v) for v in (20, 20.1, 60, 60.1, 100)] == \
        ["0–20", "20,1–40", "40,1–60", "60,1–80", "80,1–100"]
    # IPLM bands: 0–29.9 sangat rendah; 30–49.9 rendah; 50–79.9 sedang; 80–89.9 tinggi; 90–100
    cases = {0: "sangat rendah", 29.9: "sangat rendah", 30: "rendah", 49.9: "rendah",
             50: "sedang", 64.48: "sedang", 79.9: "sedang", 80: "tinggi", 89.9: "tinggi",
             90: "sangat tinggi", 100: "sangat tinggi"}
    assert {v: indikator.kategori_iplm(v) for v in cases} == cases
    for band in set(cases.values()):
        assert band in facts_text()
    # IPLM = (Σ UPLM / 7) × 100; UPLM6 = participants / population × 100 %
    assert indikator.iplm([0.5] * 7) == 50
    assert indikator.uplm_keterlibatan(1_500, 60_000) == 2.5
    assert len(indikator.UNSUR_UPLM) == 7
    for element in indikator.UNSUR_UPLM:
        assert element in facts_text()


def test_kpi_colours_are_the_course_convention():
    assert [indikator.warna_kpi(c, 100) for c in (120, 100, 80, 75, 74)] == \
        ["hijau", "hijau", "kuning", "kuning", "merah"]
    assert "hijau / kuning / merah" in facts_text()


def indonesian(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def test_national_figures_quoted_in_lessons_are_in_facts():
    """Any national IPLM or TGM figure a lesson writes (Indonesian style) is a FACTS figure."""
    known = {indonesian(v) for v in (*indikator.IPLM_NASIONAL.values(),
                                     *indikator.TGM_NASIONAL.values())}
    known.add("68,19")  # the other 2023 IPLM figure FACTS records
    quoted = set()
    for module in manifest.load_course().modules:
        if not module.lesson:
            continue
        nb = json.loads((manifest.COURSE_DIR / module.lesson).read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            if cell["cell_type"] == "markdown" and re.search(r"IPLM|TGM", text) \
                    and re.search(r"nasional", text, re.I):
                quoted |= set(re.findall(r"\b\d{2},\d{2}\b", text))
    assert quoted, "no lesson quotes a national figure"
    assert quoted <= known, sorted(quoted - known)


def test_programme_scale_figures_are_those_of_facts():
    lesson = (manifest.COURSE_DIR / "lessons" / "m01_literasi_tpbis.ipynb").read_text(encoding="utf-8")
    for figure in ("1.238", "136", "96", "34"):
        assert figure in lesson
