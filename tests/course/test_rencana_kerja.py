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


KEPALA = " | ".join(rk.KOLOM_RENCANA)


def test_text_table_reads_numbers_in_every_usual_form():
    teks = f"""
{KEPALA}
Pendataan koleksi | peningkatan layanan informasi | 1 | 4 | 1.500.000 | judul tercatat | 1.200 | Rina | Dinas
Kelas dongeng | pelibatan masyarakat | 2 | 11 | Rp 250000 | anak peserta | 30 | Sari | -
Audiensi BPD | Advokasi | 5 | 5 | 0 | pertemuan advokasi | 2 | Rina | BPD
"""
    df = rk.ke_tabel(teks)
    assert list(df["anggaran"]) == [1_500_000, 250_000, 0]
    assert list(df["target"]) == [1200, 30, 2]
    assert rk.periksa_rencana(df) == []
    assert rk.total_anggaran(df) == 1_750_000


def test_text_table_slip_costs_only_its_line():
    teks = f"""
{KEPALA}
Pendataan koleksi | peningkatan layanan informasi | 1 | 4 | 1000000 | judul tercatat | 1200 | Rina | Dinas
Kelas dongeng | pelibatan masyarakat | 2 | 11 | 250000 | anak peserta | 30 | Sari
Audiensi BPD | advokasi | 5 | 5 | 0 | pertemuan advokasi | 2 | Rina | BPD
"""
    df = rk.ke_tabel(teks)
    masalah = rk.periksa_rencana(df)
    assert masalah == [
        "Baris kegiatan ke-2 (Kelas dongeng) berisi 8 isian; seharusnya 9, dipisah tanda | "
        "sesuai baris judul kolom.",
        "Kegiatan ke-2 (Kelas dongeng): isian 'mitra' belum ada.",
    ]
    # the other parts of the plan are still read and pass their own checks
    assert rk.cek_strategi(df) == rk.cek_indikator(df) == rk.cek_anggaran(df) == []


def test_text_table_stub_fails_every_part_and_markdown_or_tabs_are_read():
    stub = f"{KEPALA}\n" + "\n".join([" | ".join(["..."] * 9)] * 3)
    df = rk.ke_tabel(stub)
    for cek in (rk.cek_terisi, rk.cek_strategi, rk.cek_indikator, rk.cek_anggaran, rk.cek_bulan):
        assert cek(df), cek.__name__
    markdown = f"| {KEPALA} |\n|---|---|\n| x | advokasi | 1 | 2 | 3 | y | 4 | z | - |"
    assert rk.ke_tabel(markdown).loc[0, "mitra"] == "-"
    tab = "\t".join(rk.KOLOM_RENCANA) + "\n" + "\t".join(["x", "advokasi", "1", "2", "3", "y", "4",
                                                          "z", "-"])
    assert rk.ke_tabel(tab).loc[0, "target"] == 4


def test_text_table_round_trip_from_the_planner():
    contoh = baca_data("contoh_rencana_kerja.csv")
    kembali = rk.baca_tabel_rencana(rk.ke_teks_tabel(contoh))
    pd.testing.assert_frame_equal(kembali.astype(str), contoh[rk.KOLOM_RENCANA].astype(str))
    p = rk.PerencanaKegiatan(contoh.to_dict("records"))
    assert rk.periksa_rencana(rk.ke_tabel(p.teks_tabel.value)) == []


@pytest.mark.parametrize(("teks", "potongan"), [
    ("dana: APBDes tahun depan\ntenaga: ...\nbahan: modul disimpan rapi\nditiru: dusun lain belajar",
     "'tenaga' masih berisi tanda ..."),
    ("dana: APBDes\ntenaga: kader dari peserta\nbahan: modul disimpan rapi\nditiru: dusun lain belajar",
     "'dana' baru 1 kata"),
    ("dana: APBDes tahun depan\ntenaga: kader dari peserta\nbahan: modul disimpan rapi",
     "Baris 'ditiru:' belum ada"),
])
def test_cek_keberlanjutan_names_what_is_missing(teks, potongan):
    masalah = rk.cek_keberlanjutan(teks)
    assert len(masalah) == 1 and potongan in masalah[0], masalah


def test_cek_keberlanjutan_accepts_complete_answers():
    lengkap = {k: "jawaban yang cukup panjang" for k in rk.PERTANYAAN_KEBERLANJUTAN}
    assert rk.cek_keberlanjutan(lengkap) == []
    assert rk.cek_keberlanjutan(["bukan", "tabel"])
