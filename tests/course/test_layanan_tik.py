"""Module 2 helpers: SNP check for village libraries, ratios, and the m02 data sets."""

import pandas as pd
import pytest

from coursekit import baca_data
from coursekit.data import keterangan_data
from coursekit.layanan_tik import (
    PeriksaSNPDesa,
    cek_snp_desa,
    pengunjung_per_komputer,
    persen_koleksi_baru,
    ringkasan_snp,
)

MEMENUHI = dict(jumlah_judul=1000, luas_gedung_m2=56, jam_buka_per_hari=6, jumlah_tenaga=2,
                kepala_slta=True, kepala_pelatihan=True, persen_koleksi_baru=10)


def test_library_at_every_minimum_meets_all_six_criteria():
    hasil = cek_snp_desa(**MEMENUHI)
    assert len(hasil) == 6
    assert all(h.terpenuhi for h in hasil)
    assert ringkasan_snp(hasil).startswith("6 dari 6 kriteria terpenuhi")


@pytest.mark.parametrize(
    "ubah, kata",
    [
        ({"jumlah_judul": 999}, "1.000 judul"),
        ({"luas_gedung_m2": 55.5}, "56 m²"),
        ({"jam_buka_per_hari": 5}, "6 jam"),
        ({"jumlah_tenaga": 1}, "2 tenaga"),
        ({"kepala_pelatihan": False}, "pelatihan"),
        ({"kepala_slta": False}, "slta"),
        ({"persen_koleksi_baru": 9.9}, "5 tahun"),
    ],
)
def test_one_figure_below_its_minimum_fails_only_that_criterion(ubah, kata):
    hasil = cek_snp_desa(**{**MEMENUHI, **ubah})
    belum = [h for h in hasil if not h.terpenuhi]
    assert len(belum) == 1
    assert kata.lower() in belum[0].kriteria.lower()
    ringkas = ringkasan_snp(hasil)
    assert ringkas.startswith("5 dari 6") and kata.lower() in ringkas.lower()


def test_text_instead_of_number_gives_an_indonesian_message():
    with pytest.raises(ValueError, match="harus berupa angka"):
        cek_snp_desa(**{**MEMENUHI, "jumlah_judul": "seribu"})


def test_visitors_per_computer():
    assert pengunjung_per_komputer(2400, 12) == 200.0
    assert pengunjung_per_komputer(1000, 3) == 333.3
    with pytest.raises(ValueError, match="komputer 0"):
        pengunjung_per_komputer(1000, 0)


def test_share_of_recent_titles_counts_missing_years_as_not_recent():
    tahun = pd.Series([2024, 2020, 2019, None, 2010])
    # 2020-2024 are the five years up to 2024: two of five titles
    assert persen_koleksi_baru(tahun, 2024) == 40.0
    assert persen_koleksi_baru(tahun, 2025) == 20.0  # 2021-2025: only 2024


def test_widget_shows_the_checklist_after_a_click():
    w = PeriksaSNPDesa()
    w.judul.value = 1200
    w.luas.value = 60
    w.jam.value = 7
    w.tenaga.value = 2
    w.slta.value = True
    w.pelatihan.value = True
    w.baru.value = 15
    w.tombol.click()
    assert "6 dari 6 kriteria terpenuhi" in w.hasil.value
    w.luas.value = 40
    w.tombol.click()
    assert "5 dari 6 kriteria terpenuhi" in w.hasil.value
    assert "✘ belum: Gedung paling sedikit 56 m²" in w.hasil.value


@pytest.mark.parametrize("nama", ["inventaris_tik.csv", "katalog_ekspor.csv"])
def test_data_sets_say_they_are_synthetic(nama):
    assert "Data sintetis" in keterangan_data(nama)


def test_inventory_has_counts_and_known_conditions():
    inv = baca_data("inventaris_tik.csv")
    assert set(inv["kondisi"]) <= {"baik", "rusak ringan", "rusak berat"}
    assert set(inv["jenis_perpustakaan"]) == {"kabupaten", "desa"}
    assert (inv["jumlah"] > 0).all()
    kab = inv[(inv["jenis_perpustakaan"] == "kabupaten") & (inv["perangkat"] == "komputer PC")
              & (inv["pengguna"] == "pengunjung") & (inv["kondisi"] == "baik")]
    assert kab["jumlah"].sum() > 0


def test_catalogue_export_is_messy_until_cleaned():
    kat = baca_data("katalog_ekspor.csv")
    # messy: stray spaces, mixed case, duplicates hidden by the mess
    assert kat["judul"].str.startswith(" ").any()
    assert not kat.duplicated().any() or kat.duplicated().sum() < 12
    bersih = kat.copy()
    for kolom in ["judul", "pengarang", "penerbit"]:
        bersih[kolom] = bersih[kolom].str.strip().str.title()
    bersih["tahun_terbit"] = pd.to_numeric(
        bersih["tahun_terbit"].str.extract(r"(\d{4})")[0], errors="coerce")
    assert bersih.duplicated().sum() == 12
    assert bersih["tahun_terbit"].isna().sum() >= 3
    assert bersih["tahun_terbit"].dropna().between(2000, 2024).all()


def test_ratio_accepts_numbers_from_a_pandas_sum():
    inv = baca_data("inventaris_tik.csv")
    komputer = inv[inv["perangkat"] == "komputer PC"]["jumlah"].sum()  # a numpy integer
    assert pengunjung_per_komputer(komputer * 10, komputer) == 10.0


def test_tidy_column_check_says_which_step_is_left():
    from coursekit.layanan_tik import periksa_kolom_rapi

    katalog = baca_data("katalog_ekspor.csv")
    bersih = katalog.copy()
    bersih["judul"] = katalog["judul"].str.strip().str.title()
    bersih["pengarang"] = ...
    with pytest.raises(AssertionError, match=r"Langkah 2 \(kolom pengarang\) belum diisi"):
        periksa_kolom_rapi(bersih, ["judul", "pengarang"])
    bersih["pengarang"] = katalog["pengarang"].str.strip()
    with pytest.raises(AssertionError, match="str.title"):
        periksa_kolom_rapi(bersih, ["judul", "pengarang"])
    bersih["pengarang"] = katalog["pengarang"].str.title()
    with pytest.raises(AssertionError, match="str.strip"):
        periksa_kolom_rapi(bersih, ["judul", "pengarang"])
    bersih["pengarang"] = katalog["pengarang"].str.strip().str.title()
    periksa_kolom_rapi(bersih, ["judul", "pengarang"])
