"""Advocacy: stakeholder mapping on interest (minat) x influence (pengaruh), advocacy messages.

The four-quadrant grid is common practice in stakeholder analysis, not a
Perpusnas rule. The threshold is this course's convention: on a 1-5 scale a
score of 3 or more counts as *tinggi* (``BATAS_TINGGI``).
"""

from __future__ import annotations

import html
import numbers
import textwrap
from collections import defaultdict

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

BATAS_TINGGI = 3  # course convention: minat/pengaruh >= 3 is "tinggi"

KUADRAN = ("kelola dekat", "jaga kepuasan", "beri informasi", "pantau")
STRATEGI = {
    "kelola dekat": "Minat dan pengaruh tinggi: libatkan sejak perencanaan, temui langsung "
    "dan rutin, jadikan mitra utama.",
    "jaga kepuasan": "Pengaruh tinggi, minat rendah: kirim informasi singkat yang menyentuh "
    "kepentingannya, bangun minatnya, jangan membebani dengan detail.",
    "beri informasi": "Minat tinggi, pengaruh rendah: kabari secara teratur dan ajak terlibat "
    "dalam kegiatan; mereka bisa menjadi pendukung dan penyambung suara.",
    "pantau": "Minat dan pengaruh rendah: cukup dipantau; perbarui penilaian bila keadaan "
    "berubah.",
}
_GAYA = {  # marker and colour per quadrant: the shape tells them apart without colour
    "kelola dekat": ("o", "#c44e52"),
    "jaga kepuasan": ("s", "#4c72b0"),
    "beri informasi": ("^", "#55a868"),
    "pantau": ("D", "#8c8c8c"),
}


def _skor(nilai, nama: str) -> int:
    if isinstance(nilai, bool) or not isinstance(nilai, numbers.Real) or nilai != int(nilai):
        raise ValueError(f"{nama} harus berupa bilangan bulat 1 sampai 5 (diberikan: {nilai!r}).")
    if not 1 <= nilai <= 5:
        raise ValueError(f"{nama} harus di antara 1 dan 5 (diberikan: {nilai}).")
    return int(nilai)


def kuadran(minat, pengaruh) -> str:
    """The quadrant of a stakeholder with ``minat`` and ``pengaruh`` scored 1-5."""
    minat_tinggi = _skor(minat, "Minat") >= BATAS_TINGGI
    pengaruh_tinggi = _skor(pengaruh, "Pengaruh") >= BATAS_TINGGI
    if pengaruh_tinggi:
        return "kelola dekat" if minat_tinggi else "jaga kepuasan"
    return "beri informasi" if minat_tinggi else "pantau"


def cek_tabel_kuadran(isian, nama_nama, variabel: str = "kuadran_saya") -> None:
    """Visible check of an answer table ``{"name": "quadrant", ...}``.

    Raises ``AssertionError`` with a hint that quotes the line exactly as the answer
    cell writes it (``"Bappeda": "kelola dekat",``), never a variable that does not
    exist in the cell.
    """
    if not isinstance(isian, dict):
        raise AssertionError(f"{variabel} harus tetap berbentuk tabel {{ ... }} seperti semula.")
    daftar = ", ".join(f'"{k}"' for k in KUADRAN)
    for nama in nama_nama:
        if nama not in isian:
            raise AssertionError(f'Baris "{nama}" terhapus dari {variabel}; kembalikan baris itu.')
        nilai = isian[nama]
        if nilai is Ellipsis:
            raise AssertionError(
                f'Kuadran {nama} belum diisi. Ganti tanda ... di baris "{nama}" dengan nama '
                "kuadran, lalu jalankan sel jawaban itu (Shift+Enter) sebelum sel pemeriksa ini.")
        if not isinstance(nilai, str) or nilai.strip().lower() not in KUADRAN:
            raise AssertionError(
                f"Kuadran {nama} harus salah satu dari {daftar}, ditulis di antara tanda petik, "
                f'misalnya "{nama}": "{KUADRAN[0]}",')


def petakan(pemangku: pd.DataFrame) -> pd.DataFrame:
    """A copy of the table with a ``kuadran`` column computed from ``minat`` and ``pengaruh``."""
    hasil = pemangku.copy()
    hasil["kuadran"] = [kuadran(int(m), int(p))
                        for m, p in zip(hasil["minat"], hasil["pengaruh"], strict=True)]
    return hasil


def posisi_label(pemangku: pd.DataFrame) -> list[tuple[float, float]]:
    """Plot positions: stakeholders sharing a score are spread vertically so labels stay legible."""
    kelompok = defaultdict(list)
    for i, (m, p) in enumerate(zip(pemangku["minat"], pemangku["pengaruh"], strict=True)):
        kelompok[(int(m), int(p))].append(i)
    posisi = [(0.0, 0.0)] * len(pemangku)
    for (m, p), anggota in kelompok.items():
        n = len(anggota)
        for k, i in enumerate(anggota):
            posisi[i] = (float(m), p + (k - (n - 1) / 2) * 0.3)
    return posisi


def gambar_peta(pemangku: pd.DataFrame, sorot: str | None = None, ax=None):
    """Interest x influence grid with one labelled marker per stakeholder."""
    peta = petakan(pemangku)
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 8))
    posisi = posisi_label(peta)
    for (x, y), nama, kd in zip(posisi, peta["pemangku_kepentingan"], peta["kuadran"],
                                strict=True):
        penanda, warna = _GAYA[kd]
        tebal = nama == sorot
        ax.scatter(x, y, marker=penanda, color=warna, edgecolor="black",
                   s=110 if tebal else 45, zorder=3)
        ax.annotate(textwrap.fill(nama, 16), (x, y), xytext=(7, 0), textcoords="offset points",
                    va="center", fontsize=9 if tebal else 8,
                    fontweight="bold" if tebal else "normal",
                    bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "alpha": 0.8,
                          "edgecolor": "none"})
    batas = BATAS_TINGGI - 0.5
    ax.axvline(batas, color="black", linewidth=1)
    ax.axhline(batas, color="black", linewidth=1)
    sudut = {"kelola dekat": (6.3, 5.75), "jaga kepuasan": (0.6, 5.75),
             "beri informasi": (6.3, 0.25), "pantau": (0.6, 0.25)}
    for kd, (x, y) in sudut.items():
        ax.text(x, y, kd.upper(), ha="right" if x > 3 else "left", va="center",
                fontsize=10, fontweight="bold", color=_GAYA[kd][1])
    ax.set_xlim(0.5, 6.4)
    ax.set_ylim(0.0, 6.0)
    ax.set_xticks(range(1, 6))
    ax.set_yticks(range(1, 6))
    ax.set_xlabel("Minat pada perpustakaan (1 = rendah, 5 = tinggi)")
    ax.set_ylabel("Pengaruh atas keputusan dan anggaran (1–5)")
    ax.set_title("Peta pemangku kepentingan: minat × pengaruh (data sintetis)")
    ax.grid(alpha=0.3)
    return ax


def susun_pesan(sasaran: str, masalah: str, data: str, permintaan: str, manfaat: str) -> str:
    """An advocacy message: the addressee, the problem with its data, the ask, the benefit."""
    isian = {"sasaran": sasaran, "masalah": masalah, "data": data, "permintaan": permintaan,
             "manfaat": manfaat}
    kosong = [k for k, v in isian.items() if not (v or "").strip()]
    if kosong:
        raise ValueError("Bagian pesan yang belum diisi: " + ", ".join(kosong) + ".")
    bersih = {k: v.strip().rstrip(".") for k, v in isian.items()}
    return (
        f"Yth. {bersih['sasaran']}. {bersih['masalah']}. Data kami: {bersih['data']}. "
        f"Kami memohon {bersih['permintaan']}. Manfaatnya bagi warga: {bersih['manfaat']}."
    )


class PetaPemangku:
    """Widget: name a stakeholder, set minat and pengaruh, see its quadrant and the grid."""

    def __init__(self, pemangku: pd.DataFrame | None = None):
        kolom = ["pemangku_kepentingan", "minat", "pengaruh"]
        self.data = (pemangku[kolom].copy() if pemangku is not None
                     else pd.DataFrame(columns=kolom))
        gaya = {"description_width": "120px"}
        self.nama = widgets.Text(placeholder="mis. Kepala Dinas Perpustakaan",
                                 description="Pemangku", style=gaya)
        self.minat = widgets.IntSlider(value=3, min=1, max=5, description="Minat", style=gaya)
        self.pengaruh = widgets.IntSlider(value=3, min=1, max=5, description="Pengaruh",
                                          style=gaya)
        self.tombol = widgets.Button(description="Petakan", button_style="primary")
        self.hasil = widgets.HTML()
        self.grafik = widgets.Output()
        self.tombol.on_click(self._on_click)
        self.kotak = widgets.VBox([self.nama, self.minat, self.pengaruh, self.tombol,
                                   self.hasil, self.grafik])

    def _on_click(self, _button=None) -> None:
        nama = self.nama.value.strip()
        if not nama:
            self.hasil.value = ('<span style="color:#b71c1c">✘ Tulis dulu nama pemangku '
                                "kepentingan.</span>")
            return
        kd = kuadran(self.minat.value, self.pengaruh.value)
        baris = pd.DataFrame([{"pemangku_kepentingan": nama, "minat": self.minat.value,
                               "pengaruh": self.pengaruh.value}])
        self.data = pd.concat([self.data[self.data["pemangku_kepentingan"] != nama], baris],
                              ignore_index=True)
        self.hasil.value = (
            f"<p><b>{html.escape(nama)}</b> (minat {self.minat.value}, pengaruh "
            f"{self.pengaruh.value}) masuk kuadran <b>{kd.upper()}</b>.</p>"
            f"<p>{html.escape(STRATEGI[kd])}</p>"
        )
        self.grafik.clear_output(wait=True)
        with self.grafik:
            fig, ax = plt.subplots(figsize=(11, 8))
            gambar_peta(self.data, sorot=nama, ax=ax)
            display(fig)
            plt.close(fig)

    def _ipython_display_(self):
        display(self.kotak)
