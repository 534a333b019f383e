"""The participant roster (CSV): reading, checking, and writing it back safely.

A bad roster is refused whole, with every bad row and why; nothing is written.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from autograder.errors import SpptikError

COLUMNS = [
    "id_peserta", "nama", "jenis_kelamin", "instansi", "jenis_perpustakaan",
    "kode_wilayah", "kabupaten_kota", "provinsi", "email", "telepon", "nip",
]
REQUIRED = ["id_peserta", "nama", "jenis_kelamin", "instansi", "jenis_perpustakaan", "provinsi"]
LIBRARY_TYPES = {"provinsi", "kabupaten_kota", "desa", "lainnya"}
SEXES = {"L", "P"}
# Safe as an nbgrader student id, a folder name and a file name on every system.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
# Kemendagri codes: 2, 4 (dotted 2.2), 6 or 10 digits, with or without dots.
REGION_PATTERN = re.compile(r"^\d{2}(\.?\d{2}(\.?\d{2}(\.?\d{4})?)?)?$")
# NIP (Nomor Induk Pegawai): 18 digits; written with spaces or dots in the roster, kept as digits.
NIP_PATTERN = re.compile(r"^\d{18}$")
NIP_SEPARATORS = re.compile(r"[\s.]")
LIBRARY_TYPE_LABELS = {
    "provinsi": "Perpustakaan provinsi",
    "kabupaten_kota": "Perpustakaan kabupaten/kota",
    "desa": "Perpustakaan desa/kelurahan",
    "lainnya": "Lainnya",
}
SEX_LABELS = {"L": "Laki-laki", "P": "Perempuan"}


class RosterError(SpptikError, ValueError):
    """The roster was refused; ``problems`` lists every bad row and why (Indonesian)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Daftar peserta ditolak:\n- " + "\n- ".join(problems))


@dataclass(frozen=True)
class Participant:
    id_peserta: str
    nama: str
    jenis_kelamin: str
    instansi: str
    jenis_perpustakaan: str
    kode_wilayah: str = ""
    kabupaten_kota: str = ""
    provinsi: str = ""
    email: str = ""
    telepon: str = ""
    nip: str = ""  # optional: a civil servant's NIP (18 digits), printed on the certificate

    @property
    def first_name(self) -> str:
        return self.nama.split(" ", 1)[0]

    @property
    def last_name(self) -> str:
        parts = self.nama.split(" ", 1)
        return parts[1] if len(parts) > 1 else ""


def read_roster(path: str | Path) -> list[Participant]:
    """Read and check a roster CSV (UTF-8, with or without Excel's BOM)."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise RosterError([f"berkas {path} tidak ditemukan"]) from exc
    except UnicodeDecodeError as exc:
        raise RosterError([f"berkas {path} bukan teks UTF-8 (simpan ulang sebagai CSV UTF-8)"]) from exc
    return parse_roster(text)


def parse_roster(text: str) -> list[Participant]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise RosterError([f"kolom wajib tidak ada: {', '.join(missing)} "
                           f"(kolom yang diharapkan: {', '.join(COLUMNS)})"])
    reader.fieldnames = header

    problems: list[str] = []
    participants: list[Participant] = []
    seen: dict[str, int] = {}
    for line_no, row in enumerate(reader, start=2):
        values = {k: (row.get(k) or "").strip() for k in COLUMNS}
        if not any(values.values()):
            continue
        row_problems = _check_row(values)
        pid = values["id_peserta"]
        if pid and pid.lower() in seen:
            row_problems.append(f"id_peserta '{pid}' sudah dipakai di baris {seen[pid.lower()]}")
        if pid:
            seen.setdefault(pid.lower(), line_no)
        if row_problems:
            problems.extend(f"baris {line_no}: {p}" for p in row_problems)
            continue
        values["jenis_kelamin"] = values["jenis_kelamin"].upper()
        values["jenis_perpustakaan"] = values["jenis_perpustakaan"].lower()
        values["nip"] = NIP_SEPARATORS.sub("", values["nip"])
        participants.append(Participant(**values))
    if problems:
        raise RosterError(problems)
    if not participants:
        raise RosterError(["daftar peserta kosong"])
    return participants


def _check_row(values: dict[str, str]) -> list[str]:
    problems = [f"{c} kosong" for c in REQUIRED if not values[c]]
    pid = values["id_peserta"]
    if pid and not ID_PATTERN.match(pid):
        problems.append(
            f"id_peserta '{pid}' hanya boleh berisi huruf, angka, '-' dan '_' "
            "(tanpa spasi, maksimal 64 karakter)"
        )
    if values["jenis_kelamin"] and values["jenis_kelamin"].upper() not in SEXES:
        problems.append(f"jenis_kelamin '{values['jenis_kelamin']}' harus L atau P")
    kind = values["jenis_perpustakaan"]
    if kind and kind.lower() not in LIBRARY_TYPES:
        problems.append(
            f"jenis_perpustakaan '{kind}' harus salah satu dari {', '.join(sorted(LIBRARY_TYPES))}"
        )
    code = values["kode_wilayah"]
    if code and not REGION_PATTERN.match(code):
        problems.append(f"kode_wilayah '{code}' bukan kode Kemendagri (contoh: 13.71)")
    nip = values["nip"]
    if nip and not NIP_PATTERN.match(NIP_SEPARATORS.sub("", nip)):
        problems.append(f"nip '{nip}' harus 18 angka (contoh: 198501012010011001), atau kosongkan")
    return problems


def write_roster(participants: list[Participant], path: str | Path) -> None:
    """Write a roster CSV with a BOM so that Excel opens it as UTF-8."""
    with Path(path).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for p in participants:
            writer.writerow(asdict(p))
