"""``spptik verifikasi``: is a certificate (a PDF or a number) valid, revoked, unknown or altered?

The register is trusted only when its Ed25519 signature holds and it was signed by the
programme's key (``trusted``); then the number is looked up, the record's digest recomputed,
and for a PDF the number and digest in its metadata and the text printed on it (number, name,
institution, JP) compared with the register's row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from autograder.errors import SpptikError
from autograder.reports import register
from autograder.reports.completion import format_number
from autograder.reports.register import JsonDict

VALID, REVOKED, UNKNOWN, ALTERED = "sah", "dicabut", "tidak_dikenal", "diubah"
LABELS = {VALID: "SAH", REVOKED: "DICABUT", UNKNOWN: "TIDAK DIKENAL", ALTERED: "DIUBAH"}


class VerifyError(SpptikError, ValueError):
    """The file to check cannot be read (message in Indonesian)."""


@dataclass
class Verdict:
    status: str
    message: str
    nomor: str = ""
    row: JsonDict | None = None
    details: list[str] = field(default_factory=list)
    fingerprint: str = ""

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def ok(self) -> bool:
        return self.status == VALID


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def verify_number(doc: JsonDict, number: str, trusted: Ed25519PublicKey | None,
                  digest: str | None = None, problems: list[str] | None = None) -> Verdict:
    """The verdict on certificate ``number`` (``digest``: the full or short one it carries)."""
    number = number.strip()
    check = register.check_signature(doc, trusted)
    if not check.ok:
        return Verdict(ALTERED, f"Daftar sertifikat tidak dapat dipercaya: {check.problem}. "
                                "Keaslian sertifikat tidak dapat dipastikan.", number,
                       fingerprint=check.fingerprint)
    row = register.find(doc, number)
    if row is None:
        return Verdict(UNKNOWN, f"Nomor {number} tidak terdaftar dalam daftar sertifikat angkatan "
                                f"{doc.get('angkatan', '')}.", number, fingerprint=check.fingerprint)
    problems = list(problems or [])
    try:
        if register.record_digest(row) != row.get("digest"):
            problems.append("kode isi di daftar tidak cocok dengan data baris itu")
    except KeyError:
        problems.append("baris daftar tidak lengkap")
    if digest and not str(row.get("digest", "")).startswith(digest.strip().lower()):
        problems.append(f"kode isi pada sertifikat ({digest[:12]}) tidak sama dengan kode isi terdaftar "
                        f"({register.short_digest(row.get('digest', ''))})")
    if problems:
        return Verdict(ALTERED, f"Sertifikat {number} telah diubah: " + "; ".join(problems) + ".",
                       number, row, problems, check.fingerprint)
    if row.get("status") == register.REVOKED:
        message = (f"Sertifikat {number} atas nama {row['nama']} telah DICABUT pada "
                   f"{register.long_date(row['dicabut']) if row.get('dicabut') else '?'}: "
                   f"{row.get('alasan_pencabutan', '')}.")
        if row.get("diganti_oleh"):
            message += f" Sertifikat pengganti bernomor {row['diganti_oleh']}."
        return Verdict(REVOKED, message, number, row, fingerprint=check.fingerprint)
    message = (f"Sertifikat {number} SAH: atas nama {row['nama']} ({row['instansi']}), angkatan "
               f"{row['angkatan']}, {format_number(row['jp'])} JP, diterbitkan "
               f"{register.long_date(row['diterbitkan'])}.")
    return Verdict(VALID, message, number, row, fingerprint=check.fingerprint)


def read_pdf(path: str | Path) -> tuple[dict[str, str], str]:
    """A PDF's metadata and its text (all pages)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    path = Path(path)
    try:
        reader = PdfReader(path)
        meta = {k: str(v) for k, v in (reader.metadata or {}).items()}
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except FileNotFoundError:
        raise VerifyError(f"Berkas {path} tidak ditemukan.") from None
    except (PdfReadError, OSError, ValueError) as exc:
        raise VerifyError(f"{path} tidak dapat dibaca sebagai PDF: {exc}") from exc
    return meta, text


def printed_problems(row: JsonDict, text: str) -> list[str]:
    """What the PDF's text says differently from the register's row."""
    problems = []
    squashed = _squash(text)
    if _squash(f"Nomor: {row['nomor']}") not in squashed:
        problems.append("nomor yang tercetak tidak sama dengan nomor terdaftar")
    match = re.search(r"diberikan\s+kepada(.*?)yang\s+telah\s+mengikuti", text, re.S | re.I)
    if not match:
        problems.append("nama penerima tidak ditemukan pada PDF")
    else:
        lines = [ln for ln in match.group(1).splitlines() if not ln.strip().startswith("NIP ")]
        holder = _squash("".join(lines))
        if holder != _squash(row["nama"] + row["instansi"]):
            problems.append(f"nama atau instansi yang tercetak tidak sama dengan data terdaftar "
                            f"({row['nama']}, {row['instansi']})")
    if _squash(f"{format_number(row['jp'])} jam pelajaran") not in squashed:
        problems.append(f"jumlah JP yang tercetak tidak sama dengan data terdaftar "
                        f"({format_number(row['jp'])} JP)")
    return problems


def verify_pdf(path: str | Path, doc: JsonDict, trusted: Ed25519PublicKey | None) -> Verdict:
    """The verdict on a certificate PDF."""
    meta, text = read_pdf(path)
    number = meta.get("/SpptikNomor", "")
    digest = meta.get("/SpptikDigest", "")
    if not number:
        printed = re.search(r"Nomor:\s*(\S+)", text)
        number = printed.group(1) if printed else ""
    if not number:
        return Verdict(UNKNOWN, f"{Path(path).name} tidak memuat nomor sertifikat SPP-TIK.")
    row = register.find(doc, number)
    problems: list[str] = []
    if row is not None and register.check_signature(doc, trusted).ok:
        if not digest:
            problems.append("kode isi tidak ada di dalam PDF")
        problems.extend(printed_problems(row, text))
    return verify_number(doc, number, trusted, digest or None, problems)
