"""Module 3 (literasi data): a TGM calculator and an IPLM band classifier for the lesson.

The formulas and bands come from ``coursekit.indikator`` (FACTS.md); this module
only explains a result in words and wires it to widgets. Widgets are for
practice: graded answers live in code cells.
"""

from __future__ import annotations

import ipywidgets as widgets
from IPython.display import display

from coursekit.indikator import BOBOT_TGM, IPLM_NASIONAL, kategori_iplm, rentang_tgm, tgm

NAMA_KOMPONEN = {
    "FM": "frekuensi membaca",
    "DM": "durasi membaca",
    "JB": "jumlah buku dibaca per triwulan",
    "FAI": "frekuensi akses internet",
    "DAI": "durasi akses internet",
}


def angka_id(nilai: float) -> str:
    """A number written the Indonesian way, with two decimals: 56.3 -> '56,30'."""
    return f"{nilai:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def uraian_tgm(fm: float, dm: float, jb: float, fai: float, dai: float) -> dict:
    """TGM, its band, and each component's share of the score (weight × value)."""
    nilai = tgm(fm, dm, jb, fai, dai)
    masukan = {"FM": fm, "DM": dm, "JB": jb, "FAI": fai, "DAI": dai}
    kontribusi = {k: round(BOBOT_TGM[k] * v, 2) for k, v in masukan.items()}
    terbesar = max(kontribusi, key=kontribusi.get)
    return {"tgm": nilai, "rentang": rentang_tgm(nilai), "kontribusi": kontribusi,
            "terbesar": terbesar}


def teks_tgm(fm: float, dm: float, jb: float, fai: float, dai: float) -> str:
    """The calculator's answer as short HTML: score, band, largest component."""
    u = uraian_tgm(fm, dm, jb, fai, dai)
    rincian = " + ".join(f"{angka_id(v)} ({k})" for k, v in u["kontribusi"].items())
    return (
        f"<p><b>TGM = {angka_id(u['tgm'])}</b>, masuk rentang <b>{u['rentang']}</b>.</p>"
        f"<p>Rinciannya: {rincian}.<br>Sumbangan terbesar datang dari {u['terbesar']} "
        f"({NAMA_KOMPONEN[u['terbesar']]}).</p>"
    )


def teks_iplm(nilai: float) -> str:
    """The classifier's answer: the IPLM band and how it compares with the latest national IPLM."""
    kategori = kategori_iplm(nilai)
    tahun = max(IPLM_NASIONAL)
    nasional = IPLM_NASIONAL[tahun]
    if nilai > nasional:
        banding = "di atas"
    elif nilai < nasional:
        banding = "di bawah"
    else:
        banding = "sama dengan"
    return (
        f"<p>IPLM {angka_id(nilai)} termasuk kategori <b>{kategori}</b>.</p>"
        f"<p>Nilai ini {banding} IPLM nasional {tahun} ({angka_id(nasional)}, kategori "
        f"{kategori_iplm(nasional)}).</p>"
    )


class KalkulatorTGM:
    """Five sliders (FM, DM, JB, FAI, DAI); the TGM and its band update as they move."""

    def __init__(self, awal: dict[str, int] | None = None):
        awal = awal or {"FM": 60, "DM": 55, "JB": 50, "FAI": 65, "DAI": 60}
        self.slider = {
            k: widgets.IntSlider(value=awal[k], min=0, max=100, step=1,
                                 description=k, continuous_update=False)
            for k in NAMA_KOMPONEN
        }
        keterangan = [widgets.HTML(f"<small>{k}: {v}</small>") for k, v in NAMA_KOMPONEN.items()]
        self.hasil = widgets.HTML()
        for s in self.slider.values():
            s.observe(self._perbarui, names="value")
        self._perbarui()
        self.kotak = widgets.VBox([widgets.HTML("<b>Kalkulator TGM</b>"), *self.slider.values(),
                                   *keterangan, self.hasil])

    def nilai(self) -> dict:
        """The calculation for the current slider positions."""
        v = {k: s.value for k, s in self.slider.items()}
        return uraian_tgm(v["FM"], v["DM"], v["JB"], v["FAI"], v["DAI"])

    def _perbarui(self, _change=None) -> None:
        v = {k: s.value for k, s in self.slider.items()}
        self.hasil.value = teks_tgm(v["FM"], v["DM"], v["JB"], v["FAI"], v["DAI"])

    def _ipython_display_(self):
        display(self.kotak)


class PenggolongIPLM:
    """Type an IPLM value (0–100), click *Golongkan*, read its category."""

    def __init__(self, awal: float = 55.0):
        self.masukan = widgets.BoundedFloatText(value=awal, min=0, max=100, step=0.01,
                                                description="Nilai IPLM",
                                                style={"description_width": "90px"})
        self.tombol = widgets.Button(description="Golongkan", button_style="primary")
        self.hasil = widgets.HTML()
        self.tombol.on_click(self._on_click)
        self.kotak = widgets.VBox([widgets.HTML("<b>Penggolong kategori IPLM</b>"),
                                   widgets.HBox([self.masukan, self.tombol]), self.hasil])

    def _on_click(self, _button=None) -> None:
        self.hasil.value = teks_iplm(self.masukan.value)

    def _ipython_display_(self):
        display(self.kotak)
