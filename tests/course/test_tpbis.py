"""Tests for coursekit.tpbis: strategy names, the sorter's feedback, the exercise form check."""

import pytest

from coursekit import tpbis


def test_three_core_strategies():
    assert list(tpbis.STRATEGI.values()) == [
        "Peningkatan Layanan Informasi", "Pelibatan Masyarakat", "Advokasi",
    ]


@pytest.mark.parametrize(
    ("nilai", "kode"),
    [
        ("layanan", "layanan"),
        ("  Pelibatan ", "pelibatan"),
        ("pelibatan   masyarakat", "pelibatan"),
        ("ADVOKASI", "advokasi"),
        ("Peningkatan Layanan Informasi", "layanan"),
        ("replikasi", None),
        (..., None),
        (3, None),
    ],
)
def test_kode_strategi(nilai, kode):
    assert tpbis.kode_strategi(nilai) == kode


def test_examples_cover_each_strategy_and_use_known_keys():
    strategi = [k.strategi for k in tpbis.CONTOH_KEGIATAN]
    assert set(strategi) == set(tpbis.STRATEGI)
    assert all(strategi.count(kode) >= 2 for kode in tpbis.STRATEGI)


def test_periksa_klasifikasi_right_wrong_and_empty():
    kegiatan = tpbis.Kegiatan("Pelatihan menjahit bersama warga.", "pelibatan", "Alasannya.")
    benar, pesan = tpbis.periksa_klasifikasi(kegiatan, "Pelibatan Masyarakat")
    assert benar and pesan.startswith("Tepat") and "Alasannya." in pesan
    benar, pesan = tpbis.periksa_klasifikasi(kegiatan, "advokasi")
    assert not benar
    assert "Pelibatan Masyarakat, bukan Advokasi" in pesan
    benar, pesan = tpbis.periksa_klasifikasi(kegiatan, None)
    assert not benar and "Pilih" in pesan


def test_rekap_counts_right_answers():
    jawaban = {i: k.strategi for i, k in enumerate(tpbis.CONTOH_KEGIATAN)}
    assert tpbis.rekap(jawaban) == (len(jawaban), len(jawaban))
    jawaban[0] = "advokasi" if tpbis.CONTOH_KEGIATAN[0].strategi != "advokasi" else "layanan"
    assert tpbis.rekap(jawaban) == (len(jawaban) - 1, len(jawaban))


@pytest.mark.parametrize(
    ("pasangan", "potongan"),
    [
        (..., "belum diisi"),
        (["layanan"], "tabel"),
        ({"K1": "layanan"}, '"K2" hilang'),
        ({"K1": "layanan", "K2": ...}, '"K2" belum diisi'),
        ({"K1": "layanan", "K2": "lobi"}, "tidak dikenali"),
    ],
)
def test_cek_pasangan_gives_hints(pasangan, potongan):
    with pytest.raises(AssertionError, match=potongan):
        tpbis.cek_pasangan(pasangan, ["K1", "K2"])


def test_cek_pasangan_accepts_complete_table():
    tpbis.cek_pasangan({"K1": "Advokasi", "K2": "pelibatan"}, ["K1", "K2"])


def test_pemilah_widget_check_score_and_next():
    pemilah = tpbis.PemilahStrategi()
    pertama = tpbis.CONTOH_KEGIATAN[0]
    assert pertama.teks in pemilah.soal.value
    pemilah.tombol_periksa.click()
    assert "Pilih" in pemilah.umpan_balik.value
    pemilah.pilihan.value = pertama.strategi
    pemilah.tombol_periksa.click()
    assert "Tepat" in pemilah.umpan_balik.value
    assert "1 tepat dari 1" in pemilah.skor.value
    pemilah.tombol_berikutnya.click()
    kedua = tpbis.CONTOH_KEGIATAN[1]
    assert kedua.teks in pemilah.soal.value
    assert pemilah.pilihan.value is None and pemilah.umpan_balik.value == ""
    salah = next(k for k in tpbis.STRATEGI if k != kedua.strategi)
    pemilah.pilihan.value = salah
    pemilah.tombol_periksa.click()
    assert "Belum tepat" in pemilah.umpan_balik.value
    assert "1 tepat dari 2" in pemilah.skor.value


def test_pemilah_wraps_around_after_last_activity():
    daftar = tpbis.CONTOH_KEGIATAN[:2]
    pemilah = tpbis.PemilahStrategi(daftar)
    pemilah.tombol_berikutnya.click()
    pemilah.tombol_berikutnya.click()
    assert daftar[0].teks in pemilah.soal.value
