"""Tests for coursekit.publikasi: interaction (engagement) figures and the success-story builder."""

import pandas as pd
import pytest

from coursekit import baca_data, publikasi

CERITA = {
    "situasi": "Bu Rina menjual keripik hanya kepada tetangga di desanya sendiri.",
    "tindakan": "Perpustakaan desa bersama BUMDes membuka kelas pemasaran daring empat kali.",
    "perubahan": "Kini Bu Rina menerima pesanan dari kecamatan lain melalui ponselnya.",
    "bukti": "Penjualannya naik dari 20 menjadi 65 bungkus sebulan.",
}


def test_interaksi_and_rate():
    assert publikasi.interaksi(40, 5, 3) == 48
    assert publikasi.tingkat_interaksi(48, 600) == pytest.approx(8.0)
    with pytest.raises(ValueError):
        publikasi.tingkat_interaksi(10, 0)


def test_tambah_interaksi_adds_columns_without_changing_input():
    df = pd.DataFrame({"jangkauan": [200, 50], "suka": [10, 1], "komentar": [2, 0],
                       "dibagikan": [8, 4]})
    hasil = publikasi.tambah_interaksi(df)
    assert list(hasil["interaksi"]) == [20, 5]
    assert list(hasil["tingkat_interaksi"]) == pytest.approx([10.0, 10.0])
    assert "interaksi" not in df.columns


def test_course_data_best_rate_differs_from_best_raw_interaksi():
    data = publikasi.tambah_interaksi(baca_data("unggahan_media_sosial.csv"))
    rata = data.groupby("jenis_konten")[["interaksi", "tingkat_interaksi"]].mean()
    assert rata["tingkat_interaksi"].idxmax() == "cerita sukses"
    assert rata["interaksi"].idxmax() != rata["tingkat_interaksi"].idxmax()
    assert (data["jangkauan"] > 0).all()


def test_susun_cerita_orders_parts():
    acak = dict(reversed(list(CERITA.items())))
    teks = publikasi.susun_cerita("Dari dapur ke pasar daring", acak)
    paragraf = teks.split("\n\n")
    assert paragraf[0] == "Dari dapur ke pasar daring"
    assert paragraf[1:] == [CERITA[k] for k in publikasi.BAGIAN_CERITA]


def test_periksa_cerita_flags_missing_parts_and_evidence():
    tanpa_bukti = dict(CERITA, bukti="Ia senang sekali.")
    hasil = dict(publikasi.periksa_cerita(tanpa_bukti, izin=True))
    assert hasil["Bukti (angka atau kutipan) terisi (minimal 5 kata)"] is False
    assert hasil["Bukti memuat angka atau kutipan (tanda petik)"] is False
    assert hasil["Situasi awal terisi (minimal 5 kata)"] is True
    assert hasil["Tokoh cerita sudah memberi izin nama, kutipan dan fotonya dipakai"] is True


def test_periksa_cerita_counts_words_against_100_to_150():
    hasil = publikasi.periksa_cerita(CERITA)
    panjang = [ok for teks, ok in hasil if teks.startswith("Panjang")]
    assert panjang == [False]
    panjang_cukup = dict(CERITA, perubahan=" ".join(["kata"] * 90))
    teks = [t for t, ok in publikasi.periksa_cerita(panjang_cukup) if t.startswith("Panjang")]
    assert dict(publikasi.periksa_cerita(panjang_cukup))[teks[0]] is True


def test_widget_shows_story_and_checklist():
    w = publikasi.PembuatCerita()
    w.judul.value = "Dari dapur ke pasar daring"
    for k, teks in CERITA.items():
        w.bagian[k].value = teks
    w.tombol.click()
    assert "Dari dapur ke pasar daring" in w.hasil.value
    assert "✔ Bukti memuat angka" in w.hasil.value
    assert "✘ Tokoh cerita sudah memberi izin" in w.hasil.value


def test_widget_lists_empty_parts():
    w = publikasi.PembuatCerita()
    w.bagian["situasi"].value = "Anak-anak desa jarang membaca buku cerita."
    w.tombol.click()
    assert "✔ Situasi awal terisi" in w.hasil.value
    assert "✘ Tindakan terisi" in w.hasil.value
    assert "(tanpa judul)" in w.hasil.value


def test_grafik_tingkat_per_konten_sorted_and_labelled():
    df = pd.DataFrame({"jenis_konten": ["foto", "video", "video"], "jangkauan": [100, 100, 300],
                       "suka": [5, 10, 10], "komentar": [0, 0, 0], "dibagikan": [0, 0, 5]})
    ax = publikasi.grafik_tingkat_per_konten(df)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["foto", "video"]
    assert [t.get_text() for t in ax.texts] == ["5,00%", "7,50%"]
    assert ax.get_xlabel().startswith("Rata-rata tingkat interaksi")
