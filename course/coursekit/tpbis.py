"""Helpers for module m01 (TPBIS): the three core strategies and a strategy sorter.

The three core strategies of TPBIS are *Peningkatan Layanan Informasi*,
*Pelibatan Masyarakat* and *Advokasi* (with *Replikasi Mandiri* for
sustainability). The example activities below are the course's own
illustrations, not programme data: each is sorted by its *main* strategy,
although a real activity often touches more than one.

``PemilahStrategi`` is a thin widget over ``periksa_klasifikasi`` and ``rekap``,
which are plain functions tested without a browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import ipywidgets as widgets
from IPython.display import display

STRATEGI = {
    "layanan": "Peningkatan Layanan Informasi",
    "pelibatan": "Pelibatan Masyarakat",
    "advokasi": "Advokasi",
}
REPLIKASI_MANDIRI = "Replikasi Mandiri"


@dataclass(frozen=True)
class Kegiatan:
    """An example library activity, its main strategy (a key of ``STRATEGI``) and why."""

    teks: str
    strategi: str
    alasan: str


CONTOH_KEGIATAN = [
    Kegiatan(
        "Membuka layanan internet dan komputer gratis untuk pelajar setiap sore.",
        "layanan",
        "Perpustakaan menambah akses informasi dan TIK yang dapat dipakai warga.",
    ),
    Kegiatan(
        "Mengajak karang taruna menyusun dan memandu jadwal membaca bersama anak-anak.",
        "pelibatan",
        "Warga (karang taruna) ikut merancang dan menjalankan kegiatan perpustakaan.",
    ),
    Kegiatan(
        "Memaparkan data kunjungan dan cerita manfaat perpustakaan kepada kepala desa "
        "untuk meminta dukungan anggaran.",
        "advokasi",
        "Sasarannya pengambil keputusan, pesannya berbasis data, tujuannya dukungan.",
    ),
    Kegiatan(
        "Memasukkan data koleksi ke INLISLite agar katalog dapat dicari.",
        "layanan",
        "Otomasi katalog membuat layanan informasi lebih cepat dan mudah.",
    ),
    Kegiatan(
        "Menyebarkan survei kebutuhan informasi kepada kelompok tani.",
        "pelibatan",
        "Analisis kebutuhan warga adalah langkah awal pelibatan masyarakat.",
    ),
    Kegiatan(
        "Mengundang anggota DPRD kabupaten melihat langsung kegiatan perpustakaan.",
        "advokasi",
        "Pemangku kepentingan yang berpengaruh diajak memahami dan mendukung perpustakaan.",
    ),
    Kegiatan(
        "Menambah jam buka perpustakaan pada hari Sabtu.",
        "layanan",
        "Waktu layanan yang lebih panjang membuka akses bagi warga yang bekerja.",
    ),
    Kegiatan(
        "Pelatihan membuat keripik singkong bersama kelompok ibu-ibu, memakai buku resep "
        "dari koleksi perpustakaan.",
        "pelibatan",
        "Kegiatan pemberdayaan: warga belajar keterampilan yang mereka butuhkan.",
    ),
    Kegiatan(
        "Mengajukan usulan kegiatan perpustakaan dalam musyawarah perencanaan pembangunan "
        "desa (musrenbangdes).",
        "advokasi",
        "Perpustakaan memperjuangkan tempat dalam rencana dan anggaran desa.",
    ),
]


def kode_strategi(nilai) -> str | None:
    """The strategy key for an answer, accepting the key or the full name in any case.

    ``kode_strategi("Pelibatan Masyarakat")`` and ``kode_strategi(" pelibatan")`` both give
    ``"pelibatan"``; anything else (including the stub ``...``) gives ``None``.
    """
    if not isinstance(nilai, str):
        return None
    teks = " ".join(nilai.strip().lower().split())
    for kode, nama in STRATEGI.items():
        if teks in (kode, nama.lower()):
            return kode
    return None


def periksa_klasifikasi(kegiatan: Kegiatan, pilihan) -> tuple[bool, str]:
    """Whether ``pilihan`` names the activity's main strategy, and a kind message saying why."""
    kode = kode_strategi(pilihan)
    if kode is None:
        return False, "Pilih salah satu dari tiga strategi dulu, lalu klik Periksa."
    nama_benar = STRATEGI[kegiatan.strategi]
    if kode == kegiatan.strategi:
        return True, f"Tepat: {nama_benar}. {kegiatan.alasan}"
    return False, (
        f"Belum tepat. Strategi utamanya adalah {nama_benar}, bukan {STRATEGI[kode]}. "
        f"{kegiatan.alasan}"
    )


def rekap(jawaban: Mapping[int, str], kegiatan: list[Kegiatan] = CONTOH_KEGIATAN
          ) -> tuple[int, int]:
    """(right answers, answered) for answers given as {activity index: strategy}."""
    benar = sum(
        1 for i, pilihan in jawaban.items()
        if kode_strategi(pilihan) == kegiatan[i].strategi
    )
    return benar, len(jawaban)


def cek_pasangan(pasangan, kunci: Iterable[str], nama: str = "pasangan") -> None:
    """Fail with an Indonesian hint unless every key in ``kunci`` maps to one of the strategies.

    Used by the visible checks of an exercise: it checks the form, not the right answer.
    """
    pilihan = ", ".join(f'"{k}"' for k in STRATEGI)
    if pasangan is Ellipsis:
        raise AssertionError(f"{nama} belum diisi. Lengkapi tabelnya, lalu jalankan selnya.")
    if not isinstance(pasangan, dict):
        raise AssertionError(f"{nama} harus tetap berbentuk tabel {{...}} seperti contohnya.")
    for k in kunci:
        if k not in pasangan:
            raise AssertionError(f'Baris "{k}" hilang dari {nama}. Kembalikan baris itu.')
        if pasangan[k] is Ellipsis:
            raise AssertionError(f'Baris "{k}" belum diisi: ganti tanda ... dengan {pilihan}.')
        if kode_strategi(pasangan[k]) is None:
            raise AssertionError(
                f'Isian baris "{k}" ({pasangan[k]!r}) tidak dikenali. Tulis salah satu dari '
                f"{pilihan}, di antara tanda petik."
            )


class PemilahStrategi:
    """Show one activity at a time; the reader picks its strategy and reads why."""

    def __init__(self, kegiatan: list[Kegiatan] | None = None):
        self.kegiatan = list(kegiatan or CONTOH_KEGIATAN)
        self.nomor = 0
        self.jawaban: dict[int, str] = {}
        self.soal = widgets.HTML()
        self.pilihan = widgets.RadioButtons(
            options=[(nama, kode) for kode, nama in STRATEGI.items()], value=None
        )
        self.tombol_periksa = widgets.Button(description="Periksa", button_style="primary")
        self.tombol_berikutnya = widgets.Button(description="Kegiatan berikutnya")
        self.umpan_balik = widgets.HTML()
        self.skor = widgets.HTML()
        self.tombol_periksa.on_click(self._periksa)
        self.tombol_berikutnya.on_click(self._berikutnya)
        self.kotak = widgets.VBox([
            self.soal, self.pilihan,
            widgets.HBox([self.tombol_periksa, self.tombol_berikutnya]),
            self.umpan_balik, self.skor,
        ])
        self._tampilkan()

    def _tampilkan(self) -> None:
        k = self.kegiatan[self.nomor]
        self.soal.value = (
            f"<b>Kegiatan {self.nomor + 1} dari {len(self.kegiatan)}:</b> {k.teks}<br>"
            "Termasuk strategi apa?"
        )
        self.pilihan.value = None
        self.umpan_balik.value = ""

    def _periksa(self, _tombol=None) -> None:
        benar, pesan = periksa_klasifikasi(self.kegiatan[self.nomor], self.pilihan.value)
        if self.pilihan.value is not None:
            self.jawaban[self.nomor] = self.pilihan.value
        warna, tanda = ("#1b5e20", "✔") if benar else ("#b71c1c", "✘")
        self.umpan_balik.value = f'<span style="color:{warna}">{tanda} {pesan}</span>'
        jumlah_benar, dijawab = rekap(self.jawaban, self.kegiatan)
        self.skor.value = f"Skor sementara: {jumlah_benar} tepat dari {dijawab} kegiatan dijawab."

    def _berikutnya(self, _tombol=None) -> None:
        self.nomor = (self.nomor + 1) % len(self.kegiatan)
        self._tampilkan()

    def _ipython_display_(self):
        display(self.kotak)
