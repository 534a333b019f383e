"""Tests for coursekit.rencana_kerja: structure checks, month grid, planner widget."""

import matplotlib
import pandas as pd
import pytest

from coursekit import baca_data
from coursekit import rencana_kerja as rk

matplotlib.use("Agg")


def kegiatan(nama, strategi, **ubah):
    baris = {
        "kegiatan": nama, "strategi": strategi, "bulan_mulai": 2, "bulan_selesai": 4,
        "anggaran": 1_000_000, "indikator": "peserta kegiatan", "target": 20,
        "penanggung_jawab": "Pengelola perpustakaan", "mitra": "-",
    }
    baris.update(ubah)
    return baris


@pytest.fixture
def rencana_baik():
    return [
        kegiatan("Pendataan koleksi", "peningkatan layanan informasi"),
        kegiatan("Kelas dongeng", "pelibatan masyarakat"),
        kegiatan("Audiensi kepala desa", "advokasi", anggaran=0),
    ]


def test_sound_plan_has_no_problems(rencana_baik):
    assert rk.periksa_rencana(pd.DataFrame(rencana_baik)) == []


def test_example_dataset_is_sound():
    contoh = baca_data("contoh_rencana_kerja.csv")
    assert rk.periksa_rencana(contoh) == []
    assert rk.total_anggaran(contoh) == 11_150_000


def test_missing_column_and_too_few_activities(rencana_baik):
    df = pd.DataFrame(rencana_baik[:2]).drop(columns=["mitra"])
    masalah = rk.periksa_rencana(df)
    assert "Kolom 'mitra' belum ada di tabel rencana." in masalah
    assert any("baru berisi 2 kegiatan" in m for m in masalah)
    assert any("belum punya kegiatan: advokasi" in m for m in masalah)


@pytest.mark.parametrize("ubah, potongan", [
    ({"indikator": ""}, "indikator masih kosong"),
    ({"target": "20"}, "target harus angka"),
    ({"target": 0}, "target harus angka"),
    ({"anggaran": -5}, "anggaran harus angka 0 atau lebih"),
    ({"anggaran": "Rp 1.000.000"}, "anggaran harus angka 0 atau lebih"),
    ({"bulan_mulai": 0}, "bulan_mulai harus angka bulat 1 sampai 12"),
    ({"bulan_selesai": 13}, "bulan_selesai harus angka bulat 1 sampai 12"),
    ({"bulan_mulai": 2.5}, "bulan_mulai harus angka bulat"),
    ({"bulan_mulai": 6, "bulan_selesai": 3}, "lebih awal dari bulan_mulai"),
    ({"strategi": "publikasi"}, "strategi 'publikasi' bukan salah satu"),
    ({"penanggung_jawab": " "}, "penanggung_jawab' masih kosong"),
    ({"mitra": ...}, "masih berisi tanda ..."),
])
def test_each_rule_names_the_activity(rencana_baik, ubah, potongan):
    rencana_baik[1].update(ubah)
    masalah = rk.periksa_rencana(pd.DataFrame(rencana_baik))
    assert any(potongan in m and "Kegiatan ke-2" in m for m in masalah), masalah


def test_strategy_is_case_insensitive(rencana_baik):
    rencana_baik[0]["strategi"] = " Peningkatan Layanan Informasi "
    assert rk.cek_strategi(pd.DataFrame(rencana_baik)) == []


def test_missing_key_in_one_dict_is_reported(rencana_baik):
    del rencana_baik[2]["indikator"]
    masalah = rk.periksa_rencana(rk.ke_tabel(rencana_baik))
    assert any("Kegiatan ke-3" in m and "'indikator' belum ada" in m for m in masalah)


def test_stub_plan_fails_every_part():
    stub = [{k: ... for k in rk.KOLOM_RENCANA} for _ in range(3)]
    df = rk.ke_tabel(stub)
    for cek in (rk.cek_terisi, rk.cek_strategi, rk.cek_indikator, rk.cek_anggaran, rk.cek_bulan):
        assert cek(df), cek.__name__


def test_ke_tabel_refuses_non_lists():
    with pytest.raises(AssertionError, match="belum diisi"):
        rk.ke_tabel(...)
    with pytest.raises(AssertionError, match="daftar"):
        rk.ke_tabel({"kegiatan": "x"})


def test_pastikan_tanpa_masalah_lists_first_problems():
    rk.pastikan_tanpa_masalah([])
    with pytest.raises(AssertionError, match=r"Masih ada 8 hal(.|\n)*dan 2 hal lain"):
        rk.pastikan_tanpa_masalah([f"masalah {i}" for i in range(8)])


def test_format_rupiah():
    assert rk.format_rupiah(11_150_000) == "Rp 11.150.000"


def test_gantt_html_fills_active_months(rencana_baik):
    teks = rk.gantt_html(pd.DataFrame(rencana_baik))
    assert teks.count("■") == 9  # three activities, February to April each


def test_grafik_gantt_titles_and_labels(rencana_baik):
    ax = rk.grafik_gantt(pd.DataFrame(rencana_baik))
    assert ax.get_title() and ax.get_xlabel() == "Bulan pelaksanaan"
    assert [t.get_text() for t in ax.texts][2] == "advokasi"


def isi(perencana, nama, strategi, bulan=(3, 5), anggaran=500_000):
    perencana.kegiatan.value = nama
    perencana.strategi.value = strategi
    perencana.bulan.value = bulan
    perencana.anggaran.value = anggaran
    perencana.indikator.value = "peserta"
    perencana.target.value = 25
    perencana.penanggung_jawab.value = "Sari"
    perencana.tombol_tambah.click()


def test_planner_adds_activities_and_checks_structure():
    p = rk.PerencanaKegiatan()
    assert "Belum ada kegiatan" in p.tabel_html.value
    isi(p, "Kelas komputer", "peningkatan layanan informasi")
    isi(p, "Dongeng anak", "pelibatan masyarakat", bulan=(1, 12))
    assert "paling sedikit 3" in p.hasil_cek.value
    isi(p, "Audiensi BPD", "advokasi", anggaran=250_000)
    assert "Struktur rencana sudah lengkap" in p.hasil_cek.value
    assert "Rp 1.250.000" in p.tabel_html.value
    assert "Audiensi BPD" in p.tabel_html.value
    assert p.gantt.value.count("■") == 3 + 12 + 3
    assert p.kegiatan.value == ""  # ready for the next activity


def test_planner_refuses_nameless_activity_and_can_remove():
    p = rk.PerencanaKegiatan()
    p.tombol_tambah.click()
    assert p.rencana == [] and "Tulis nama kegiatan" in p.pesan.value
    isi(p, "Kelas komputer", "peningkatan layanan informasi")
    p.tombol_hapus.click()
    assert p.rencana == [] and "dihapus" in p.pesan.value
    p.tombol_hapus.click()
    assert "Belum ada kegiatan untuk dihapus" in p.pesan.value


def test_planner_starts_from_given_plan():
    contoh = baca_data("contoh_rencana_kerja.csv").to_dict("records")
    p = rk.PerencanaKegiatan(contoh)
    assert "Struktur rencana sudah lengkap" in p.hasil_cek.value
    assert "Rp 11.150.000" in p.tabel_html.value
