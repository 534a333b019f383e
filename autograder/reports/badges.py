"""Open Badges 3.0 credentials (``OpenBadgeCredential``), one per certificate, signed.

The credential follows 1EdTech Open Badges 3.0 on the W3C Verifiable Credentials 2.0 data
model: ``@context``, ``id``, ``type``, ``issuer`` (a ``Profile`` with ``id``, ``type``, ``name``),
``validFrom``, ``name``, and ``credentialSubject`` (an ``AchievementSubject`` whose
``achievement`` has ``id``, ``type``, ``name``, ``description`` and ``criteria``).

The issuer is the programme's Ed25519 key as a ``did:key``; the proof is a W3C Data Integrity
proof with the ``eddsa-jcs-2022`` cryptosuite (JCS canonical form, SHA-256, Ed25519, the
signature in multibase base58btc), which any Data Integrity verifier can check offline.
"""

from __future__ import annotations

import copy
import hashlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from autograder.reports import register
from autograder.reports.register import JsonDict

if TYPE_CHECKING:
    from autograder.reports.certificates import CertificateSettings

CONTEXT = ["https://www.w3.org/ns/credentials/v2",
           "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
ED25519_MULTICODEC = b"\xed\x01"
CRYPTOSUITE = "eddsa-jcs-2022"


def did_key(public: Ed25519PublicKey) -> str:
    """The ``did:key`` of an Ed25519 public key (multicodec 0xed01, multibase base58btc)."""
    return "did:key:z" + base58.b58encode(ED25519_MULTICODEC + register.raw_public(public)).decode()


def public_from_did(did: str) -> Ed25519PublicKey:
    ident = did.split("#", 1)[0].removeprefix("did:key:")
    if not ident.startswith("z"):
        raise ValueError("did:key tidak dikenal")
    raw = base58.b58decode(ident[1:])
    if not raw.startswith(ED25519_MULTICODEC):
        raise ValueError("did:key bukan kunci Ed25519")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def credential(row: JsonDict, settings: CertificateSettings, public: Ed25519PublicKey) -> JsonDict:
    """The unsigned OpenBadgeCredential of one register row."""
    issuer = did_key(public)
    jp = str(row["jp"]).replace(".", ",")
    return {
        "@context": CONTEXT,
        "id": settings.verification_url(row["nomor"], row["digest"]),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": row["program"],
                   "url": settings.alamat_verifikasi},
        "validFrom": f"{row['diterbitkan']}T00:00:00Z",
        "name": f"Sertifikat {row['judul']}",
        "description": f"Sertifikat nomor {row['nomor']}: lulus {row['judul']}, angkatan "
                       f"{row['angkatan']}, {jp} JP.",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityHash": row["nama"],
                            "identityType": "name", "hashed": False}],
            "activityStartDate": f"{row['tanggal_mulai']}T00:00:00Z",
            "activityEndDate": f"{row['tanggal_selesai']}T00:00:00Z",
            "achievement": {
                "id": f"{settings.alamat_verifikasi}#capaian-spptik",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": row["judul"],
                "description": f"{row['judul']} ({row['program']}), {jp} jam pelajaran (JP).",
                "criteria": {"narrative": "Berstatus Lulus menurut aturan kelulusan di course.toml: "
                                          "semua tugas wajib dikumpulkan, nilai akhir berbobot dan "
                                          "penilaian manual tugas akhir mencapai batas, tes akhir "
                                          "diikuti."},
                "inLanguage": "id",
                "humanCode": "SPP-TIK",
            },
        },
    }


def _hash_data(proof_config: JsonDict, document: JsonDict) -> bytes:
    return (hashlib.sha256(register.canonical(proof_config)).digest()
            + hashlib.sha256(register.canonical(document)).digest())


def sign(document: JsonDict, key: Ed25519PrivateKey, created: str | None = None) -> JsonDict:
    """``document`` with a DataIntegrityProof (eddsa-jcs-2022) added."""
    did = did_key(key.public_key())
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": f"{did}#{did.removeprefix('did:key:')}",
        "proofPurpose": "assertionMethod",
        "@context": unsecured["@context"],
    }
    signature = key.sign(_hash_data(proof, unsecured))
    secured = copy.deepcopy(unsecured)
    secured["proof"] = {**proof, "proofValue": "z" + base58.b58encode(signature).decode()}
    return secured


def verify(document: JsonDict, trusted: Ed25519PublicKey | None = None) -> bool:
    """Check the eddsa-jcs-2022 proof (against ``trusted`` when given, else the issuer's did:key)."""
    try:
        proof = dict(document["proof"])
        value = proof.pop("proofValue")
        if proof.get("cryptosuite") != CRYPTOSUITE or not value.startswith("z"):
            return False
        public = public_from_did(proof["verificationMethod"])
        if public_from_did(document["issuer"]["id"]).public_bytes_raw() != public.public_bytes_raw():
            return False
        if trusted is not None and trusted.public_bytes_raw() != public.public_bytes_raw():
            return False
        unsecured = {k: v for k, v in document.items() if k != "proof"}
        if proof.get("@context") != unsecured.get("@context"):
            return False
        public.verify(base58.b58decode(value[1:]), _hash_data(proof, unsecured))
        return True
    except (KeyError, TypeError, ValueError, InvalidSignature):
        return False


def signed_credential(row: JsonDict, settings: CertificateSettings, key: Ed25519PrivateKey) -> JsonDict:
    return sign(credential(row, settings, key.public_key()), key,
                created=f"{row['diterbitkan']}T00:00:00Z")
