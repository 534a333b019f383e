"""Tests for coursekit.advokasi: quadrants, the stakeholder grid, advocacy messages."""

import numpy as np
import pandas as pd
import pytest

from coursekit import advokasi, baca_data


@pytest.mark.parametrize(("minat", "pengaruh", "hasil"), [
    (5, 5, "kelola dekat"), (3, 3, "kelola dekat"),
    (2, 5, "jaga kepuasan"), (1, 3, "jaga kepuasan"),
    (3, 2, "beri informasi"), (5, 1, "beri informasi"),
    (2, 2, "pantau"), (1, 1, "pantau"),
])
def test_kuadran_uses_three_as_high(minat, pengaruh, hasil):
    assert advokasi.kuadran(minat, pengaruh) == hasil


def test_kuadran_accepts_numbers_from_pandas():
    assert advokasi.kuadran(np.int64(4), np.int64(2)) == "beri informasi"


@pytest.mark.parametrize(("minat", "pengaruh", "pesan"), [
    (0, 3, "Minat"), (6, 3, "Minat"), ("3", 3, "Minat"), (True, 3, "Minat"),
    (3, 2.5, "Pengaruh"), (3, None, "Pengaruh"),
])
def test_kuadran_rejects_bad_scores(minat, pengaruh, pesan):
    with pytest.raises(ValueError, match=pesan):
        advokasi.kuadran(minat, pengaruh)


def test_petakan_on_course_data():
    peta = advokasi.petakan(baca_data("pemangku_kepentingan.csv"))
    baris = peta.set_index("pemangku_kepentingan")["kuadran"]
    assert baris["Bupati"] == "kelola dekat"
    assert baris["DPRD Komisi IV"] == "jaga kepuasan"
    assert baris["PKK"] == "beri informasi"
    assert baris["Kelompok tani"] == "pantau"
    assert set(peta["kuadran"]) == set(advokasi.KUADRAN)


def test_posisi_label_spreads_shared_scores():
    df = pd.DataFrame({"minat": [2, 2, 2, 5], "pengaruh": [3, 3, 3, 1]})
    posisi = advokasi.posisi_label(df)
    ys = sorted(y for _, y in posisi[:3])
    assert ys[0] < 3 < ys[2] and ys[1] == 3
    assert posisi[3] == (5.0, 1.0)


def test_gambar_peta_labels_every_stakeholder():
    data = baca_data("pemangku_kepentingan.csv")
    ax = advokasi.gambar_peta(data, sorot="Bupati")
    teks = [" ".join(t.get_text().split()) for t in ax.texts]  # long names are wrapped
    for nama in data["pemangku_kepentingan"]:
        assert nama in teks
    for kd in advokasi.KUADRAN:
        assert kd.upper() in teks
    assert ax.get_xlabel().startswith("Minat") and ax.get_ylabel().startswith("Pengaruh")


def test_susun_pesan_has_four_parts():
    pesan = advokasi.susun_pesan("Bapak Kepala Bappeda", "Internet perpustakaan sering mati.",
                                 "dua dari tiga komputer tidak tersambung",
                                 "dukungan anggaran internet 2026",
                                 "pelajar dan UMKM dapat belajar daring")
    assert pesan.startswith("Yth. Bapak Kepala Bappeda. Internet perpustakaan sering mati.")
    assert "Kami memohon dukungan anggaran internet 2026." in pesan
    assert ".." not in pesan


def test_susun_pesan_names_missing_parts():
    with pytest.raises(ValueError, match="data, manfaat"):
        advokasi.susun_pesan("Camat", "Masalah", "", "permintaan", " ")


def test_widget_shows_quadrant_and_strategy():
    w = advokasi.PetaPemangku(baca_data("pemangku_kepentingan.csv"))
    w.nama.value = "Kepala Dinas Perpustakaan"
    w.minat.value = 5
    w.pengaruh.value = 2
    w.tombol.click()
    assert "BERI INFORMASI" in w.hasil.value
    assert "kabari secara teratur" in w.hasil.value
    assert (w.data["pemangku_kepentingan"] == "Kepala Dinas Perpustakaan").sum() == 1


def test_widget_replaces_a_stakeholder_mapped_twice():
    w = advokasi.PetaPemangku()
    w.nama.value = "Camat"
    w.tombol.click()
    w.pengaruh.value = 1
    w.tombol.click()
    assert len(w.data) == 1 and "PANTAU" not in w.hasil.value
    assert "BERI INFORMASI" in w.hasil.value


def test_widget_asks_for_a_name():
    w = advokasi.PetaPemangku()
    w.tombol.click()
    assert "Tulis dulu nama" in w.hasil.value


NAMA_NAMA = ["Bappeda", "PKK"]


@pytest.mark.parametrize(("isian", "potongan"), [
    ({"Bappeda": ..., "PKK": "pantau"}, 'Ganti tanda ... di baris "Bappeda"'),
    ({"Bappeda": "pantau", "PKK": "tinggi"}, 'misalnya "PKK": "kelola dekat",'),
    ({"Bappeda": "pantau"}, 'Baris "PKK" terhapus'),
    (["pantau", "pantau"], "kuadran_saya harus tetap berbentuk tabel"),
])
def test_cek_tabel_kuadran_hints_quote_the_answer_line(isian, potongan):
    with pytest.raises(AssertionError) as galat:
        advokasi.cek_tabel_kuadran(isian, NAMA_NAMA)
    assert potongan in str(galat.value)
    # the hint never invents a variable such as kuadran_bappeda
    assert "kuadran_bappeda" not in str(galat.value).lower()


def test_cek_tabel_kuadran_accepts_any_valid_quadrant_in_any_case():
    advokasi.cek_tabel_kuadran({"Bappeda": " Jaga Kepuasan ", "PKK": "pantau"}, NAMA_NAMA)
