"""Module 2 (peningkatan layanan informasi dan TIK): ICT ratios, SNP check for village libraries.

The SNP criteria are those of Perka Perpusnas No. 6 Tahun 2017 as listed in
``shared/FACTS.md``. Two readings are this course's own and are said so in
the lesson: "koleksi 5 tahun terakhir" counts titles published in the
reference year and the four years before it, and the 10 % is taken over titles.
The logic is plain functions; ``PeriksaSNPDesa`` only wires them to widgets.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

# Perka Perpusnas 6/2017, standar nasional perpustakaan desa (as gathered in FACTS.md).
MIN_JUDUL = 1000
MIN_LUAS_M2 = 56
MIN_JAM_BUKA = 6
MIN_TENAGA = 2
MIN_PERSEN_KOLEKSI_BARU = 10
RENTANG_TAHUN_BARU = 5


@dataclass(frozen=True)
class HasilKriteria:
    """One SNP criterion: what it asks, whether it is met, and the library's own figure."""

    kriteria: str
    terpenuhi: bool
    keterangan: str


def _angka(nilai, nama: str) -> float:
    # numbers.Real also admits numpy numbers, which pandas sums return
    if isinstance(nilai, bool) or not isinstance(nilai, numbers.Real):
        raise ValueError(f"{nama} harus berupa angka, bukan {type(nilai).__name__}.")
    if nilai < 0:
        raise ValueError(f"{nama} tidak boleh negatif (diberikan: {nilai}).")
    return float(nilai)


def cek_snp_desa(
    jumlah_judul: int,
    luas_gedung_m2: float,
    jam_buka_per_hari: float,
    jumlah_tenaga: int,
    kepala_slta: bool,
    kepala_pelatihan: bool,
    persen_koleksi_baru: float,
) -> list[HasilKriteria]:
    """Check a village library's figures against the six SNP criteria (Perka Perpusnas 6/2017)."""
    judul = _angka(jumlah_judul, "Jumlah judul")
    luas = _angka(luas_gedung_m2, "Luas gedung")
    jam = _angka(jam_buka_per_hari, "Jam buka")
    tenaga = _angka(jumlah_tenaga, "Jumlah tenaga")
    baru = _angka(persen_koleksi_baru, "Persen koleksi baru")
    kepala = bool(kepala_slta) and bool(kepala_pelatihan)
    if not kepala_slta:
        ket_kepala = "kepala belum berpendidikan SLTA"
    elif not kepala_pelatihan:
        ket_kepala = "kepala berpendidikan SLTA, belum ikut pelatihan perpustakaan"
    else:
        ket_kepala = "SLTA dan sudah ikut pelatihan perpustakaan"
    return [
        HasilKriteria(f"Koleksi paling sedikit {MIN_JUDUL:,} judul".replace(",", "."),
                      judul >= MIN_JUDUL, f"{judul:,.0f} judul".replace(",", ".")),
        HasilKriteria(f"Gedung paling sedikit {MIN_LUAS_M2} m²", luas >= MIN_LUAS_M2,
                      f"{_koma(luas)} m²"),
        HasilKriteria(f"Buka paling sedikit {MIN_JAM_BUKA} jam sehari", jam >= MIN_JAM_BUKA,
                      f"{_koma(jam)} jam sehari"),
        HasilKriteria(f"Paling sedikit {MIN_TENAGA} tenaga perpustakaan", tenaga >= MIN_TENAGA,
                      f"{tenaga:.0f} orang"),
        HasilKriteria("Kepala berpendidikan paling rendah SLTA dan pernah ikut pelatihan "
                      "perpustakaan", kepala, ket_kepala),
        HasilKriteria(f"{MIN_PERSEN_KOLEKSI_BARU}% koleksi terbitan {RENTANG_TAHUN_BARU} tahun "
                      "terakhir", baru >= MIN_PERSEN_KOLEKSI_BARU, f"{_koma(baru)}%"),
    ]


def _koma(nilai: float) -> str:
    """A number in Indonesian style: 12,5 and 56 (no trailing ,0)."""
    if float(nilai).is_integer():
        return f"{nilai:,.0f}".replace(",", ".")
    return f"{nilai:.1f}".replace(".", ",")


def ringkasan_snp(hasil: list[HasilKriteria]) -> str:
    """One sentence: how many criteria are met and which are not yet."""
    belum = [h.kriteria[0].lower() + h.kriteria[1:] for h in hasil if not h.terpenuhi]
    jumlah = len(hasil) - len(belum)
    if not belum:
        return (f"{jumlah} dari {len(hasil)} kriteria terpenuhi: semua kriteria SNP "
                "yang diperiksa sudah terpenuhi.")
    return (f"{jumlah} dari {len(hasil)} kriteria terpenuhi. Belum terpenuhi: "
            + "; ".join(belum) + ".")


def persen_koleksi_baru(tahun_terbit: pd.Series, tahun_acuan: int,
                        rentang: int = RENTANG_TAHUN_BARU) -> float:
    """Share (%) of titles published in the last ``rentang`` years up to ``tahun_acuan``.

    Titles without a year count in the total but never as new: a missing year
    cannot prove that a book is recent.
    """
    tahun = pd.to_numeric(tahun_terbit, errors="coerce")
    if len(tahun) == 0:
        raise ValueError("Tabel katalog kosong: tidak ada judul untuk dihitung.")
    baru = tahun.between(tahun_acuan - rentang + 1, tahun_acuan).sum()
    return round(float(baru) / len(tahun) * 100, 1)


def periksa_kolom_rapi(tabel, kolom: list[str], asal: str = "katalog") -> None:
    """Fail with an Indonesian hint unless each text column is trimmed and in title case.

    The visible check of m02 Bagian 3, where each column is tidied by one line
    ``bersih["judul"] = katalog["judul"].str.strip().str.title()``; a line left
    as ``...`` fills the whole column with the stub.
    """
    if not isinstance(tabel, pd.DataFrame):
        raise AssertionError("Tabel bersih hilang: jangan mengubah baris bersih = katalog.copy().")
    for nomor, nama in enumerate(kolom, start=1):
        if nama not in tabel.columns:
            raise AssertionError(f'Kolom "{nama}" hilang dari tabel bersih.')
        petunjuk = f'{asal}["{nama}"].str.strip().str.title()'
        isi = tabel[nama].dropna()
        if isi.map(lambda v: v is Ellipsis).any():
            raise AssertionError(
                f"Langkah {nomor} (kolom {nama}) belum diisi: ganti tanda ... dengan {petunjuk}"
            )
        if not isi.map(lambda v: isinstance(v, str)).all():
            raise AssertionError(f"Kolom {nama} harus tetap berisi teks. Petunjuk: {petunjuk}")
        if not (isi == isi.str.strip()).all():
            raise AssertionError(f"Masih ada spasi di awal atau akhir kolom {nama}: pakai .str.strip().")
        if not (isi == isi.str.title()).all():
            raise AssertionError(f"Huruf di kolom {nama} belum seragam: pakai .str.title().")


def pengunjung_per_komputer(kunjungan: float, komputer: int) -> float:
    """Visits shared by one computer: visits divided by computers in good condition."""
    kunjungan = _angka(kunjungan, "Jumlah kunjungan")
    komputer = _angka(komputer, "Jumlah komputer")
    if komputer == 0:
        raise ValueError("Jumlah komputer 0: rasio tidak dapat dihitung. "
                         "Catat dulu komputer pengunjung yang berfungsi baik.")
    return round(kunjungan / komputer, 1)


class PeriksaSNPDesa:
    """A checklist widget: enter a village library's figures, click *Periksa*, read the result."""

    def __init__(self):
        gaya = {"description_width": "260px"}
        lebar = widgets.Layout(width="420px")
        self.judul = widgets.BoundedIntText(value=800, min=0, max=100000, step=50,
                                            description="Jumlah judul koleksi", style=gaya,
                                            layout=lebar)
        self.luas = widgets.BoundedFloatText(value=48, min=0, max=10000, step=1,
                                             description="Luas gedung (m²)", style=gaya,
                                             layout=lebar)
        self.jam = widgets.BoundedFloatText(value=5, min=0, max=24, step=0.5,
                                            description="Jam buka per hari", style=gaya,
                                            layout=lebar)
        self.tenaga = widgets.BoundedIntText(value=1, min=0, max=100,
                                             description="Jumlah tenaga perpustakaan",
                                             style=gaya, layout=lebar)
        self.slta = widgets.Checkbox(value=True, description="Kepala berpendidikan SLTA atau lebih",
                                     indent=False)
        self.pelatihan = widgets.Checkbox(value=False,
                                          description="Kepala pernah ikut pelatihan perpustakaan",
                                          indent=False)
        self.baru = widgets.BoundedFloatText(value=8, min=0, max=100, step=1,
                                             description="% judul terbitan 5 tahun terakhir",
                                             style=gaya, layout=lebar)
        self.tombol = widgets.Button(description="Periksa", button_style="primary")
        self.hasil = widgets.HTML()
        self.tombol.on_click(self._on_click)
        self.kotak = widgets.VBox([
            widgets.HTML("<b>Periksa standar nasional (SNP) perpustakaan desa</b>"),
            self.judul, self.luas, self.jam, self.tenaga, self.slta, self.pelatihan, self.baru,
            self.tombol, self.hasil,
        ])

    def periksa(self) -> list[HasilKriteria]:
        """The checklist for the figures currently entered."""
        return cek_snp_desa(self.judul.value, self.luas.value, self.jam.value, self.tenaga.value,
                            self.slta.value, self.pelatihan.value, self.baru.value)

    def _on_click(self, _button=None) -> None:
        hasil = self.periksa()
        baris = "".join(
            f"<li>{'✔ sudah' if h.terpenuhi else '✘ belum'}: {h.kriteria} "
            f"(isian Anda: {h.keterangan})</li>"
            for h in hasil
        )
        self.hasil.value = f"<ul>{baris}</ul><p><b>{ringkasan_snp(hasil)}</b></p>"

    def _ipython_display_(self):
        display(self.kotak)
