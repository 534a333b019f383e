"""Exports staff can forward as they are: safe text, right sheets, one record per person."""

import csv
import shutil
import subprocess
from dataclasses import replace

import openpyxl
import pandas as pd
import pytest

from autograder.cohort.roster import write_roster
from autograder.cohort.workspace import Workspace
from autograder.reports import completion, records
from autograder.reports.export import export, merge

TRICKY = {
    "nama": ['=HYPERLINK("http://contoh.invalid","klik")', "+62 812 0000", "-Budi", "@Ani Lestari"],
    "instansi": ['Perpustakaan "Cahaya", Desa Sukamaju\nJalan Raya 1', "=1+1", "Dinas; Perpus", "A,B"],
}


@pytest.fixture
def tricky_cohort(fresh_cohort):
    people = fresh_cohort.participants
    changed = [replace(p, nama=TRICKY["nama"][i], instansi=TRICKY["instansi"][i])
               for i, p in enumerate(people[:4])] + list(people[4:])
    write_roster(changed, fresh_cohort.root / "roster.csv")
    return Workspace(fresh_cohort.root), changed


def test_formula_text_never_becomes_a_formula_and_fields_survive(tricky_cohort, tmp_path):
    ws, people = tricky_cohort
    result = export(ws, tmp_path / "ekspor")
    with result.csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["Nama"] for r in rows[:4]] == ["'" + n for n in TRICKY["nama"]]
    assert rows[0]["Instansi"] == TRICKY["instansi"][0]  # quotes, comma, newline intact
    assert rows[1]["Instansi"] == "'=1+1"
    assert rows[2]["Instansi"] == "Dinas; Perpus"
    book = openpyxl.load_workbook(result.xlsx)
    sheet = book["Daftar Kelulusan"]
    header = [c.value for c in sheet[1]]
    name_col = header.index("Nama") + 1
    for i, name in enumerate(TRICKY["nama"], start=2):
        cell = sheet.cell(row=i, column=name_col)
        assert cell.value == name and cell.data_type == "s"
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    code_col = header.index("Kode Wilayah") + 1
    assert sheet.cell(row=2, column=code_col).value == people[0].kode_wilayah  # text, not 13.71 → 13.7


def test_workbook_has_the_summaries_staff_report(fresh_cohort, tmp_path):
    result = export(fresh_cohort, tmp_path / "ekspor")
    sheets = pd.read_excel(result.xlsx, sheet_name=None, dtype={"Kode Wilayah": str})
    assert list(sheets) == ["Daftar Kelulusan", "Per Provinsi", "Per Kabupaten-Kota",
                            "Per Jenis Perpustakaan", "Per Jenis Kelamin", "Grafik"]
    listing = sheets["Daftar Kelulusan"]
    assert len(listing) == len(fresh_cohort.participants)
    for column in ("ID Peserta", "Nama", "Jenis Kelamin", "Provinsi", "Status", "Alasan",
                   "Tes Awal (%)", "Tes Akhir (%)", "Peningkatan", "Nilai Akhir", "JP Diselesaikan"):
        assert column in listing.columns
    by_province = sheets["Per Provinsi"].set_index("Provinsi")
    expected = listing["Provinsi"].value_counts()
    for province, count in expected.items():
        assert by_province.loc[province, "Jumlah Peserta"] == count
    assert by_province.loc["Jumlah", "Jumlah Peserta"] == len(listing)
    assert by_province.loc["Jumlah", completion.BELUM_LULUS] == len(listing)  # nobody submitted anything
    assert set(sheets["Per Jenis Kelamin"]["Jenis Kelamin"]) <= {"Laki-laki", "Perempuan", "Jumlah"}
    assert result.chart.stat().st_size > 5000


def test_one_record_per_participant_with_only_their_data(fresh_cohort, tmp_path):
    result = export(fresh_cohort, tmp_path / "ekspor")
    people = fresh_cohort.participants
    assert sorted(p.name for p in result.records) == sorted(f"{p.id_peserta}.html" for p in people)
    page = (result.folder / "rekam" / f"{people[0].id_peserta}.html").read_text(encoding="utf-8")
    assert people[0].nama in page and "Belum lulus" in page and "Belum mengumpulkan" in page
    assert all(p.nama not in page and p.id_peserta not in page for p in people[1:])


def test_record_exporter_is_registered_the_nbconvert_way():
    from nbconvert.exporters import get_exporter

    assert get_exporter("spptik_record") is records.CompletionRecordExporter


@pytest.mark.skipif(not records.pdf_available() or shutil.which("tesseract") is None,
                    reason="perlu Chromium (paket Debian chromium) dan tesseract-ocr")
def test_record_rendered_to_png_shows_name_and_status(fresh_cohort, tmp_path):
    from playwright.sync_api import sync_playwright

    result = export(fresh_cohort, tmp_path / "ekspor", pdf=True)
    person = fresh_cohort.participants[0]
    html = result.folder / "rekam" / f"{person.id_peserta}.html"
    assert html.with_suffix(".pdf").stat().st_size > 1000
    png = tmp_path / "rekam.png"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=records.chromium_path(),
                                     args=records.BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 900, "height": 1200})
        page.goto(html.as_uri())
        page.screenshot(path=str(png), full_page=True)
        browser.close()
    text = subprocess.run(["tesseract", str(png), "-", "--psm", "3"], capture_output=True,
                          text=True, check=True).stdout
    assert person.nama in text
    assert "Belum lulus" in text
    assert "Rekam Kelulusan Peserta" in text


def test_merge_keeps_both_rows_of_an_id_seen_in_two_batches(fresh_cohort, cohort_template, tmp_path):
    other_root = tmp_path / "kohort-2"
    shutil.copytree(cohort_template, other_root)
    (other_root / "kohort.toml").write_text(
        (other_root / "kohort.toml").read_text().replace("Templat uji (sintetis)", "Angkatan dua"))
    other = Workspace(other_root)
    result = merge([fresh_cohort, other], tmp_path / "nasional")
    n = len(fresh_cohort.participants)
    assert len(result.table) == 2 * n
    assert len(result.duplicates) == 2 * n
    assert result.table["Catatan"].str.startswith("ID peserta ganda").all()
    sheets = pd.read_excel(result.xlsx, sheet_name=None)
    assert "ID Ganda" in sheets and "Per Angkatan" in sheets
    assert set(sheets["Per Angkatan"]["Angkatan"]) == {"Templat uji (sintetis)", "Angkatan dua",
                                                        "Jumlah"}


def test_merged_list_has_each_column_once(fresh_cohort, tmp_path):
    result = merge([fresh_cohort], tmp_path / "nasional")
    assert not result.table.columns.duplicated().any()


def test_a_failed_write_leaves_no_half_written_file(tmp_path):
    from autograder.files import write_atomic

    target = tmp_path / "daftar_kelulusan.csv"
    target.write_text("versi lama yang utuh\n", encoding="utf-8")

    def half_then_fail(tmp):
        tmp.write_text("No,ID Peserta\n1,", encoding="utf-8")
        raise OSError("disk penuh")

    with pytest.raises(OSError):
        write_atomic(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "versi lama yang utuh\n"
    assert [p.name for p in tmp_path.iterdir()] == ["daftar_kelulusan.csv"]
