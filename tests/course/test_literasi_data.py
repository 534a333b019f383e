"""Module 3 helpers: TGM calculator, IPLM classifier, and the m03 data sets."""

import pytest

from coursekit import baca_data
from coursekit.data import keterangan_data
from coursekit.literasi_data import (
    KalkulatorTGM,
    PenggolongIPLM,
    angka_id,
    teks_iplm,
    teks_tgm,
    uraian_tgm,
)


def test_tgm_breakdown_adds_up_and_names_the_band():
    u = uraian_tgm(62, 55, 48, 70, 66)
    assert u["tgm"] == 56.3
    assert u["rentang"] == "40,1–60"
    assert u["kontribusi"] == {"FM": 18.6, "DM": 16.5, "JB": 14.4, "FAI": 3.5, "DAI": 3.3}
    assert u["terbesar"] == "FM"
    assert "56,30" in teks_tgm(62, 55, 48, 70, 66)


def test_indonesian_number_format():
    assert angka_id(56.3) == "56,30"
    assert angka_id(1238.5) == "1.238,50"


@pytest.mark.parametrize(
    "nilai, kategori",
    [(12, "sangat rendah"), (29.9, "sangat rendah"), (30, "rendah"), (64.48, "sedang"),
     (80, "tinggi"), (90, "sangat tinggi")],
)
def test_iplm_text_names_the_category(nilai, kategori):
    assert f"kategori <b>{kategori}</b>" in teks_iplm(nilai)


def test_iplm_text_compares_with_latest_national_value():
    assert "di bawah IPLM nasional 2024 (73,52" in teks_iplm(50)
    assert "di atas IPLM nasional 2024" in teks_iplm(85)


def test_tgm_calculator_updates_when_a_slider_moves():
    k = KalkulatorTGM()
    for nama, nilai in {"FM": 100, "DM": 100, "JB": 100, "FAI": 100, "DAI": 100}.items():
        k.slider[nama].value = nilai
    assert "TGM = 100,00" in k.hasil.value and "80,1–100" in k.hasil.value
    k.slider["JB"].value = 0
    assert k.nilai()["tgm"] == 70.0
    assert "TGM = 70,00" in k.hasil.value and "60,1–80" in k.hasil.value


def test_iplm_classifier_answers_after_a_click():
    g = PenggolongIPLM()
    g.masukan.value = 48.17
    g.tombol.click()
    assert "kategori <b>rendah</b>" in g.hasil.value


@pytest.mark.parametrize(
    "nama", ["kunjungan_bulanan.csv", "anggota.csv", "survei_tgm.csv"]
)
def test_data_sets_say_they_are_synthetic(nama):
    assert "Data sintetis" in keterangan_data(nama)


def test_monthly_visits_cover_24_months_by_sex_and_age_group():
    k = baca_data("kunjungan_bulanan.csv")
    assert k["bulan"].nunique() == 24
    assert set(k["jenis_kelamin"]) == {"L", "P"}
    assert set(k["kelompok_umur"]) == {"anak", "remaja", "dewasa", "lansia"}
    assert len(k) == 24 * 2 * 4
    assert (k["peminjaman"] < k["kunjungan"]).all()
    # the month with most loans is unique, so the m03 exercise has one answer
    per_bulan = k.groupby("bulan")["peminjaman"].sum().sort_values()
    assert per_bulan.iloc[-1] > per_bulan.iloc[-2]


def test_survey_scores_are_on_a_0_to_100_scale():
    s = baca_data("survei_tgm.csv")
    for kolom in ["FM", "DM", "JB", "FAI", "DAI"]:
        assert s[kolom].between(0, 100).all()


def test_members_have_known_status():
    a = baca_data("anggota.csv")
    assert set(a["status"]) == {"aktif", "tidak aktif"}
    assert a["id_anggota"].is_unique
