"""Monitoring and evaluation for module m07: KPI achievement, colour bands, a KPI board.

Colour bands come from ``coursekit.indikator.warna_kpi`` (this course's own
convention: the programme shows KPIs as hijau/kuning/merah, and we found no
public source for its thresholds). The logic is plain functions; ``PapanKPI`` is a thin ipywidgets
board on top, testable without a browser.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from coursekit.indikator import BATAS_HIJAU, BATAS_KUNING, warna_kpi

# Background colour, text mark and bar hatch per band: readable without colour.
GAYA_WARNA = {
    "hijau": {"latar": "#c8e6c9", "garis": "#2e7d32", "tanda": "●", "arsir": ""},
    "kuning": {"latar": "#fff59d", "garis": "#f9a825", "tanda": "▲", "arsir": "//"},
    "merah": {"latar": "#ffcdd2", "garis": "#c62828", "tanda": "■", "arsir": "xx"},
}
URUTAN_WARNA = ["merah", "kuning", "hijau"]


def persen_capaian(capaian: float, target: float) -> float:
    """Achievement as a percentage of target, rounded to one decimal."""
    if target <= 0:
        raise ValueError("Target harus lebih dari 0.")
    return round(capaian / target * 100, 1)


def rekap_tahunan(kpi: pd.DataFrame) -> pd.DataFrame:
    """Sum quarterly (or monthly) targets and achievements per indicator."""
    kunci = [k for k in ("indikator", "strategi", "satuan") if k in kpi.columns]
    return kpi.groupby(kunci, as_index=False, sort=False)[["target", "capaian"]].sum()


def tabel_kpi(kpi: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``kpi`` with ``persen`` and ``warna`` for each row."""
    hasil = kpi.copy()
    pasangan = list(zip(hasil["capaian"], hasil["target"], strict=True))
    hasil["persen"] = [persen_capaian(c, t) for c, t in pasangan]
    hasil["warna"] = [warna_kpi(c, t) for c, t in pasangan]
    return hasil


def hitung_warna(tabel: pd.DataFrame) -> dict[str, int]:
    """How many KPIs fall in each band, always with all three bands."""
    jumlah = tabel["warna"].value_counts()
    return {w: int(jumlah.get(w, 0)) for w in ("hijau", "kuning", "merah")}


def paling_perlu_perhatian(tabel: pd.DataFrame) -> str:
    """The indicator with the lowest achievement percentage."""
    return str(tabel.loc[tabel["persen"].idxmin(), "indikator"])


def format_angka(nilai: float) -> str:
    """A number in Indonesian style: 12.480 or 74,4."""
    if float(nilai).is_integer():
        return f"{int(nilai):,}".replace(",", ".")
    teks = f"{nilai:,.1f}"
    return teks.replace(",", "_").replace(".", ",").replace("_", ".")


def html_papan(tabel: pd.DataFrame) -> str:
    """The KPI board as an HTML table; each band has a colour, a mark and its name."""
    baris = []
    for _, r in tabel.iterrows():
        gaya = GAYA_WARNA[r["warna"]]
        baris.append(
            "<tr>"
            f"<td style='padding:4px 8px'>{html.escape(str(r['indikator']))}</td>"
            f"<td style='padding:4px 8px;text-align:right'>{format_angka(r['target'])}</td>"
            f"<td style='padding:4px 8px;text-align:right'>{format_angka(r['capaian'])}</td>"
            f"<td style='padding:4px 8px;text-align:right'>{format_angka(r['persen'])}%</td>"
            f"<td style='padding:4px 8px;background:{gaya['latar']};"
            f"border-left:6px solid {gaya['garis']}'><b>{gaya['tanda']} {r['warna']}</b></td>"
            "</tr>"
        )
    jumlah = hitung_warna(tabel)
    ringkas = " · ".join(f"{GAYA_WARNA[w]['tanda']} {w}: {n}" for w, n in jumlah.items())
    return (
        "<table style='border-collapse:collapse'>"
        "<tr><th style='text-align:left;padding:4px 8px'>Indikator</th>"
        "<th style='padding:4px 8px'>Target</th><th style='padding:4px 8px'>Capaian</th>"
        "<th style='padding:4px 8px'>Persen</th><th style='padding:4px 8px'>Warna</th></tr>"
        + "".join(baris)
        + f"</table><p><b>Ringkasan:</b> {ringkas}</p>"
    )


def grafik_capaian(tabel: pd.DataFrame, judul: str = "Persentase capaian KPI", ax=None):
    """Horizontal bars of achievement %, each labelled with its % and band name."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.5 * len(tabel) + 1.5))
    urut = tabel.sort_values("persen")
    for posisi, (_, r) in enumerate(urut.iterrows()):
        gaya = GAYA_WARNA[r["warna"]]
        ax.barh(posisi, r["persen"], color=gaya["latar"], edgecolor=gaya["garis"],
                hatch=gaya["arsir"])
        ax.text(r["persen"] + 1, posisi, f"{format_angka(r['persen'])}% ({r['warna']})",
                va="center")
    ax.set_yticks(range(len(urut)), list(urut["indikator"]))
    ax.axvline(BATAS_KUNING * 100, linestyle="--", color="grey")
    ax.axvline(BATAS_HIJAU * 100, linestyle="-", color="grey")
    ax.set_xlim(0, max(130, urut["persen"].max() + 30))
    ax.set_xlabel("Capaian terhadap target (%); garis putus-putus 75%, garis penuh 100%")
    ax.set_ylabel("Indikator kinerja (KPI)")
    ax.set_title(judul)
    return ax


def hitung_per_kategori(log: pd.DataFrame) -> pd.Series:
    """Number of activities per category in an activity log, largest first."""
    return log["kategori"].value_counts()


class PapanKPI:
    """A KPI traffic-light board: change a capaian, see the percentage and colour update."""

    def __init__(self, kpi: pd.DataFrame):
        self.dasar = kpi[["indikator", "target", "capaian"]].reset_index(drop=True)
        self.isian = {}
        for _, r in self.dasar.iterrows():
            kotak = widgets.BoundedIntText(
                value=int(r["capaian"]), min=0, max=10**9,
                description=str(r["indikator"]),
                style={"description_width": "240px"},
                layout=widgets.Layout(width="380px"),
            )
            kotak.observe(self._perbarui, names="value")
            self.isian[r["indikator"]] = kotak
        self.papan = widgets.HTML()
        self.kotak = widgets.VBox([
            widgets.HTML("<b>Ubah angka capaian</b> (target tetap), lalu lihat warnanya."),
            widgets.VBox(list(self.isian.values())),
            self.papan,
        ])
        self._perbarui()

    def tabel(self) -> pd.DataFrame:
        """The board's current table, with the capaian typed in the boxes."""
        data = self.dasar.copy()
        data["capaian"] = [self.isian[i].value for i in data["indikator"]]
        return tabel_kpi(data)

    def _perbarui(self, _perubahan=None) -> None:
        self.papan.value = html_papan(self.tabel())

    def _ipython_display_(self):
        display(self.kotak)
