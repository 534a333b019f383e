"""What the course teaches and grades matches course/SUMBER.md, the course's page of sources.

SUMBER.md ships with the repository, so these tests run from a fresh clone. Where the
project's fact notes (../shared/FACTS.md) are present too, one more test checks that
SUMBER.md still says what they say.
"""

import json
import re

import pytest

from autograder.course import manifest
from coursekit import indikator

SUMBER = manifest.COURSE_DIR / "SUMBER.md"
FACTS = manifest.REPO_ROOT.parent / "shared" / "FACTS.md"


def sumber_text() -> str:
    return SUMBER.read_text(encoding="utf-8")


def number(cell: str) -> float | None:
    """The first number of a table cell written the Indonesian way ('69,42 (laporan lain…)')."""
    found = re.search(r"\d+,\d+", cell)
    return float(found.group().replace(",", ".")) if found else None


def national_table() -> dict[str, dict[int, float]]:
    """SUMBER.md's table 'Tahun | IPLM nasional | TGM nasional' as {"IPLM": {2019: 48.17}, ...}."""
    series = {"IPLM": {}, "TGM": {}}
    for line in sumber_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and re.fullmatch(r"20\d\d", cells[0]):
            for name, cell in zip(("IPLM", "TGM"), cells[1:], strict=True):
                if number(cell) is not None:
                    series[name][int(cells[0])] = number(cell)
    return series


def test_sumber_is_in_the_repository_and_cited_by_lessons():
    assert SUMBER.is_file()
    citing = [m.lesson for m in manifest.load_course().modules
              if m.lesson and "SUMBER.md" in (manifest.COURSE_DIR / m.lesson).read_text("utf-8")]
    assert citing, "no lesson points participants to SUMBER.md"


def test_national_series_are_those_of_sumber():
    table = national_table()
    assert indikator.IPLM_NASIONAL == table["IPLM"]
    assert indikator.TGM_NASIONAL == table["TGM"]
    assert "68,19" in sumber_text()  # the other 2023 IPLM figure, said where it is used


def test_formulas_on_known_inputs():
    text = sumber_text()
    # TGM = 0,3·FM + 0,3·DM + 0,3·JB + 0,05·FAI + 0,05·DAI
    assert "0,3·FM + 0,3·DM + 0,3·JB + 0,05·FAI + 0,05·DAI" in text
    assert indikator.tgm(62, 55, 48, 70, 66) == pytest.approx(0.3 * 165 + 0.05 * 136)
    assert indikator.tgm(100, 100, 100, 100, 100) == 100
    bands = ["0–20", "20,1–40", "40,1–60", "60,1–80", "80,1–100"]
    assert [indikator.rentang_tgm(v) for v in (20, 20.1, 60, 60.1, 100)] == bands
    assert ", ".join(bands) in text
    # IPLM bands: 0–29,9 sangat rendah; 30–49,9 rendah; 50–79,9 sedang; 80–89,9 tinggi; 90–100
    cases = {0: "sangat rendah", 29.9: "sangat rendah", 30: "rendah", 49.9: "rendah",
             50: "sedang", 64.48: "sedang", 79.9: "sedang", 80: "tinggi", 89.9: "tinggi",
             90: "sangat tinggi", 100: "sangat tinggi"}
    assert {v: indikator.kategori_iplm(v) for v in cases} == cases
    assert ("0–29,9 sangat rendah; 30–49,9 rendah; 50–79,9 sedang; 80–89,9 tinggi;\n"
            "90–100 sangat tinggi") in text
    # IPLM = (Σ UPLM / 7) × 100; UPLM6 = participants / population × 100%
    assert "IPLM = (Σ UPLM / 7) × 100" in text
    assert indikator.iplm([0.5] * 7) == 50
    assert indikator.uplm_keterlibatan(1_500, 60_000) == 2.5
    assert len(indikator.UNSUR_UPLM) == 7
    listed = re.findall(r"^\d\. (.+)$", text, re.M)
    assert listed == indikator.UNSUR_UPLM


def test_kpi_colours_are_the_course_convention_and_said_so():
    assert [indikator.warna_kpi(c, 100) for c in (120, 100, 80, 75, 74)] == \
        ["hijau", "hijau", "kuning", "kuning", "merah"]
    text = sumber_text()
    assert "hijau / kuning / merah" in text
    konvensi = text.split("## 6. Konvensi kursus")[1]
    assert "≥ 100% target = hijau; ≥ 75% = kuning; di bawah 75% = merah" in konvensi
    assert "tidak kami temukan dalam sumber publik" in konvensi


def indonesian(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def test_national_figures_quoted_in_lessons_are_in_sumber():
    """Any national IPLM or TGM figure a lesson writes (Indonesian style) is in SUMBER.md."""
    table = national_table()
    known = {indonesian(v) for series in table.values() for v in series.values()}
    known |= set(re.findall(r"\b\d{2},\d{2}\b", sumber_text().split("Angka nasional")[1]))
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


def test_programme_scale_figures_are_those_of_sumber():
    lesson = (manifest.COURSE_DIR / "lessons" / "m01_literasi_tpbis.ipynb").read_text(encoding="utf-8")
    text = sumber_text()
    for figure in ("1.238", "136", "96", "34"):
        assert figure in lesson
        assert figure in text
    assert "Padang, 10–14 Mei 2022" in text


def test_every_named_source_is_a_source_of_facts():
    """The sources SUMBER.md names are the ones the fact notes record, not new ones."""
    text = sumber_text()
    for source in ("Klikpositif, Mei 2022", "Perpustakaan Daerah Kabupaten Kebumen",
                   "Peraturan Kepala Perpusnas No. 6 Tahun 2017", "pedoman perhitungan IPLM 2021",
                   "Kepmendagri No. 300.2.2-2138 Tahun 2025", "pemberitaan, Mei 2023"):
        assert source in text


@pytest.mark.skipif(not FACTS.is_file(), reason="../shared/FACTS.md (catatan fakta proyek) tidak ada")
def test_sumber_agrees_with_the_project_fact_notes():
    facts = FACTS.read_text(encoding="utf-8")

    def series(label: str) -> dict[int, float]:
        lines = facts.splitlines()
        start = next(i for i, line in enumerate(lines) if label in line)
        joined = " ".join(lines[start:start + 2])  # a series wraps onto the next line
        return {int(y): float(v) for y, v in re.findall(r"(20\d\d) (\d+\.\d+)", joined)}

    table = national_table()
    assert table["IPLM"] == series("National IPLM:")
    assert table["TGM"] == series("National TGM:")
    for element in indikator.UNSUR_UPLM:
        assert element in facts
    for token in ("Klikpositif", "Kebumen", "6/2017", "300.2.2-2138/2025", "2021 guideline",
                  "May 2023", "1,238", "PerpuSeru", "RPJMN 2020–2024", "68.19"):
        assert token in facts, token
