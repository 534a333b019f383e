"""Community engagement (pelibatan masyarakat): participation figures and an activity planner.

Plain functions hold the logic (tested without a browser); ``PerencanaKegiatan``
is a thin ipywidgets planner on top. Age groups follow the course data sets:
anak 0-12, remaja 13-18, dewasa 19-59, lansia 60+ years (the course's own
convention). The inclusion tips are general good practice, not Perpusnas rules.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

KELOMPOK_UMUR = ("anak", "remaja", "dewasa", "lansia")
LABEL_UMUR = {
    "anak": "Anak (0–12 th)",
    "remaja": "Remaja (13–18 th)",
    "dewasa": "Dewasa (19–59 th)",
    "lansia": "Lansia (60+ th)",
}

# Needs, target groups and partners offered by the planner (examples, not a closed list).
KEBUTUHAN = (
    "literasi digital",
    "pelatihan keterampilan",
    "informasi pertanian",
    "informasi UMKM",
    "bahan bacaan anak",
)
IDE_KEGIATAN = {
    "literasi digital": "Kelas literasi digital",
    "pelatihan keterampilan": "Pelatihan keterampilan praktis",
    "informasi pertanian": "Diskusi dan sekolah lapang pertanian",
    "informasi UMKM": "Klinik pemasaran daring UMKM",
    "bahan bacaan anak": "Mendongeng dan membaca nyaring",
}
SASARAN = (
    "anak",
    "remaja",
    "perempuan",
    "lansia",
    "penyandang disabilitas",
    "petani",
    "pelaku UMKM",
)
MITRA = (
    "PKK",
    "Karang Taruna",
    "BUMDes",
    "sekolah",
    "penyuluh pertanian",
    "komunitas pegiat literasi",
    "pemerintah desa",
    "organisasi penyandang disabilitas",
)
SARAN_INKLUSI = {
    "anak": "Ajak orang tua atau guru; buat sesi pendek dengan banyak gerak dan gambar.",
    "remaja": "Pilih waktu sepulang sekolah atau akhir pekan; beri remaja peran sebagai "
    "pendamping.",
    "perempuan": "Pilih waktu yang tidak bentrok dengan pekerjaan rumah atau pasar; "
    "sediakan pojok bermain anak.",
    "lansia": "Pakai huruf besar, tempo pelan dan kursi yang nyaman; siapkan satu "
    "pendamping untuk beberapa peserta.",
    "penyandang disabilitas": "Pastikan tempat mudah dijangkau kursi roda; tanyakan "
    "kebutuhan khusus saat pendaftaran; ajak organisasi penyandang disabilitas.",
    "petani": "Pilih waktu di luar jam kerja di sawah atau kebun, misalnya sore hari.",
    "pelaku UMKM": "Minta peserta membawa produknya sendiri sebagai bahan latihan.",
}


def total_jenis_kelamin(kegiatan: pd.DataFrame) -> dict:
    """Total male and female participants and the share of women (percent, 2 decimals)."""
    laki = int(kegiatan["peserta_l"].sum())
    perempuan = int(kegiatan["peserta_p"].sum())
    total = laki + perempuan
    persen = round(perempuan / total * 100, 2) if total else 0.0
    return {"L": laki, "P": perempuan, "persen_perempuan": persen}


def total_kelompok_umur(kegiatan: pd.DataFrame) -> pd.Series:
    """Participants per age group (index: anak, remaja, dewasa, lansia)."""
    kolom = [f"peserta_{k}" for k in KELOMPOK_UMUR]
    jumlah = kegiatan[kolom].sum().astype(int)
    jumlah.index = list(KELOMPOK_UMUR)
    jumlah.name = "peserta"
    return jumlah


def grafik_partisipasi(kegiatan: pd.DataFrame):
    """Two bar charts: participants by sex and by age group, each bar labelled with its value."""
    jk = total_jenis_kelamin(kegiatan)
    umur = total_kelompok_umur(kegiatan)
    fig, (kiri, kanan) = plt.subplots(1, 2, figsize=(10, 3.6))
    _batang(kiri, ["Laki-laki", "Perempuan"], [jk["L"], jk["P"]], ["//", ".."])
    kiri.set_title("Peserta menurut jenis kelamin")
    _batang(kanan, [LABEL_UMUR[k] for k in umur.index], list(umur.values),
            ["//", "..", "xx", "\\\\"])
    kanan.set_title("Peserta menurut kelompok umur")
    fig.suptitle("Partisipasi kegiatan pelibatan masyarakat (data sintetis)")
    fig.tight_layout()
    return fig


def _batang(ax, label, nilai, arsir) -> None:
    warna = ["#4c72b0", "#dd8452", "#55a868", "#8172b3"]
    batang = ax.barh(label, nilai, color=warna[: len(nilai)], hatch=arsir, edgecolor="black")
    ax.bar_label(batang, labels=[f"{v:,}".replace(",", ".") for v in nilai], padding=3)
    ax.set_xlabel("Jumlah peserta (orang)")
    ax.set_xlim(0, max(nilai) * 1.2 if max(nilai) else 1)
    ax.invert_yaxis()


def bagian_kosong(kebutuhan: str, sasaran: str, mitra: str, jadwal: str) -> list[str]:
    """Names of the plan's parts that are still empty."""
    isian = {"kebutuhan": kebutuhan, "sasaran": sasaran, "mitra": mitra, "jadwal": jadwal}
    return [nama for nama, nilai in isian.items() if not (nilai or "").strip()]


def rencana_kegiatan(kebutuhan: str, sasaran: str, mitra: str, jadwal: str,
                     tempat: str = "perpustakaan") -> str:
    """A one-line activity plan from a need, a target group, a partner and a schedule."""
    kosong = bagian_kosong(kebutuhan, sasaran, mitra, jadwal)
    if kosong:
        raise ValueError("Bagian rencana yang belum diisi: " + ", ".join(kosong) + ".")
    kegiatan = IDE_KEGIATAN.get(kebutuhan.strip(), f"Kegiatan tentang {kebutuhan.strip()}")
    return (
        f"{kegiatan} untuk {sasaran.strip()} bersama {mitra.strip()}, "
        f"{jadwal.strip()} di {tempat.strip()}, untuk menjawab kebutuhan warga "
        f"akan {kebutuhan.strip()}."
    )


def saran_inklusi(sasaran: str) -> list[str]:
    """Inclusion tips for a target group, plus the tips every activity needs."""
    umum = [
        "Catat peserta menurut jenis kelamin, kelompok umur dan disabilitas.",
        "Umumkan kegiatan lewat beberapa jalur (pengeras suara rumah ibadah, grup WhatsApp, "
        "papan pengumuman) agar warga yang tidak memakai internet juga tahu.",
    ]
    khusus = SARAN_INKLUSI.get(sasaran.strip())
    return ([khusus] if khusus else []) + umum


def _pilihan(isi) -> list[tuple[str, str]]:
    return [("— pilih —", "")] + [(x, x) for x in isi]


class PerencanaKegiatan:
    """Planner widget: choose a need, target group, partner and schedule; read the plan."""

    def __init__(self):
        gaya = {"description_width": "90px"}
        lebar = widgets.Layout(width="420px")
        self.kebutuhan = widgets.Dropdown(options=_pilihan(KEBUTUHAN),
                                          value="", description="Kebutuhan", style=gaya,
                                          layout=lebar)
        self.sasaran = widgets.Dropdown(options=_pilihan(SASARAN),
                                        value="", description="Sasaran", style=gaya,
                                        layout=lebar)
        self.mitra = widgets.Dropdown(options=_pilihan(MITRA), value="",
                                      description="Mitra", style=gaya, layout=lebar)
        self.jadwal = widgets.Text(placeholder="mis. setiap Sabtu pukul 15.00, Juli 2025",
                                   description="Jadwal", style=gaya, layout=lebar)
        self.tombol = widgets.Button(description="Susun rencana", button_style="primary")
        self.hasil = widgets.HTML()
        self.tombol.on_click(self._on_click)
        self.kotak = widgets.VBox([self.kebutuhan, self.sasaran, self.mitra, self.jadwal,
                                   self.tombol, self.hasil])

    def _on_click(self, _button=None) -> None:
        isian = (self.kebutuhan.value, self.sasaran.value, self.mitra.value, self.jadwal.value)
        kosong = bagian_kosong(*isian)
        if kosong:
            self.hasil.value = (
                '<span style="color:#b71c1c">✘ Lengkapi dulu: ' + ", ".join(kosong) + ".</span>"
            )
            return
        rencana = html.escape(rencana_kegiatan(*isian))
        saran = "".join(f"<li>{html.escape(s)}</li>" for s in saran_inklusi(self.sasaran.value))
        self.hasil.value = (
            f'<p style="color:#1b5e20">✔ <b>Rencana:</b> {rencana}</p>'
            f"<p><b>Agar inklusif:</b></p><ul>{saran}</ul>"
        )

    def _ipython_display_(self):
        display(self.kotak)
