"""Self-checks used in exercises and lessons, with kind Indonesian messages.

Each check raises ``AssertionError`` with a message that says what to do, so
that nbgrader counts a failed check as a failed test and the participant reads
a hint instead of a bare traceback.
"""

from __future__ import annotations

import numbers
import sys
from collections.abc import Iterable

PESAN_BELUM_DIISI = (
    "{nama} belum diisi. Ganti tanda ... dengan jawaban Anda, "
    "lalu jalankan sel jawaban itu (Shift+Enter) sebelum sel pemeriksa ini."
)


def terisi(nilai, nama: str = "Jawaban") -> None:
    """Fail with a hint while the answer is still the stub ``...``."""
    if nilai is Ellipsis:
        raise AssertionError(PESAN_BELUM_DIISI.format(nama=nama))


def contoh_isian(nama: str, nilai_contoh: str, variabel_ada) -> str:
    """An example of the right form: ``jawaban_3 = "a"`` when ``nama`` names a variable
    that exists (``variabel_ada``: the notebook's namespace), else just ``"a"``.

    A hint must never name a variable the participant's cell does not have
    (``Kondisi di baris 4`` is a row of a table, not ``kondisi_di_baris_4``).
    """
    variabel = nama.strip().lower().replace(" ", "_")
    if variabel.isidentifier() and variabel in variabel_ada:
        return f'{variabel} = "{nilai_contoh}"'
    return f'"{nilai_contoh}"'


def salah_satu(nilai, pilihan: Iterable[str], nama: str = "Jawaban") -> None:
    """Fail unless ``nilai`` is one of the offered options (letters are case-insensitive)."""
    terisi(nilai, nama)
    opsi = [str(p) for p in pilihan]
    if not isinstance(nilai, str) or nilai.strip().lower() not in [o.lower() for o in opsi]:
        daftar = ", ".join(f'"{o}"' for o in opsi)
        # the caller's globals are the notebook's namespace when a check cell calls us
        namespace = sys._getframe(1).f_globals
        raise AssertionError(
            f"{nama} harus salah satu dari {daftar}, ditulis di antara tanda petik, "
            f"misalnya {contoh_isian(nama, opsi[0], namespace)}."
        )


def angka(nilai, nama: str = "Jawaban") -> None:
    """Fail unless ``nilai`` is a number (not text, not the stub)."""
    terisi(nilai, nama)
    # numbers.Real also admits numpy numbers, which pandas sums return
    if isinstance(nilai, bool) or not isinstance(nilai, numbers.Real):
        raise AssertionError(
            f"{nama} harus berupa angka tanpa tanda petik, misalnya 12.5 "
            "(Python memakai titik sebagai pemisah desimal)."
        )


def mendekati(nilai, target: float, toleransi: float = 0.01, nama: str = "Jawaban") -> bool:
    """True when a number is within ``toleransi`` of ``target`` (for rounding by hand)."""
    angka(nilai, nama)
    return abs(float(nilai) - float(target)) <= toleransi


def teks(nilai, nama: str = "Jawaban", minimal_kata: int = 1) -> None:
    """Fail unless ``nilai`` is text of at least ``minimal_kata`` words."""
    terisi(nilai, nama)
    if not isinstance(nilai, str) or len(nilai.split()) < minimal_kata:
        raise AssertionError(
            f"{nama} harus berupa teks di antara tanda petik, paling sedikit "
            f"{minimal_kata} kata."
        )


def normal(nilai) -> str:
    """An option letter or short text in a comparable form: trimmed, lower case."""
    return str(nilai).strip().lower()
