"""Helpers for the orientation module (m00): number style, a visits calculator, file names.

The logic is in plain functions so it can be tested without a browser;
``KalkulatorKunjungan`` only wires two sliders to ``pesan_kunjungan``.
"""

from __future__ import annotations

import numbers

import ipywidgets as widgets
from IPython.display import display

EKSTENSI_NOTEBOOK = ".ipynb"


def format_angka(nilai: float, desimal: int = 0) -> str:
    """A number written the Indonesian way: dot between thousands, comma before decimals.

    ``format_angka(1238)`` gives ``"1.238"``; ``format_angka(64.48, 2)`` gives ``"64,48"``.
    """
    if isinstance(nilai, bool) or not isinstance(nilai, numbers.Real):
        raise ValueError(f"Nilai harus berupa angka, bukan {type(nilai).__name__}.")
    teks = f"{nilai:,.{desimal}f}"
    return teks.replace(",", "_").replace(".", ",").replace("_", ".")


def _bilangan_bulat(nilai, nama: str, maksimum: int | None = None) -> int:
    if isinstance(nilai, bool) or not isinstance(nilai, numbers.Integral) or nilai < 0:
        raise ValueError(f"{nama} harus bilangan bulat 0 atau lebih (diberikan: {nilai!r}).")
    if maksimum is not None and nilai > maksimum:
        raise ValueError(f"{nama} paling banyak {maksimum} (diberikan: {nilai}).")
    return int(nilai)


def kunjungan_sebulan(per_hari: int, hari_buka: int) -> int:
    """Visits in a month: visitors per day times the days the library is open (at most 31)."""
    per_hari = _bilangan_bulat(per_hari, "Pengunjung per hari")
    hari_buka = _bilangan_bulat(hari_buka, "Hari buka", maksimum=31)
    return per_hari * hari_buka


def pesan_kunjungan(per_hari: int, hari_buka: int) -> str:
    """The calculator's sentence, with numbers in Indonesian style."""
    total = kunjungan_sebulan(per_hari, hari_buka)
    if hari_buka == 0:
        return "Perpustakaan tidak buka bulan ini, jadi tidak ada kunjungan."
    return (
        f"Dengan {format_angka(per_hari)} pengunjung per hari dan {hari_buka} hari buka, "
        f"perpustakaan melayani {format_angka(total)} kunjungan sebulan "
        f"(sekitar {format_angka(total * 12)} setahun bila polanya sama setiap bulan)."
    )


def nama_berkas_kiriman(id_peserta: str, tugas: str) -> str:
    """The file name for sending a notebook by e-mail or WhatsApp: ``<id>_<tugas>.ipynb``."""
    id_peserta, tugas = id_peserta.strip(), tugas.strip()
    if not id_peserta or not tugas:
        raise ValueError("id_peserta dan nama tugas tidak boleh kosong.")
    return f"{id_peserta}_{tugas}{EKSTENSI_NOTEBOOK}"


def periksa_nama_berkas(nama_berkas: str, id_peserta: str, tugas: str) -> tuple[bool, str]:
    """Whether a file name carries the participant id and the assignment, with a kind hint."""
    nama = nama_berkas.strip()
    kecil = nama.lower()
    if not kecil.endswith(EKSTENSI_NOTEBOOK):
        return False, (
            f"Nama berkas harus berakhiran {EKSTENSI_NOTEBOOK} (berkas notebook), "
            "bukan .pdf, .html atau tangkapan layar."
        )
    if id_peserta.strip().lower() not in kecil:
        return False, f"Nama berkas belum memuat id_peserta Anda ({id_peserta.strip()})."
    if tugas.strip().lower() not in kecil:
        return False, f"Nama berkas belum memuat nama tugas ({tugas.strip()})."
    return True, f"Nama berkas {nama} sudah baik: pelatih dapat mengenali pemiliknya."


class KalkulatorKunjungan:
    """Two sliders (visitors per day, days open) and the sentence they produce."""

    def __init__(self, per_hari: int = 30, hari_buka: int = 24):
        gaya = {"description_width": "initial"}
        self.per_hari = widgets.IntSlider(
            value=per_hari, min=0, max=200, description="Pengunjung per hari", style=gaya
        )
        self.hari_buka = widgets.IntSlider(
            value=hari_buka, min=0, max=31, description="Hari buka sebulan", style=gaya
        )
        self.hasil = widgets.HTML()
        self.per_hari.observe(self._perbarui, names="value")
        self.hari_buka.observe(self._perbarui, names="value")
        self.kotak = widgets.VBox([self.per_hari, self.hari_buka, self.hasil])
        self._perbarui()

    def _perbarui(self, _perubahan=None) -> None:
        self.hasil.value = f"<p>{pesan_kunjungan(self.per_hari.value, self.hari_buka.value)}</p>"

    def _ipython_display_(self):
        display(self.kotak)
