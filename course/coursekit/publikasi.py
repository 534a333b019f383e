"""Publication and documentation: interaction figures and a success-story builder.

Interaksi (engagement) = suka + komentar + dibagikan, and tingkat interaksi
(engagement rate) = interaksi / jangkauan (shown here as a percentage), are
common conventions in social-media reporting, not Perpusnas rules. Participants
read the Indonesian terms only, so the functions and columns carry them. The
four-part success story (situasi, tindakan, perubahan, bukti) is the course's
teaching structure.
"""

from __future__ import annotations

import html
import re

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

BAGIAN_CERITA = ("situasi", "tindakan", "perubahan", "bukti")
LABEL_BAGIAN = {
    "situasi": "Situasi awal",
    "tindakan": "Tindakan",
    "perubahan": "Perubahan",
    "bukti": "Bukti (angka atau kutipan)",
}
PERTANYAAN_BAGIAN = {
    "situasi": "Siapa tokohnya dan apa masalahnya sebelum ada kegiatan?",
    "tindakan": "Apa yang dilakukan perpustakaan bersama mitra?",
    "perubahan": "Apa yang berubah dalam hidup tokoh atau warga?",
    "bukti": "Angka atau kutipan apa yang membuktikan perubahan itu?",
}
KATA_MINIMAL_BAGIAN = 5
PANJANG_SARAN = (100, 150)  # words; a guide for short stories, not a rule


def interaksi(suka: int, komentar: int, dibagikan: int) -> int:
    """Interactions (engagement) of one post: likes + comments + shares."""
    return int(suka) + int(komentar) + int(dibagikan)


def tingkat_interaksi(nilai_interaksi: float, jangkauan: float) -> float:
    """Interaction (engagement) rate in percent: interactions / reach x 100."""
    if jangkauan <= 0:
        raise ValueError("Jangkauan harus lebih dari 0.")
    return nilai_interaksi / jangkauan * 100


def tambah_interaksi(unggahan: pd.DataFrame) -> pd.DataFrame:
    """A copy of the post table with ``interaksi`` and ``tingkat_interaksi`` (percent) columns."""
    hasil = unggahan.copy()
    hasil["interaksi"] = hasil["suka"] + hasil["komentar"] + hasil["dibagikan"]
    hasil["tingkat_interaksi"] = hasil["interaksi"] / hasil["jangkauan"] * 100
    return hasil


def grafik_tingkat_per_konten(unggahan: pd.DataFrame, judul: str | None = None):
    """Horizontal bars: mean interaction rate (percent) per content type, each bar labelled."""
    rata = tambah_interaksi(unggahan).groupby("jenis_konten")["tingkat_interaksi"].mean()
    rata = rata.sort_values()
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(rata) + 1.5))
    arsir = ["//", "..", "xx", "\\\\", "oo", "--"]
    batang = ax.barh(rata.index, rata.values, color="#4c72b0", edgecolor="black",
                     hatch=[arsir[i % len(arsir)] for i in range(len(rata))])
    ax.bar_label(batang, labels=[f"{v:.2f}%".replace(".", ",") for v in rata.values],
                 padding=3)
    ax.set_xlim(0, rata.max() * 1.25)
    ax.set_xlabel("Rata-rata tingkat interaksi (persen dari jangkauan)")
    ax.set_ylabel("Jenis konten")
    ax.set_title(judul or "Rata-rata tingkat interaksi per jenis konten (data sintetis)")
    fig.tight_layout()
    return ax


def jumlah_kata(teks: str) -> int:
    """Number of words in a text."""
    return len((teks or "").split())


def susun_cerita(judul: str, bagian: dict[str, str]) -> str:
    """The story as text: the title, then the filled parts in order, one paragraph each."""
    paragraf = [bagian.get(k, "").strip() for k in BAGIAN_CERITA]
    isi = "\n\n".join(p for p in paragraf if p)
    return f"{judul.strip()}\n\n{isi}".strip()


def periksa_cerita(bagian: dict[str, str], izin: bool = False) -> list[tuple[str, bool]]:
    """A checklist for a success story: each item is (what is checked, passed or not)."""
    daftar = []
    for k in BAGIAN_CERITA:
        cukup = jumlah_kata(bagian.get(k, "")) >= KATA_MINIMAL_BAGIAN
        daftar.append((f"{LABEL_BAGIAN[k]} terisi (minimal {KATA_MINIMAL_BAGIAN} kata)", cukup))
    bukti = bagian.get("bukti", "")
    ada_bukti = bool(re.search(r"\d", bukti)) or bool(re.search(r"[\"“”]", bukti))
    daftar.append(("Bukti memuat angka atau kutipan (tanda petik)", ada_bukti))
    total = sum(jumlah_kata(bagian.get(k, "")) for k in BAGIAN_CERITA)
    bawah, atas = PANJANG_SARAN
    daftar.append((f"Panjang {bawah}–{atas} kata (sekarang {total} kata)",
                   bawah <= total <= atas))
    daftar.append(("Tokoh cerita sudah memberi izin nama, kutipan dan fotonya dipakai", izin))
    return daftar


class PembuatCerita:
    """Success-story builder: fill the four parts, read the story and what is still missing."""

    def __init__(self):
        gaya = {"description_width": "150px"}
        lebar = widgets.Layout(width="640px")
        self.judul = widgets.Text(description="Judul", style=gaya, layout=lebar,
                                  placeholder="mis. Dari dapur ke pasar daring")
        self.bagian = {
            k: widgets.Textarea(description=LABEL_BAGIAN[k], placeholder=PERTANYAAN_BAGIAN[k],
                                style=gaya, layout=widgets.Layout(width="640px", height="70px"))
            for k in BAGIAN_CERITA
        }
        self.izin = widgets.Checkbox(description="Tokoh sudah memberi izin", value=False)
        self.tombol = widgets.Button(description="Susun cerita", button_style="primary")
        self.hasil = widgets.HTML()
        self.tombol.on_click(self._on_click)
        self.kotak = widgets.VBox([self.judul, *self.bagian.values(), self.izin, self.tombol,
                                   self.hasil])

    def isian(self) -> dict[str, str]:
        """The text of the four parts as typed."""
        return {k: w.value for k, w in self.bagian.items()}

    def _on_click(self, _button=None) -> None:
        isian = self.isian()
        cerita = susun_cerita(self.judul.value or "(tanpa judul)", isian)
        cerita_html = "<br><br>".join(html.escape(p) for p in cerita.split("\n\n"))
        baris = "".join(
            f'<li style="color:{"#1b5e20" if ok else "#b71c1c"}">{"✔" if ok else "✘"} '
            f"{html.escape(teks)}</li>"
            for teks, ok in periksa_cerita(isian, self.izin.value)
        )
        self.hasil.value = (
            f'<div style="border:1px solid #999;padding:8px">{cerita_html}</div>'
            f"<p><b>Daftar periksa:</b></p><ul>{baris}</ul>"
        )

    def _ipython_display_(self):
        display(self.kotak)
