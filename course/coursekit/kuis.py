"""Self-check questions for lessons: a multiple-choice widget that answers at once.

The logic (``periksa``) is a plain function so it can be tested without a
browser; the widget only wires it to radio buttons, a button and an output.
Answers given here are for practice only: graded answers live in code cells.

A lesson passes the right letter and the explanation as one packed token
(``kunci``), so that a participant reading the cell does not see the answer
before trying. The packing only hides the key from the eye (zlib + base64);
it is not a secret, which a self-check that is never graded does not need.
Trainers read the keys back with ``python -m coursekit.kuis baca <notebook>``.
"""

from __future__ import annotations

import argparse
import ast
import base64
import binascii
import json
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets
from IPython.display import display

LEBAR_POTONGAN = 64  # characters of a token per source line when written into a cell


@dataclass
class Soal:
    """One self-check question: text, options by letter, the right letter, why."""

    pertanyaan: str
    pilihan: dict[str, str]
    benar: str
    penjelasan: str

    def periksa(self, jawaban: str | None) -> tuple[bool, str]:
        """Whether ``jawaban`` (a letter) is right, and a kind message that says why."""
        if not jawaban:
            return False, "Pilih salah satu jawaban dulu, lalu klik Periksa."
        if jawaban == self.benar:
            return True, f"Benar! {self.penjelasan}"
        return False, (
            f"Belum tepat. Jawaban yang tepat adalah ({self.benar}) "
            f"{self.pilihan[self.benar]}. {self.penjelasan}"
        )


class Kuis:
    """A widget for one ``Soal``: choose, click *Periksa*, read the feedback."""

    def __init__(self, soal: Soal):
        self.soal = soal
        self.opsi = widgets.RadioButtons(
            options=[(f"{k}. {v}", k) for k, v in soal.pilihan.items()],
            value=None,
            layout=widgets.Layout(width="max-content"),
        )
        self.tombol = widgets.Button(description="Periksa", button_style="primary")
        self.hasil = widgets.HTML()
        self.tombol.on_click(self._on_click)
        self.kotak = widgets.VBox(
            [widgets.HTML(f"<b>{soal.pertanyaan}</b>"), self.opsi, self.tombol, self.hasil]
        )

    def _on_click(self, _button=None) -> None:
        benar, pesan = self.soal.periksa(self.opsi.value)
        warna = "#1b5e20" if benar else "#b71c1c"
        tanda = "✔" if benar else "✘"
        self.hasil.value = f'<span style="color:{warna}">{tanda} {pesan}</span>'

    def _ipython_display_(self):
        display(self.kotak)


def buat_kunci(benar: str, penjelasan: str) -> str:
    """Pack the right letter and the explanation into the token that ``kuis`` takes."""
    data = json.dumps({"benar": benar, "penjelasan": penjelasan}, ensure_ascii=False)
    return base64.urlsafe_b64encode(zlib.compress(data.encode("utf-8"), 9)).decode("ascii")


def buka_kunci(kunci: str) -> tuple[str, str]:
    """The (right letter, explanation) packed in a token made by ``buat_kunci``."""
    try:
        teks = "".join(str(kunci).split())
        data = json.loads(zlib.decompress(base64.urlsafe_b64decode(teks)).decode("utf-8"))
        return data["benar"], data["penjelasan"]
    except (binascii.Error, zlib.error, ValueError, KeyError, TypeError):
        raise ValueError(
            "Kunci kuis tidak dapat dibaca. Buat ulang dengan: "
            'python -m coursekit.kuis kunci <huruf> "<penjelasan>"'
        ) from None


def kuis(pertanyaan: str, pilihan: dict[str, str], kunci: str | None = None,
         penjelasan: str | None = None, *, benar: str | None = None) -> Kuis:
    """Build a self-check widget; show it by leaving it as the last line of a cell.

    Lessons write ``kuis(pertanyaan, pilihan, kunci)`` with a token from
    ``buat_kunci``. The plain form ``kuis(pertanyaan, pilihan, "b", "why")`` (or
    ``benar=..., penjelasan=...``) still works for drafts, but shows the answer
    in the cell; the course tests reject it in lessons.
    """
    if penjelasan is None and benar is None:
        if kunci is None:
            raise ValueError("Kuis memerlukan kunci: buat dengan buat_kunci(huruf, penjelasan).")
        benar, penjelasan = buka_kunci(kunci)
    elif penjelasan is None:
        raise ValueError("Kuis dengan benar=... memerlukan penjelasan=...")
    else:
        benar = benar if benar is not None else kunci
    if benar not in pilihan:
        raise ValueError(f"Kunci jawaban '{benar}' tidak ada di pilihan.")
    return Kuis(Soal(pertanyaan, pilihan, benar, penjelasan))


# --- Authoring: read keys back, and hide the keys of plain-form cells -------------------------

def panggilan_kuis(sumber: str) -> list[ast.Call]:
    """The ``kuis(...)`` calls in a code cell's source (an empty list if it does not parse)."""
    try:
        pohon = ast.parse(sumber)
    except SyntaxError:
        return []
    return [n for n in ast.walk(pohon) if isinstance(n, ast.Call)
            and getattr(n.func, "id", getattr(n.func, "attr", None)) == "kuis"]


def isi_panggilan(panggilan: ast.Call) -> dict:
    """Question, options, letter and explanation of one call, plain form or token form."""
    arg = {"pertanyaan": None, "pilihan": None, "kunci": None, "penjelasan": None}
    for nama, nilai in zip(arg, panggilan.args, strict=False):
        arg[nama] = ast.literal_eval(nilai)
    for kw in panggilan.keywords:
        arg[kw.arg] = ast.literal_eval(kw.value)
    if arg.get("penjelasan") is None and arg.get("benar") is None:
        arg["benar"], arg["penjelasan"] = buka_kunci(arg["kunci"])
        arg["bentuk"] = "kunci"
    else:
        arg["benar"] = arg.get("benar") or arg["kunci"]
        arg["bentuk"] = "terbuka"
    return arg


def tulisan_kunci(kunci: str, kolom: int) -> str:
    """``kunci="..."`` for a cell, cut into pieces of LEBAR_POTONGAN characters if long."""
    potongan = [kunci[i:i + LEBAR_POTONGAN] for i in range(0, len(kunci), LEBAR_POTONGAN)]
    if len(potongan) == 1:
        return f'kunci="{kunci}"'
    jarak = "\n" + " " * (kolom + len("kunci=("))
    return "kunci=(" + jarak.join(f'"{p}"' for p in potongan) + ")"


def sembunyikan_kunci(sumber: str) -> str:
    """A cell's source with every plain-form ``kuis`` call rewritten to the token form."""
    baris = sumber.splitlines(keepends=True)
    awal_baris = [0]
    for b in baris:
        awal_baris.append(awal_baris[-1] + len(b))

    def posisi(lineno: int, col: int) -> int:  # ast columns are UTF-8 byte offsets
        return awal_baris[lineno - 1] + len(baris[lineno - 1].encode("utf-8")[:col].decode("utf-8"))

    ganti = []
    for panggilan in panggilan_kuis(sumber):
        isi = isi_panggilan(panggilan)
        if isi["bentuk"] != "terbuka":
            continue
        simpul = panggilan.args[2:] + [k.value for k in panggilan.keywords
                                       if k.arg in ("benar", "penjelasan", "kunci")]
        mulai = min(simpul, key=lambda n: (n.lineno, n.col_offset))
        akhir = max(simpul, key=lambda n: (n.end_lineno, n.end_col_offset))
        kw_awal = [k for k in panggilan.keywords if k.value is mulai]
        titik_mulai = posisi(mulai.lineno, mulai.col_offset)
        if kw_awal:  # start at the keyword's name, not its value
            titik_mulai = sumber.rindex(kw_awal[0].arg, 0, titik_mulai)
        kolom = titik_mulai - awal_baris[sumber.count("\n", 0, titik_mulai)]
        teks = tulisan_kunci(buat_kunci(isi["benar"], isi["penjelasan"]), kolom)
        ganti.append((titik_mulai, posisi(akhir.end_lineno, akhir.end_col_offset), teks))
    for mulai, akhir, teks in sorted(ganti, reverse=True):
        sumber = sumber[:mulai] + teks + sumber[akhir:]
    return sumber


def _teks(sel) -> str:
    return "".join(sel["source"]) if isinstance(sel["source"], list) else sel["source"]


def main(argv: list[str] | None = None) -> int:
    """``python -m coursekit.kuis kunci|baca|sembunyikan``: tools for lesson authors."""
    parser = argparse.ArgumentParser(prog="python -m coursekit.kuis", description=__doc__)
    sub = parser.add_subparsers(dest="perintah", required=True)
    p = sub.add_parser("kunci", help="buat kunci dari huruf jawaban dan penjelasan")
    p.add_argument("benar")
    p.add_argument("penjelasan")
    p = sub.add_parser("baca", help="tampilkan kunci setiap kuis di notebook")
    p.add_argument("notebook", nargs="+", type=Path)
    p = sub.add_parser("sembunyikan", help="ubah kuis bentuk terbuka menjadi bentuk kunci")
    p.add_argument("notebook", nargs="+", type=Path)
    args = parser.parse_args(argv)

    if args.perintah == "kunci":
        print(tulisan_kunci(buat_kunci(args.benar, args.penjelasan), 4))
        return 0
    import nbformat

    for path in args.notebook:
        nb = nbformat.read(path, as_version=4)
        sel_kode = [c for c in nb.cells if c.cell_type == "code"]
        if args.perintah == "baca":
            for sel in sel_kode:
                for panggilan in panggilan_kuis(_teks(sel)):
                    isi = isi_panggilan(panggilan)
                    print(f"{path.name} | {isi['pertanyaan']}\n  jawaban: ({isi['benar']}) "
                          f"{isi['pilihan'][isi['benar']]}\n  penjelasan: {isi['penjelasan']}"
                          f"\n  bentuk: {isi['bentuk']}")
            continue
        diubah = 0
        for sel in sel_kode:
            baru = sembunyikan_kunci(_teks(sel))
            if baru != _teks(sel):
                sel["source"] = baru
                diubah += 1
        if diubah:
            nbformat.write(nb, path)
        print(f"{path}: {diubah} sel kuis diubah")
    return 0


if __name__ == "__main__":
    sys.exit(main())
