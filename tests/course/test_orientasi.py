"""Tests for coursekit.orientasi: number style, visits calculator, file-name check, widget."""

import pytest

from coursekit import orientasi


@pytest.mark.parametrize(
    ("nilai", "desimal", "teks"),
    [(1238, 0, "1.238"), (64.48, 2, "64,48"), (1234567.5, 1, "1.234.567,5"), (0, 0, "0")],
)
def test_format_angka_indonesian_style(nilai, desimal, teks):
    assert orientasi.format_angka(nilai, desimal) == teks


def test_format_angka_accepts_numpy_numbers():
    import numpy as np

    assert orientasi.format_angka(np.int64(2500)) == "2.500"
    assert orientasi.format_angka(np.float64(41.666), 1) == "41,7"


def test_format_angka_refuses_text():
    with pytest.raises(ValueError):
        orientasi.format_angka("12")


def test_kunjungan_sebulan():
    assert orientasi.kunjungan_sebulan(35, 24) == 840
    assert orientasi.kunjungan_sebulan(0, 24) == 0


@pytest.mark.parametrize(("per_hari", "hari_buka"), [(-1, 20), (10, 32), (2.5, 20), (10, True)])
def test_kunjungan_sebulan_refuses_bad_input(per_hari, hari_buka):
    with pytest.raises(ValueError):
        orientasi.kunjungan_sebulan(per_hari, hari_buka)


def test_pesan_kunjungan_uses_indonesian_numbers():
    pesan = orientasi.pesan_kunjungan(50, 25)
    assert "1.250 kunjungan sebulan" in pesan
    assert "15.000 setahun" in pesan
    assert "tidak buka" in orientasi.pesan_kunjungan(50, 0)


def test_nama_berkas_kiriman():
    assert orientasi.nama_berkas_kiriman(" PDG-007 ", "m01") == "PDG-007_m01.ipynb"
    with pytest.raises(ValueError):
        orientasi.nama_berkas_kiriman("", "m01")


@pytest.mark.parametrize(
    ("nama", "ok", "potongan"),
    [
        ("PDG-007_m01.ipynb", True, "sudah baik"),
        ("pdg-007_M01.IPYNB", True, "sudah baik"),
        ("PDG-007_m01.pdf", False, ".ipynb"),
        ("m01.ipynb", False, "id_peserta"),
        ("PDG-007.ipynb", False, "nama tugas"),
    ],
)
def test_periksa_nama_berkas(nama, ok, potongan):
    hasil, pesan = orientasi.periksa_nama_berkas(nama, "PDG-007", "m01")
    assert hasil is ok
    assert potongan in pesan


def test_kalkulator_follows_sliders():
    kalkulator = orientasi.KalkulatorKunjungan()
    assert "720 kunjungan sebulan" in kalkulator.hasil.value  # 30 x 24 by default
    kalkulator.per_hari.value = 120
    kalkulator.hari_buka.value = 26
    assert "3.120 kunjungan sebulan" in kalkulator.hasil.value
    kalkulator.hari_buka.value = 0
    assert "tidak buka" in kalkulator.hasil.value
