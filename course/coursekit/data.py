"""Find and read the course's small data sets in ``course/data/``.

Every data set starts with comment lines (``# ...``) that say it is
synthetic; ``baca_data`` skips them so a participant gets a clean table.
The folder is found next to this package, so notebooks read the same files
whether they run in ``course/lessons``, in a participant's folder or inside
nbgrader's autograde copy. ``SPPTIK_DATA`` overrides the place.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """The folder holding the course data sets."""
    return Path(os.environ.get("SPPTIK_DATA", DATA_DIR))


def daftar_data() -> list[str]:
    """Names of the data sets the course ships (CSV files)."""
    return sorted(p.name for p in data_dir().glob("*.csv"))


def path_data(nama: str) -> Path:
    """Full path of one data set, with an Indonesian message if it does not exist."""
    path = data_dir() / nama
    if not path.is_file():
        tersedia = ", ".join(daftar_data()) or "(tidak ada)"
        raise FileNotFoundError(
            f"Data '{nama}' tidak ditemukan. Periksa ejaan nama berkas. "
            f"Data yang tersedia: {tersedia}"
        )
    return path


def keterangan_data(nama: str) -> str:
    """The comment lines at the top of a data set (its description and the word 'sintetis')."""
    lines = []
    with path_data(nama).open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            lines.append(line.lstrip("#").strip())
    return "\n".join(lines)


def baca_data(nama: str, **kwargs) -> pd.DataFrame:
    """Read a course data set into a table (``pandas.DataFrame``).

    ``nama`` is a file name such as ``"kunjungan_bulanan.csv"``. Codes such as
    ``kode_wilayah`` stay text so that leading zeros and dots survive.
    """
    kwargs.setdefault("comment", None)
    kwargs.setdefault("dtype", {"kode_wilayah": str, "kode_wilayah_desa": str})
    path = path_data(nama)
    skip = sum(1 for _ in _leading_comments(path))
    return pd.read_csv(path, skiprows=skip, **kwargs)


def _leading_comments(path: Path):
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                return
            yield line
