"""Tests for coursekit.monev: KPI achievement, colour bands, the KPI board widget."""

import matplotlib
import pandas as pd
import pytest

from coursekit import baca_data, monev

matplotlib.use("Agg")


@pytest.fixture
def kpi_kecil():
    return pd.DataFrame({
        "indikator": ["kunjungan", "anggota baru", "unggahan"],
        "target": [1000, 200, 40],
        "capaian": [1000, 150, 29],
    })


def test_persen_capaian_rounds_to_one_decimal():
    assert monev.persen_capaian(357, 480) == 74.4
    assert monev.persen_capaian(12480, 12000) == 104.0
    with pytest.raises(ValueError):
        monev.persen_capaian(5, 0)


def test_tabel_kpi_bands_follow_course_convention(kpi_kecil):
    tabel = monev.tabel_kpi(kpi_kecil)
    assert list(tabel["persen"]) == [100.0, 75.0, 72.5]
    assert list(tabel["warna"]) == ["hijau", "kuning", "merah"]
    assert "persen" not in kpi_kecil.columns  # the input is not changed


def test_hitung_warna_lists_all_bands(kpi_kecil):
    tabel = monev.tabel_kpi(kpi_kecil.iloc[:1])
    assert monev.hitung_warna(tabel) == {"hijau": 1, "kuning": 0, "merah": 0}


def test_dataset_year_totals_and_bands():
    tahunan = monev.tabel_kpi(monev.rekap_tahunan(baca_data("capaian_kpi.csv")))
    assert len(tahunan) == 7
    baris = tahunan.set_index("indikator")
    assert baris.loc["jumlah kunjungan", "capaian"] == 12480
    assert baris.loc["pertemuan advokasi", "warna"] == "kuning"  # exactly 75 %
    assert baris.loc["peserta kegiatan perempuan", "warna"] == "merah"  # 74,4 %
    assert monev.hitung_warna(tahunan) == {"hijau": 2, "kuning": 3, "merah": 2}
    assert monev.paling_perlu_perhatian(tahunan) == "unggahan publikasi"


def test_log_counts_per_category():
    jumlah = monev.hitung_per_kategori(baca_data("log_kegiatan_monev.csv"))
    assert jumlah.to_dict() == {
        "publikasi": 56, "pelibatan masyarakat": 26, "peningkatan layanan": 10, "advokasi": 6,
    }


def test_format_angka_indonesian_style():
    assert monev.format_angka(12480) == "12.480"
    assert monev.format_angka(74.4) == "74,4"
    assert monev.format_angka(1234.5) == "1.234,5"


def test_html_papan_names_each_band(kpi_kecil):
    teks = monev.html_papan(monev.tabel_kpi(kpi_kecil))
    for kata in ("● hijau", "▲ kuning", "■ merah", "72,5%", "Ringkasan"):
        assert kata in teks


def test_papan_updates_colour_when_capaian_changes(kpi_kecil):
    papan = monev.PapanKPI(kpi_kecil)
    assert "<b>■ merah</b>" in papan.papan.value
    papan.isian["unggahan"].value = 40
    assert "<b>■ merah</b>" not in papan.papan.value
    assert papan.tabel().set_index("indikator").loc["unggahan", "warna"] == "hijau"
    papan.isian["kunjungan"].value = 500
    assert "50%" in papan.papan.value
    assert "merah: 1" in papan.papan.value


def test_grafik_capaian_labels_every_bar(kpi_kecil):
    ax = monev.grafik_capaian(monev.tabel_kpi(kpi_kecil))
    label = [t.get_text() for t in ax.texts]
    assert "72,5% (merah)" in label and "100% (hijau)" in label
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
