"""Tests for coursekit.pelibatan: participation figures and the activity planner."""

import pandas as pd
import pytest

from coursekit import baca_data, pelibatan

KECIL = pd.DataFrame({
    "peserta_l": [5, 3], "peserta_p": [15, 7],
    "peserta_anak": [10, 0], "peserta_remaja": [4, 2],
    "peserta_dewasa": [6, 6], "peserta_lansia": [0, 2],
})


def test_total_jenis_kelamin_on_known_table():
    assert pelibatan.total_jenis_kelamin(KECIL) == {"L": 8, "P": 22, "persen_perempuan": 73.33}


def test_total_kelompok_umur_on_known_table():
    umur = pelibatan.total_kelompok_umur(KECIL)
    assert list(umur.index) == ["anak", "remaja", "dewasa", "lansia"]
    assert list(umur.values) == [10, 6, 12, 2]


def test_course_data_is_consistent():
    kegiatan = baca_data("kegiatan_pelibatan.csv")
    jk = pelibatan.total_jenis_kelamin(kegiatan)
    assert pelibatan.total_kelompok_umur(kegiatan).sum() == jk["L"] + jk["P"]
    per_baris = kegiatan[["peserta_anak", "peserta_remaja", "peserta_dewasa",
                          "peserta_lansia"]].sum(axis=1)
    assert (per_baris == kegiatan["peserta_l"] + kegiatan["peserta_p"]).all()
    assert (kegiatan["peserta_disabilitas"] <= per_baris).all()
    assert pd.to_datetime(kegiatan["tanggal"]).dt.year.eq(2024).all()


def test_survey_has_one_clear_top_need():
    survei = baca_data("survei_kebutuhan.csv")
    hitung = survei["kebutuhan_utama"].value_counts()
    assert hitung.iloc[0] > hitung.iloc[1]
    assert survei["skor_minat"].between(1, 5).all()


def test_grafik_partisipasi_labels_bars():
    fig = pelibatan.grafik_partisipasi(KECIL)
    kiri, kanan = fig.axes
    assert [t.get_text() for t in kiri.texts] == ["8", "22"]
    assert "kelompok umur" in kanan.get_title()
    assert kanan.get_xlabel() == "Jumlah peserta (orang)"


def test_rencana_kegiatan_reads_as_one_line():
    teks = pelibatan.rencana_kegiatan("literasi digital", "remaja", "Karang Taruna",
                                      "setiap Sabtu, Juli 2025")
    assert teks.startswith("Kelas literasi digital untuk remaja bersama Karang Taruna")
    assert "setiap Sabtu, Juli 2025" in teks and "\n" not in teks


def test_rencana_kegiatan_names_missing_parts():
    with pytest.raises(ValueError, match="mitra, jadwal"):
        pelibatan.rencana_kegiatan("literasi digital", "remaja", "", "  ")


def test_saran_inklusi_has_group_tip_first():
    saran = pelibatan.saran_inklusi("lansia")
    assert "huruf besar" in saran[0]
    assert len(pelibatan.saran_inklusi("kelompok lain")) == len(saran) - 1


def test_widget_builds_plan_after_click():
    w = pelibatan.PerencanaKegiatan()
    w.kebutuhan.value = "informasi UMKM"
    w.sasaran.value = "perempuan"
    w.mitra.value = "BUMDes"
    w.jadwal.value = "setiap Kamis sore, Agustus 2025"
    w.tombol.click()
    assert "Klinik pemasaran daring UMKM untuk perempuan bersama BUMDes" in w.hasil.value
    assert "pojok bermain anak" in w.hasil.value


def test_widget_asks_for_missing_parts():
    w = pelibatan.PerencanaKegiatan()
    w.kebutuhan.value = "literasi digital"
    w.tombol.click()
    assert "Lengkapi dulu: sasaran, mitra, jadwal" in w.hasil.value
