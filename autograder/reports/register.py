"""The signed register of a batch's certificates (``daftar_sertifikat.json``) and its key.

The register is public: staff publish it beside the static verification page. It holds, per
certificate, what a certificate states (number, name, institution, batch, place, dates, JP,
issue date), the digest of that record, and its status (``berlaku`` or ``dicabut``). It never
holds an e-mail address, a telephone number or a NIP.

The whole document except ``tanda_tangan`` is canonicalised with JCS (RFC 8785, the
``rfc8785`` package) and signed with Ed25519 (``cryptography``). The verification page in the
browser canonicalises the same way (sorted keys, ECMAScript number and string forms).

Numbers are never changed silently: a certificate whose record changes after a regrade is
revoked (``dicabut``, with the reason and the number that replaces it) and a new number is
issued; one whose holder is no longer ``Lulus`` is revoked. Sequence numbers are never reused.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from autograder.errors import SpptikError
from autograder.files import write_atomic

FORMAT = "spptik-daftar-sertifikat/1"
REGISTER_NAME = "daftar_sertifikat.json"
PRIVATE_NAME = "kunci_privat_sertifikat.pem"
PUBLIC_NAME = "kunci_publik_sertifikat.pem"
VALID, REVOKED = "berlaku", "dicabut"
JsonDict = dict[str, Any]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]  # a JSON object as json.loads gives it
# The fields of a certificate's record that its digest covers (all printed on the certificate).
DIGEST_FIELDS = ("nomor", "program", "judul", "angkatan", "nama", "instansi", "tempat",
                 "tanggal_mulai", "tanggal_selesai", "jp", "diterbitkan")
# What the register may never hold (tests check it).
PRIVATE_FIELDS = ("email", "telepon", "nip")


class CertificateKeyError(SpptikError, ValueError):
    """A key cannot be made, read or used (message in Indonesian)."""


class RegisterError(SpptikError, ValueError):
    """A register cannot be read or cannot be trusted for issuing (message in Indonesian)."""


# Canonical form, digests ---------------------------------------------------------------------

def canonical(value: Any) -> bytes:
    """JCS (RFC 8785): the bytes that are hashed and signed."""
    return rfc8785.dumps(value)


def record_digest(row: JsonDict) -> str:
    """SHA-256 (hex) of the certificate's record: the fields in :data:`DIGEST_FIELDS`."""
    return hashlib.sha256(canonical({k: row[k] for k in DIGEST_FIELDS})).hexdigest()


def short_digest(digest: str) -> str:
    """The part of the digest carried in the QR address and printed on the certificate."""
    return digest[:12]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def long_date(iso: str) -> str:
    """2022-05-14 → 14 Mei 2022 (as certificates and messages print dates)."""
    try:
        d = date.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


# Keys ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class KeyFiles:
    private: Path
    public: Path
    fingerprint: str
    warnings: list[str] = field(default_factory=list)


def raw_public(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(public: Ed25519PublicKey) -> str:
    """A short, readable fingerprint of a public key (printed on certificates and the page)."""
    digest = hashlib.sha256(raw_public(public)).hexdigest()[:16].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


def key_location_warnings(folder: Path) -> list[str]:
    """Why ``folder`` is a poor home for a private key: inside a git repository or a cohort."""
    warnings = []
    folder = folder.resolve()
    for parent in (folder, *folder.parents):
        if (parent / ".git").exists():
            warnings.append(f"{folder} berada di dalam repositori git {parent}: kunci privat bisa "
                            "ikut terunggah. Simpan di luar repositori (mis. ~/.spptik/kunci).")
            break
    for parent in (folder, *folder.parents):
        if (parent / "kohort.toml").is_file():
            warnings.append(f"{folder} berada di dalam folder kohort {parent}: folder kohort sering "
                            "disalin dan dibagikan. Simpan kunci privat di luar folder kohort.")
            break
    return warnings


def generate_key(folder: str | Path, *, private_name: str = PRIVATE_NAME,
                 public_name: str = PUBLIC_NAME) -> KeyFiles:
    """Make an Ed25519 key pair in ``folder``: the private key mode 600, never overwriting."""
    folder = Path(folder).expanduser()
    private_path, public_path = folder / private_name, folder / public_name
    existing = [str(p) for p in (private_path, public_path) if p.exists()]
    if existing:
        raise CertificateKeyError(f"Kunci sudah ada: {', '.join(existing)}. Kunci tidak pernah ditimpa, "
                                  "karena sertifikat yang sudah terbit bergantung padanya. "
                                  "Pilih folder lain."
                                  )
    warnings = key_location_warnings(folder) if folder.exists() else \
        key_location_warnings(folder.parent)
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    write_atomic(private_path, private_pem, mode=0o600)
    write_atomic(public_path, public_pem, mode=0o644)
    return KeyFiles(private_path, public_path, fingerprint(key.public_key()), warnings)


def load_private_key(path: str | Path) -> Ed25519PrivateKey:
    path = Path(path).expanduser()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CertificateKeyError(f"Kunci privat {path} tidak ditemukan. Buat dengan: spptik kunci FOLDER "
                        "(di luar repositori dan folder kohort).") from None
    except OSError as exc:
        raise CertificateKeyError(f"Kunci privat {path} tidak dapat dibaca: {exc}") from exc
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise CertificateKeyError(f"{path} bukan kunci privat PEM yang dibuat oleh spptik kunci.") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise CertificateKeyError(f"{path} bukan kunci Ed25519 (buat dengan: spptik kunci FOLDER).")
    return key


def load_public_key(path: str | Path) -> Ed25519PublicKey:
    path = Path(path).expanduser()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CertificateKeyError(f"Kunci publik {path} tidak dapat dibaca: {exc}") from exc
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        try:
            key = load_private_key(path).public_key()
        except CertificateKeyError:
            raise CertificateKeyError(f"{path} bukan kunci publik PEM (berkas {PUBLIC_NAME}).") from None
    if not isinstance(key, Ed25519PublicKey):
        raise CertificateKeyError(f"{path} bukan kunci Ed25519.")
    return key


def public_from_b64(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(b64url_decode(text))


# The document ---------------------------------------------------------------------------------

def new_register(header: JsonDict) -> JsonDict:
    return {"format": FORMAT, **header, "sertifikat": []}


def sign(doc: JsonDict, key: Ed25519PrivateKey) -> JsonDict:
    """The register with its public key and a fresh signature over everything else."""
    signed = {k: v for k, v in doc.items() if k != "tanda_tangan"}
    public = key.public_key()
    signed["kunci_publik"] = {"alg": "Ed25519", "x": b64url(raw_public(public)),
                              "sidik": fingerprint(public)}
    signed["tanda_tangan"] = b64url(key.sign(canonical(_unsigned(signed))))
    return signed


def _unsigned(doc: JsonDict) -> JsonDict:
    return {k: v for k, v in doc.items() if k != "tanda_tangan"}


@dataclass
class SignatureCheck:
    ok: bool
    problem: str = ""          # Indonesian, empty when ok
    fingerprint: str = ""       # of the key the register says signed it


def check_signature(doc: JsonDict, trusted: Ed25519PublicKey | None) -> SignatureCheck:
    """Is ``doc`` signed, unchanged, by ``trusted`` (or, without one, by the key it carries)?"""
    try:
        carried = public_from_b64(doc["kunci_publik"]["x"])
        signature = b64url_decode(doc["tanda_tangan"])
    except (KeyError, TypeError, ValueError):
        return SignatureCheck(False, "daftar tidak bertanda tangan atau kunci publiknya rusak")
    carried_fp = fingerprint(carried)
    if trusted is not None and raw_public(trusted) != raw_public(carried):
        return SignatureCheck(False, f"daftar ditandatangani kunci lain (sidik {carried_fp}), bukan "
                                     f"kunci resmi program (sidik {fingerprint(trusted)})", carried_fp)
    try:
        carried.verify(signature, canonical(_unsigned(doc)))
    except InvalidSignature:
        return SignatureCheck(False, "tanda tangan daftar tidak cocok dengan isinya: daftar telah "
                                     "diubah setelah ditandatangani", carried_fp)
    return SignatureCheck(True, "", carried_fp)


def read_register(path: str | Path) -> JsonDict:
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegisterError(f"Daftar sertifikat {path} tidak ditemukan.") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RegisterError(f"Daftar sertifikat {path} tidak dapat dibaca sebagai JSON: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or \
            not isinstance(doc.get("sertifikat"), list):
        raise RegisterError(f"{path} bukan daftar sertifikat SPP-TIK (format {FORMAT}).")
    return doc


def write_register(doc: JsonDict, path: str | Path) -> Path:
    return write_atomic(path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")


# Issuing: numbers kept, changed records revoked -------------------------------------------------

@dataclass
class Changes:
    issued: list[JsonDict] = field(default_factory=list)     # new numbers
    kept: list[JsonDict] = field(default_factory=list)       # unchanged, same number
    revoked: list[JsonDict] = field(default_factory=list)    # revoked in this run


def apply_issue(doc: JsonDict, candidates: list[JsonDict], make_number: Callable[[int], str], today: str,
                ) -> Changes:
    """Bring ``doc``'s rows in line with ``candidates`` (one record per participant now Lulus).

    A candidate holds ``id_peserta`` and every field of :data:`DIGEST_FIELDS` but ``nomor`` and
    ``diterbitkan``. Changed in place: ``doc["sertifikat"]``.
    """
    rows: list[JsonDict] = doc["sertifikat"]
    active = {r["id_peserta"]: r for r in rows if r.get("status") == VALID}
    taken = {r["nomor"] for r in rows}
    next_seq = max((int(r.get("urut", 0)) for r in rows), default=0) + 1
    changes = Changes()
    wanted = {c["id_peserta"] for c in candidates}
    content = [k for k in DIGEST_FIELDS if k not in ("nomor", "diterbitkan")]
    for cand in candidates:
        old = active.get(cand["id_peserta"])
        if old is not None and all(old.get(k) == cand[k] for k in content):
            changes.kept.append(old)
            continue
        number = make_number(next_seq)
        if number in taken:
            raise RegisterError(f"Nomor {number} sudah pernah dipakai di daftar. Periksa format_nomor "
                                "di [sertifikat] kohort.toml: nomor tidak boleh berulang.")
        row = {"id_peserta": cand["id_peserta"], "urut": next_seq, "nomor": number,
               **{k: cand[k] for k in content}, "diterbitkan": today, "status": VALID}
        row["digest"] = record_digest(row)
        rows.append(row)
        taken.add(number)
        next_seq += 1
        changes.issued.append(row)
        if old is not None:
            _revoke(old, today, f"Diterbitkan ulang karena data berubah; diganti nomor {number}",
                    replaced_by=number)
            changes.revoked.append(old)
    for pid, old in active.items():
        if pid not in wanted:
            _revoke(old, today, "Peserta tidak lagi berstatus Lulus setelah penilaian ulang")
            changes.revoked.append(old)
    return changes


def _revoke(row: JsonDict, today: str, reason: str, replaced_by: str | None = None) -> None:
    row["status"] = REVOKED
    row["dicabut"] = today
    row["alasan_pencabutan"] = reason
    if replaced_by:
        row["diganti_oleh"] = replaced_by


def find(doc: JsonDict, number: str) -> JsonDict | None:
    number = number.strip()
    return next((r for r in doc.get("sertifikat", []) if r.get("nomor") == number), None)
