"""Work plan (rencana kerja) for module m08: structure checks, a month chart, a planner widget.

``periksa_rencana`` returns a list of problems in Indonesian (empty when the
structure is sound). Each rule is also a small function of its own so that the
m08 assignment can grade the parts separately. ``PerencanaKegiatan`` is a thin
ipywidgets planner on top, testable without a browser.

In the m08 assignment the plan is a text table (one line per activity, fields
separated by ``|``) inside one string: a participant types no quotes per
field, the answer lives in the cell source (so it survives re-execution), and a
slip in one line costs that line, not the whole cell. ``baca_tabel_rencana``
reads it; ``cek_baris`` reports the lines that do not have nine fields.
"""

from __future__ import annotations

import html
import math
import numbers
import re

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

STRATEGI = ("peningkatan layanan informasi", "pelibatan masyarakat", "advokasi")
KOLOM_RENCANA = [
    "kegiatan", "strategi", "bulan_mulai", "bulan_selesai", "anggaran",
    "indikator", "target", "penanggung_jawab", "mitra",
]
MINIMAL_KEGIATAN = 3
NAMA_BULAN = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def _hilang(nilai) -> bool:
    """True for a field not given at all: None, NaN (a missing key) or the stub ``...``."""
    if nilai is None or nilai is Ellipsis:
        return True
    return isinstance(nilai, float) and math.isnan(nilai)


def _kosong(nilai) -> bool:
    """True for a field not given or given as blank text."""
    return _hilang(nilai) or (isinstance(nilai, str) and not nilai.strip())


def _angka(nilai) -> bool:
    """True for a real number (int, float, numpy number), not text, not True/False, not NaN."""
    if isinstance(nilai, bool) or not isinstance(nilai, numbers.Real):
        return False
    return not math.isnan(float(nilai))


def _nama(i: int, baris) -> str:
    nama = baris.get("kegiatan")
    if _kosong(nama):
        return f"Kegiatan ke-{i}"
    return f"Kegiatan ke-{i} ({nama})"


def _belum_diisi(i: int, baris, kolom: str) -> str | None:
    """A message when ``kolom`` of this activity is missing or still the stub, else None."""
    nilai = baris.get(kolom)
    if nilai is Ellipsis:
        return (f"{_nama(i, baris)}: isian '{kolom}' masih berisi tanda ... ; "
                "ganti dengan isian Anda.")
    if _hilang(nilai):
        return f"{_nama(i, baris)}: isian '{kolom}' belum ada."
    return None


def _baris(df: pd.DataFrame):
    for i, (_, baris) in enumerate(df.iterrows(), start=1):
        yield i, baris


KOLOM_ANGKA = ("bulan_mulai", "bulan_selesai", "anggaran", "target")
_RIBUAN = re.compile(r"^\d{1,3}(\.\d{3})+$")      # 1.500.000
_DESIMAL = re.compile(r"^\d+(,\d+)?$")            # 30 or 2,5
_PEMISAH_TABEL = re.compile(r"^[\s|:\-]+$")        # |---|---| of a markdown table


def _isian_teks(kolom: str, teks: str):
    """One field of the text table as a value: ``...`` stays the stub, numbers become numbers."""
    teks = teks.strip()
    if teks in ("...", "…"):
        return Ellipsis
    if kolom not in KOLOM_ANGKA or not teks:
        return teks
    angka = re.sub(r"^rp\.?\s*", "", teks, flags=re.I).replace(" ", "")
    if _RIBUAN.match(angka):
        return int(angka.replace(".", ""))
    if _DESIMAL.match(angka):
        nilai = float(angka.replace(",", "."))
        return int(nilai) if nilai.is_integer() else nilai
    return teks


def _pisah(baris: str) -> list[str]:
    """Fields of one line: separated by ``|`` (or by tabs, when pasted from a spreadsheet)."""
    baris = baris.strip()
    if "|" in baris:
        if baris.startswith("|"):
            baris = baris[1:]
        if baris.endswith("|"):
            baris = baris[:-1]
        return [b.strip() for b in baris.split("|")]
    return [b.strip() for b in baris.split("\t")]


def baca_tabel_rencana(teks: str) -> pd.DataFrame:
    """The plan written as a text table: a header line, then one line per activity.

    Lines with too few fields keep what they have (the missing fields are reported by
    the other checks); lines with too many lose the extra fields. Both are listed by
    ``cek_baris`` through ``df.attrs["masalah_baris"]``.
    """
    baris_baris = [b for b in teks.splitlines()
                   if b.strip() and not b.strip().startswith("#")
                   and not _PEMISAH_TABEL.match(b)]
    if not baris_baris:
        return pd.DataFrame(columns=KOLOM_RENCANA)
    kepala = [k.strip().lower() for k in _pisah(baris_baris[0])]
    data, masalah = [], []
    for nomor, baris in enumerate(baris_baris[1:], start=1):
        isian = _pisah(baris)
        nama = isian[0] if isian and isian[0] not in ("", "...") else None
        label = f"Baris kegiatan ke-{nomor}" + (f" ({nama})" if nama else "")
        if len(isian) != len(kepala):
            masalah.append(
                f"{label} berisi {len(isian)} isian; seharusnya {len(kepala)}, dipisah "
                "tanda | sesuai baris judul kolom.")
        data.append({k: _isian_teks(k, v) for k, v in zip(kepala, isian, strict=False)})
    df = pd.DataFrame(data, columns=kepala) if data else pd.DataFrame(columns=kepala)
    df.attrs["masalah_baris"] = masalah
    return df


def ke_teks_tabel(df: pd.DataFrame) -> str:
    """The plan as the text table ``baca_tabel_rencana`` reads (to copy into the m08 task)."""
    baris = [" | ".join(KOLOM_RENCANA)]
    for _, b in df.iterrows():
        baris.append(" | ".join("..." if _hilang(b.get(k)) else str(b.get(k)).replace("|", "/")
                                for k in KOLOM_RENCANA))
    return "\n".join(baris)


def cek_baris(df: pd.DataFrame) -> list[str]:
    """Lines of a text-table plan that do not have one field per column."""
    return list(df.attrs.get("masalah_baris", []))


def ke_tabel(rencana) -> pd.DataFrame:
    """A work plan (text table, list of dicts or table) as a table, with a kind message if not."""
    if rencana is Ellipsis:
        raise AssertionError("Rencana belum diisi. Ganti tanda ... dengan daftar kegiatan Anda.")
    if isinstance(rencana, str):
        return baca_tabel_rencana(rencana)
    if isinstance(rencana, pd.DataFrame):
        return rencana.copy()
    if not isinstance(rencana, list) or not all(isinstance(b, dict) for b in rencana):
        raise AssertionError(
            "Rencana harus berupa daftar (tanda [ ]) yang berisi kegiatan, "
            "dan setiap kegiatan ditulis di antara tanda { }. Lihat contoh di atas."
        )
    return pd.DataFrame(rencana)


def cek_kolom(df: pd.DataFrame) -> list[str]:
    """Missing columns."""
    return [f"Kolom '{k}' belum ada di tabel rencana." for k in KOLOM_RENCANA
            if k not in df.columns]


def cek_jumlah(df: pd.DataFrame) -> list[str]:
    """At least three activities."""
    if len(df) < MINIMAL_KEGIATAN:
        return [f"Rencana baru berisi {len(df)} kegiatan; buat paling sedikit "
                f"{MINIMAL_KEGIATAN} kegiatan."]
    return []


def cek_terisi(df: pd.DataFrame) -> list[str]:
    """Name, person in charge and partner are filled (write "-" when there is no partner)."""
    masalah = []
    for i, baris in _baris(df):
        for kolom in ("kegiatan", "penanggung_jawab", "mitra"):
            if kolom not in df.columns:
                continue
            pesan = _belum_diisi(i, baris, kolom)
            if pesan is None and _kosong(baris[kolom]):
                pesan = (f"{_nama(i, baris)}: isian '{kolom}' masih kosong"
                         + (' (tulis "-" bila belum ada mitra).' if kolom == "mitra" else "."))
            if pesan:
                masalah.append(pesan)
    return masalah


def cek_strategi(df: pd.DataFrame) -> list[str]:
    """Each strategy is one of the three; all three strategies have an activity."""
    if "strategi" not in df.columns:
        return []
    masalah = []
    ada = set()
    for i, baris in _baris(df):
        nilai = baris["strategi"]
        pesan = _belum_diisi(i, baris, "strategi")
        if pesan:
            masalah.append(pesan)
        elif isinstance(nilai, str) and nilai.strip().lower() in STRATEGI:
            ada.add(nilai.strip().lower())
        else:
            masalah.append(
                f"{_nama(i, baris)}: strategi '{nilai}' bukan salah satu dari "
                + ", ".join(f'"{s}"' for s in STRATEGI) + "."
            )
    kurang = [s for s in STRATEGI if s not in ada]
    if kurang:
        masalah.append("Strategi yang belum punya kegiatan: " + ", ".join(kurang) + ".")
    return masalah


def cek_indikator(df: pd.DataFrame) -> list[str]:
    """Every activity has an indicator (text) and a target (a number above 0)."""
    masalah = []
    for i, baris in _baris(df):
        if "indikator" in df.columns:
            pesan = _belum_diisi(i, baris, "indikator")
            if pesan is None and _kosong(baris["indikator"]):
                pesan = f"{_nama(i, baris)}: indikator masih kosong."
            elif pesan is None and not isinstance(baris["indikator"], str):
                pesan = f"{_nama(i, baris)}: indikator harus berupa teks di antara tanda petik."
            if pesan:
                masalah.append(pesan)
        if "target" in df.columns:
            pesan = _belum_diisi(i, baris, "target")
            if pesan is None and (not _angka(baris["target"]) or baris["target"] <= 0):
                pesan = (f"{_nama(i, baris)}: target harus angka lebih dari 0, "
                         "tanpa tanda petik.")
            if pesan:
                masalah.append(pesan)
    return masalah


def cek_anggaran(df: pd.DataFrame) -> list[str]:
    """Budgets are numbers of 0 or more (rupiah, without 'Rp' and dots)."""
    if "anggaran" not in df.columns:
        return []
    masalah = []
    for i, baris in _baris(df):
        pesan = _belum_diisi(i, baris, "anggaran")
        nilai = baris["anggaran"]
        if pesan is None and (not _angka(nilai) or nilai < 0):
            pesan = (f"{_nama(i, baris)}: anggaran harus angka 0 atau lebih, ditulis "
                     "tanpa 'Rp' dan tanpa titik, misalnya 1500000.")
        if pesan:
            masalah.append(pesan)
    return masalah


def cek_bulan(df: pd.DataFrame) -> list[str]:
    """Months are whole numbers 1–12 and an activity does not end before it starts."""
    masalah = []
    for i, baris in _baris(df):
        sah = {}
        for kolom in ("bulan_mulai", "bulan_selesai"):
            if kolom not in df.columns:
                continue
            pesan = _belum_diisi(i, baris, kolom)
            nilai = baris[kolom]
            if pesan is None:
                if _angka(nilai) and float(nilai).is_integer() and 1 <= nilai <= 12:
                    sah[kolom] = int(nilai)
                else:
                    pesan = f"{_nama(i, baris)}: {kolom} harus angka bulat 1 sampai 12."
            if pesan:
                masalah.append(pesan)
        if len(sah) == 2 and sah["bulan_selesai"] < sah["bulan_mulai"]:
            masalah.append(f"{_nama(i, baris)}: bulan_selesai lebih awal dari bulan_mulai.")
    return masalah


def periksa_rencana(df: pd.DataFrame) -> list[str]:
    """Every structural problem of a work plan, in Indonesian; an empty list means sound."""
    if not isinstance(df, pd.DataFrame):
        df = ke_tabel(df)
    return (cek_baris(df) + cek_kolom(df) + cek_jumlah(df) + cek_terisi(df) + cek_strategi(df)
            + cek_indikator(df) + cek_anggaran(df) + cek_bulan(df))


def pastikan_tanpa_masalah(masalah: list[str], maksimal: int = 6) -> None:
    """Fail (``AssertionError``) with the first few problems listed, for test cells."""
    if not masalah:
        return
    daftar = "\n".join(f"- {m}" for m in masalah[:maksimal])
    sisa = len(masalah) - maksimal
    tambahan = f"\n(dan {sisa} hal lain)" if sisa > 0 else ""
    raise AssertionError(f"Masih ada {len(masalah)} hal yang perlu diperbaiki:\n{daftar}{tambahan}")


# Replikasi mandiri: FACTS names it only as the TPBIS element "for sustainability"; these
# four questions are the course's own guide for planning it, not a Perpusnas rule.
PERTANYAAN_KEBERLANJUTAN = {
    "dana": "Dari mana biaya kegiatan pada tahun berikutnya?",
    "tenaga": "Siapa yang melanjutkan kegiatan bila pengelola berganti?",
    "bahan": "Apa yang disimpan agar kegiatan bisa diulang?",
    "ditiru": "Siapa yang dapat meniru kegiatan ini, dan bagaimana mereka belajar?",
}
MINIMAL_KATA_KEBERLANJUTAN = 3


def baca_keberlanjutan(teks: str) -> dict:
    """``dana: ...`` lines (one per question) as a dict; ``...`` stays the stub."""
    isian = {}
    for baris in teks.splitlines():
        if ":" not in baris or baris.strip().startswith("#"):
            continue
        kunci, nilai = baris.split(":", 1)
        nilai = nilai.strip()
        isian[kunci.strip().lower()] = Ellipsis if nilai in ("...", "…") else nilai
    return isian


def cek_keberlanjutan(isian) -> list[str]:
    """What is still missing from the four sustainability answers (text or dict)."""
    if isinstance(isian, str):
        isian = baca_keberlanjutan(isian)
    if not isinstance(isian, dict):
        return ['Tulis jawaban sebagai baris "dana: ...", "tenaga: ...", "bahan: ...", '
                '"ditiru: ...".']
    masalah = []
    for kunci, tanya in PERTANYAAN_KEBERLANJUTAN.items():
        nilai = isian.get(kunci)
        if nilai is Ellipsis:
            masalah.append(f"'{kunci}' masih berisi tanda ... ; jawab: {tanya}")
        elif nilai is None:
            masalah.append(f"Baris '{kunci}:' belum ada; tambahkan dan jawab: {tanya}")
        elif len(str(nilai).split()) < MINIMAL_KATA_KEBERLANJUTAN:
            masalah.append(f"'{kunci}' baru {len(str(nilai).split())} kata; jawab dengan "
                           f"paling sedikit {MINIMAL_KATA_KEBERLANJUTAN} kata: {tanya}")
    return masalah


def total_anggaran(df: pd.DataFrame) -> float:
    """Total budget of the plan (numbers only)."""
    return df["anggaran"].sum()


def format_rupiah(nilai: float) -> str:
    """Rupiah in Indonesian style: Rp 12.500.000."""
    return "Rp " + f"{int(round(nilai)):,}".replace(",", ".")


def _bulan_sah(baris) -> tuple[int, int] | None:
    mulai, selesai = baris.get("bulan_mulai"), baris.get("bulan_selesai")
    if not (_angka(mulai) and _angka(selesai)):
        return None
    mulai, selesai = int(mulai), int(selesai)
    if not 1 <= mulai <= selesai <= 12:
        return None
    return mulai, selesai


def gantt_html(df: pd.DataFrame) -> str:
    """A month grid: one row per activity, a filled box (■) in each month it runs."""
    kepala = "".join(f"<th style='padding:2px 4px'>{b}</th>" for b in NAMA_BULAN)
    baris_html = []
    for i, baris in _baris(df):
        bulan = _bulan_sah(baris)
        sel = []
        for b in range(1, 13):
            aktif = bulan is not None and bulan[0] <= b <= bulan[1]
            gaya = "background:#90caf9;" if aktif else ""
            sel.append(f"<td style='{gaya}text-align:center;border:1px solid #ccc'>"
                       f"{'■' if aktif else ''}</td>")
        nama = html.escape(str(baris.get("kegiatan", f"Kegiatan ke-{i}")))
        baris_html.append(f"<tr><td style='padding:2px 6px'>{nama}</td>{''.join(sel)}</tr>")
    return ("<table style='border-collapse:collapse'><tr><th style='text-align:left'>Kegiatan"
            f"</th>{kepala}</tr>{''.join(baris_html)}</table>")


def grafik_gantt(df: pd.DataFrame, judul: str = "Jadwal kegiatan per bulan", ax=None):
    """A Gantt-like bar chart of months; each bar is labelled with its strategy."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 0.5 * len(df) + 1.5))
    arsir = {"peningkatan layanan informasi": "", "pelibatan masyarakat": "//", "advokasi": ".."}
    for posisi, (_, baris) in enumerate(df.iterrows()):
        bulan = _bulan_sah(baris)
        if bulan is None:
            continue
        lebar = bulan[1] - bulan[0] + 1
        ax.barh(posisi, lebar, left=bulan[0] - 0.5, color="#bbdefb", edgecolor="#0d47a1",
                hatch=arsir.get(baris.get("strategi"), ""))
        ax.text(bulan[1] + 0.6, posisi, str(baris.get("strategi", "")), va="center", fontsize=8)
    ax.set_yticks(range(len(df)), list(df["kegiatan"]))
    ax.invert_yaxis()
    ax.set_xticks(range(1, 13), NAMA_BULAN)
    ax.set_xlim(0.5, 17.5)
    ax.set_xlabel("Bulan pelaksanaan")
    ax.set_ylabel("Kegiatan")
    ax.set_title(judul)
    return ax


class PerencanaKegiatan:
    """A small planner: fill the fields, add an activity, see the table, months and checks."""

    def __init__(self, awal: list[dict] | None = None):
        self.rencana: list[dict] = [dict(b) for b in (awal or [])]
        gaya = {"description_width": "150px"}
        lebar = widgets.Layout(width="520px")
        self.kegiatan = widgets.Text(description="Kegiatan", style=gaya, layout=lebar)
        self.strategi = widgets.Dropdown(options=STRATEGI, description="Strategi", style=gaya,
                                         layout=lebar)
        self.bulan = widgets.IntRangeSlider(value=(1, 3), min=1, max=12, description="Bulan",
                                            style=gaya, layout=lebar)
        self.anggaran = widgets.BoundedIntText(value=0, min=0, max=10**12, step=50000,
                                               description="Anggaran (Rp)", style=gaya)
        self.indikator = widgets.Text(description="Indikator", style=gaya, layout=lebar)
        self.target = widgets.BoundedIntText(value=0, min=0, max=10**9,
                                             description="Target", style=gaya)
        self.penanggung_jawab = widgets.Text(description="Penanggung jawab", style=gaya,
                                             layout=lebar)
        self.mitra = widgets.Text(description="Mitra", style=gaya, layout=lebar)
        self.tombol_tambah = widgets.Button(description="Tambah kegiatan",
                                            button_style="primary")
        self.tombol_hapus = widgets.Button(description="Hapus kegiatan terakhir")
        self.pesan = widgets.HTML()
        self.tabel_html = widgets.HTML()
        self.gantt = widgets.HTML()
        self.hasil_cek = widgets.HTML()
        self.teks_tabel = widgets.Textarea(
            description="Salin ke tugas", style=gaya,
            layout=widgets.Layout(width="900px", height="120px"))
        self.tombol_tambah.on_click(self._tambah)
        self.tombol_hapus.on_click(self._hapus)
        self.kotak = widgets.VBox([
            self.kegiatan, self.strategi, self.bulan, self.anggaran, self.indikator,
            self.target, self.penanggung_jawab, self.mitra,
            widgets.HBox([self.tombol_tambah, self.tombol_hapus]), self.pesan,
            self.tabel_html, self.gantt, self.hasil_cek, self.teks_tabel,
        ])
        self._perbarui()

    def tabel(self) -> pd.DataFrame:
        """The plan so far as a table."""
        return pd.DataFrame(self.rencana, columns=KOLOM_RENCANA)

    def _tambah(self, _tombol=None) -> None:
        if not self.kegiatan.value.strip():
            self.pesan.value = "Tulis nama kegiatan dulu, lalu klik <b>Tambah kegiatan</b>."
            return
        self.rencana.append({
            "kegiatan": self.kegiatan.value.strip(),
            "strategi": self.strategi.value,
            "bulan_mulai": self.bulan.value[0],
            "bulan_selesai": self.bulan.value[1],
            "anggaran": self.anggaran.value,
            "indikator": self.indikator.value.strip(),
            "target": self.target.value,
            "penanggung_jawab": self.penanggung_jawab.value.strip(),
            "mitra": self.mitra.value.strip() or "-",
        })
        self.pesan.value = f"Kegiatan '{html.escape(self.kegiatan.value.strip())}' ditambahkan."
        self.kegiatan.value = ""
        self.indikator.value = ""
        self._perbarui()

    def _hapus(self, _tombol=None) -> None:
        if self.rencana:
            hilang = self.rencana.pop()
            self.pesan.value = f"Kegiatan '{html.escape(hilang['kegiatan'])}' dihapus."
        else:
            self.pesan.value = "Belum ada kegiatan untuk dihapus."
        self._perbarui()

    def _perbarui(self) -> None:
        df = self.tabel()
        if df.empty:
            self.tabel_html.value = "<i>Belum ada kegiatan.</i>"
        else:
            tampil = df.assign(anggaran=df["anggaran"].map(format_rupiah))
            self.tabel_html.value = (tampil.to_html(index=False)
                                     + f"<p><b>Total anggaran:</b> "
                                       f"{format_rupiah(total_anggaran(df))}</p>")
        self.gantt.value = "<b>Jadwal per bulan</b>" + gantt_html(df)
        self.teks_tabel.value = ke_teks_tabel(df)
        masalah = periksa_rencana(df)
        if masalah:
            daftar = "".join(f"<li>{html.escape(m)}</li>" for m in masalah)
            self.hasil_cek.value = f"<b>Yang perlu dilengkapi:</b><ul>{daftar}</ul>"
        else:
            self.hasil_cek.value = "<b>✔ Struktur rencana sudah lengkap.</b>"

    def _ipython_display_(self):
        display(self.kotak)
