"""``spptik sertifikat``: certificates for the participants whose status is ``Lulus``.

Who gets one comes from the completion list (:func:`autograder.reports.export.completion_table`):
``Lulus`` only; everyone else is listed with the reason. Each certificate is an HTML page
(``templates/sertifikat``) printed to an A4 landscape PDF by Chromium (one browser for all),
with a QR code (``segno``, SVG) that encodes the verification address, the number and a short
digest. The number and the full digest are also written into the PDF's metadata, so that
``spptik verifikasi`` can read them back. Numbers, revocation and the signature live in
:mod:`autograder.reports.register`; the Open Badges credentials in :mod:`.badges`.

The settings come from the ``[sertifikat]`` table of the cohort's ``kohort.toml``, read and
checked whole by :func:`certificate_settings`.
"""

from __future__ import annotations

import base64
import difflib
import io
import json
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

import jinja2
import segno
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from markupsafe import Markup

from autograder.cohort.roster import Participant
from autograder.cohort.settings import write_settings
from autograder.cohort.workspace import Workspace
from autograder.errors import SpptikError
from autograder.files import write_atomic
from autograder.reports import badges, records, register
from autograder.reports.completion import LULUS, format_number
from autograder.reports.export import completion_table
from autograder.reports.register import Changes, JsonDict

TEMPLATES = Path(__file__).resolve().parent / "templates"
PAGE_TEMPLATE = TEMPLATES / "verifikasi" / "index.html"
KEY_PLACEHOLDER = "__KUNCI_PUBLIK__"
PLACEHOLDERS = {"tahun", "kode", "urut"}
EXAMPLE = """[sertifikat]
format_nomor = "SPPTIK/{tahun}/{kode}/{urut:04d}"
kode = "PDG"
penandatangan = "Nama Penandatangan"
jabatan = "Jabatan Penandatangan"
alamat_verifikasi = "https://contoh.go.id/sertifikat/"
tempat = "Padang"
tanggal_mulai = 2022-05-10
tanggal_selesai = 2022-05-14
# tanda_tangan = "ttd.png"      (opsional: gambar tanda tangan, relatif ke folder kohort)
# penerbit = "Nama lembaga"     (opsional: bawaan nama program di course.toml)"""
REQUIRED = ("format_nomor", "penandatangan", "jabatan", "alamat_verifikasi", "tempat",
            "tanggal_mulai", "tanggal_selesai")
OPTIONAL = ("kode", "tanda_tangan", "penerbit")
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".svg": "image/svg+xml", ".webp": "image/webp"}


class CertificateError(SpptikError, ValueError):
    """Certificates cannot be issued (message in Indonesian)."""


@dataclass(frozen=True)
class CertificateSettings:
    """The ``[sertifikat]`` table of ``kohort.toml``, checked."""

    format_nomor: str
    penandatangan: str
    jabatan: str
    alamat_verifikasi: str
    tempat: str
    tanggal_mulai: date
    tanggal_selesai: date
    kode: str = ""
    tanda_tangan: Path | None = None
    penerbit: str = ""

    def number(self, sequence: int) -> str:
        return self.format_nomor.format(tahun=self.tanggal_selesai.year, kode=self.kode, urut=sequence)

    def verification_url(self, number: str, digest: str) -> str:
        sep = "&" if "?" in self.alamat_verifikasi else "?"
        return (f"{self.alamat_verifikasi}{sep}nomor={quote(number, safe='')}"
                f"&d={register.short_digest(digest)}")


def _date(value: object, key: str, problems: list[str]) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append(f"'{key}' harus tanggal TTTT-BB-HH (contoh: {key} = 2022-05-10), bukan {value!r}")
    return None


def certificate_settings(ws: Workspace) -> CertificateSettings:
    """The cohort's ``[sertifikat]`` settings; every problem is reported at once, in Indonesian."""
    table = (ws.info or {}).get("sertifikat")
    where = f"{ws.root / 'kohort.toml'}"
    if not table:
        raise CertificateError(f"Pengaturan sertifikat belum ada. Tambahkan tabel [sertifikat] ke "
                               f"{where}, misalnya:\n\n{EXAMPLE}")
    problems: list[str] = []
    known = (*REQUIRED, *OPTIONAL)
    for key in table:
        if key not in known:
            near = difflib.get_close_matches(key, known, n=1)
            hint = f" (maksudnya '{near[0]}'?)" if near else ""
            problems.append(f"kunci '{key}' tidak dikenal{hint}")
    for key in REQUIRED:
        if key not in table or table[key] in ("", None):
            problems.append(f"kunci '{key}' belum diisi")
    values: JsonDict = {}
    for key in ("format_nomor", "penandatangan", "jabatan", "alamat_verifikasi", "tempat", "kode",
                "penerbit"):
        value = table.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            problems.append(f"'{key}' harus teks (dalam tanda kutip), bukan {value!r}")
        else:
            values[key] = value.strip()
    for key in ("tanggal_mulai", "tanggal_selesai"):
        if table.get(key) not in ("", None):
            values[key] = _date(table[key], key, problems)
    start, end = values.get("tanggal_mulai"), values.get("tanggal_selesai")
    if start and end and start > end:
        problems.append(f"tanggal_mulai ({start}) sesudah tanggal_selesai ({end})")
    fmt = values.get("format_nomor")
    if fmt:
        names = {m.group(1) for m in re.finditer(r"\{([^{}:!]*)[^{}]*\}", fmt)}
        unknown = names - PLACEHOLDERS
        if unknown:
            problems.append(f"format_nomor memakai {{{', '.join(sorted(unknown))}}} yang tidak dikenal; "
                            "yang boleh: {tahun}, {kode}, {urut} (contoh: SPPTIK/{tahun}/{kode}/{urut:04d})")
        elif "urut" not in names:
            problems.append("format_nomor harus memuat {urut} agar setiap nomor berbeda "
                            "(contoh: SPPTIK/{tahun}/{kode}/{urut:04d})")
        else:
            try:
                fmt.format(tahun=2022, kode="X", urut=1)
            except (ValueError, IndexError, KeyError) as exc:
                problems.append(f"format_nomor '{fmt}' tidak dapat dipakai: {exc}")
        if "kode" in names and not values.get("kode"):
            problems.append("format_nomor memakai {kode}, tetapi kunci 'kode' belum diisi "
                            "(contoh: kode = \"PDG\")")
    url = values.get("alamat_verifikasi")
    if url and not re.match(r"^https?://[^\s/]+", url):
        problems.append(f"alamat_verifikasi harus alamat web lengkap (https://...), bukan '{url}'")
    signature = table.get("tanda_tangan")
    if signature not in (None, ""):
        path = (ws.root / str(signature)).resolve()
        if not path.is_file():
            problems.append(f"gambar tanda_tangan {path} tidak ditemukan")
        elif path.suffix.lower() not in IMAGE_TYPES:
            problems.append(f"tanda_tangan harus gambar ({', '.join(IMAGE_TYPES)}), bukan {path.name}")
        else:
            values["tanda_tangan"] = path
    if problems:
        raise CertificateError(f"Pengaturan [sertifikat] di {where} belum lengkap atau salah:\n"
                               + "\n".join(f"  - {p}" for p in problems)
                               + f"\n\nContoh tabel yang lengkap:\n\n{EXAMPLE}")
    return CertificateSettings(**values)


def write_certificate_settings(ws: Workspace, table: JsonDict) -> Workspace:
    """Put a ``[sertifikat]`` table into the cohort's kohort.toml (demo and tests); reopened."""
    tables = {**ws.settings.tables, "sertifikat": dict(table)}
    write_settings(ws.root, ws.settings.with_changes(tables=tables))
    return Workspace(ws.root)


# Text ----------------------------------------------------------------------------------------

def long_date(d: date) -> str:
    return register.long_date(d.isoformat())


def date_range(start: date, end: date) -> str:
    if start == end:
        return long_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {register.MONTHS[end.month - 1]} {end.year}"
    if start.year == end.year:
        return f"{start.day} {register.MONTHS[start.month - 1]} – {long_date(end)}"
    return f"{long_date(start)} – {long_date(end)}"


def _jp(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 1)


def qr_svg(url: str) -> Markup:
    """The QR code of ``url`` as inline SVG (error correction M, black on white)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", xmldecl=False, svgns=True, border=4, omitsize=True,
                                    svgclass="qr", title="Kode QR verifikasi sertifikat")
    return Markup(buffer.getvalue().decode("utf-8"))


def _image_data_uri(path: Path) -> str:
    mime = IMAGE_TYPES[path.suffix.lower()]
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES / "sertifikat")),
                          autoescape=True, undefined=jinja2.StrictUndefined)


def render_html(row: JsonDict, participant: Participant | None, settings: CertificateSettings,
                key_fingerprint: str) -> str:
    """One certificate as a self-contained HTML page (QR code and signature image inline)."""
    url = settings.verification_url(row["nomor"], row["digest"])
    return _ENV.get_template("sertifikat.html.j2").render(
        s=row, nip=participant.nip if participant else "", settings=settings,
        periode=date_range(settings.tanggal_mulai, settings.tanggal_selesai),
        tanggal_terbit=long_date(date.fromisoformat(row["diterbitkan"])),
        jp=format_number(row["jp"]), qr=qr_svg(url), url=url,
        kode=register.short_digest(row["digest"]), sidik=key_fingerprint,
        tanda_tangan=_image_data_uri(settings.tanda_tangan) if settings.tanda_tangan else "",
    )


# PDF ----------------------------------------------------------------------------------------

class CertificatePrinter(records.PdfPrinter):
    """The project's Chromium printer, A4 landscape, with the certificate's number and digest
    written into the PDF's metadata (read back by ``spptik verifikasi``)."""

    def print_certificate(self, html_path: Path, pdf_path: Path, row: JsonDict, fingerprint: str) -> None:
        from pypdf import PdfReader, PdfWriter

        self._page.goto(html_path.resolve().as_uri())
        raw = self._page.pdf(format="A4", landscape=True, print_background=True,
                             margin={"top": "0", "right": "0", "bottom": "0", "left": "0"})
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw)))
        writer.add_metadata({
            "/Title": f"Sertifikat {row['nomor']} – {row['nama']}",
            "/Subject": f"{row['judul']} – {row['angkatan']}",
            "/Author": row["program"],
            "/Keywords": f"SPP-TIK; sertifikat; {row['nomor']}",
            "/SpptikNomor": row["nomor"],
            "/SpptikDigest": row["digest"],
            "/SpptikSidikKunci": fingerprint,
        })
        write_atomic(pdf_path, lambda tmp: writer.write(str(tmp)))


# Issuing ------------------------------------------------------------------------------------

@dataclass
class Skipped:
    id_peserta: str
    nama: str
    status: str
    reason: str


@dataclass
class IssueResult:
    folder: Path
    register: Path
    page: Path
    changes: Changes
    active: list[JsonDict] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    html: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    badges: list[Path] = field(default_factory=list)
    fingerprint: str = ""
    pdf_seconds: float = 0.0


def candidates(ws: Workspace, settings: CertificateSettings, course_title: str, programme: str
               ) -> tuple[list[JsonDict], list[Skipped], dict[str, Participant]]:
    """The records of those who get a certificate now, and everyone else with the reason."""
    _, outcomes = completion_table(ws)
    people = {p.id_peserta: p for p in ws.participants}
    wanted, skipped = [], []
    for p, o in zip(ws.participants, outcomes, strict=True):
        if o.status != LULUS:
            skipped.append(Skipped(p.id_peserta, p.nama, o.status, "; ".join(o.reasons)))
            continue
        wanted.append({
            "id_peserta": p.id_peserta, "program": programme, "judul": course_title,
            "angkatan": ws.name, "nama": p.nama, "instansi": p.instansi,
            "tempat": settings.tempat, "tanggal_mulai": settings.tanggal_mulai.isoformat(),
            "tanggal_selesai": settings.tanggal_selesai.isoformat(), "jp": _jp(o.jp_completed),
        })
    return wanted, skipped, people


def issue(ws: Workspace, key_path: str | Path, out: str | Path | None = None, *, pdf: bool = True,
          today: date | None = None, on_start: Callable[[int], None] | None = None,
          on_step: Callable[[], None] | None = None) -> IssueResult:
    """Issue (or re-issue) the batch's certificates into ``out`` (default: COHORT/sertifikat)."""
    settings = certificate_settings(ws)
    key = register.load_private_key(key_path)
    fingerprint = register.fingerprint(key.public_key())
    folder = Path(out) if out else ws.root / "sertifikat"
    folder.mkdir(parents=True, exist_ok=True)
    register_path = folder / register.REGISTER_NAME
    course = ws.course
    programme = settings.penerbit or course.programme
    header = {"program": programme, "judul": course.title, "angkatan": ws.name,
              "alamat_verifikasi": settings.alamat_verifikasi}
    if register_path.exists():
        doc = register.read_register(register_path)
        check = register.check_signature(doc, key.public_key())
        if not check.ok:
            raise CertificateError(f"Daftar yang sudah ada {register_path} tidak dapat dipercaya: "
                                   f"{check.problem}. Tidak ada yang diterbitkan. Pulihkan daftar asli "
                                   "atau pakai kunci yang menandatanganinya.")
    else:
        doc = register.new_register(header)
    today = today or date.today()
    wanted, skipped, people = candidates(ws, settings, course.title, programme)
    changes = register.apply_issue(doc, wanted, settings.number, today.isoformat())
    doc.update(header)
    doc["diperbarui"] = datetime.now().astimezone().isoformat(timespec="seconds")
    doc = register.sign(doc, key)
    register.write_register(doc, register_path)

    active = [r for r in doc["sertifikat"] if r["status"] == register.VALID]
    result = IssueResult(folder=folder, register=register_path, page=folder / "verifikasi" / "index.html",
                         changes=changes, active=active, skipped=skipped, fingerprint=fingerprint)
    write_page(folder / "verifikasi", doc, key.public_key())
    if on_start:
        on_start(len(active))
    for row in active:
        html = render_html(row, people.get(row["id_peserta"]), settings, fingerprint)
        result.html.append(write_atomic(folder / "html" / f"{row['id_peserta']}.html", html))
        credential = badges.signed_credential(row, settings, key)
        result.badges.append(write_atomic(folder / "lencana" / f"{row['id_peserta']}.json",
                                          json.dumps(credential, ensure_ascii=False, indent=1)))
    if pdf and records.pdf_available():
        started = time.perf_counter()
        with CertificatePrinter() as printer:
            for row, html_path in zip(active, result.html, strict=True):
                target = folder / f"{row['id_peserta']}.pdf"
                printer.print_certificate(html_path, target, row, fingerprint)
                result.pdfs.append(target)
                if on_step:
                    on_step()
        result.pdf_seconds = time.perf_counter() - started
    _remove_stale(folder, {r["id_peserta"] for r in active})
    return result


def _remove_stale(folder: Path, active_ids: set[str]) -> None:
    """A revoked holder's files go to ``dicabut/`` (kept, never handed out as current)."""
    for pattern in ("*.pdf", "html/*.html", "lencana/*.json"):
        for path in folder.glob(pattern):
            if path.stem not in active_ids:
                target = folder / "dicabut" / path.relative_to(folder)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(path), str(target))


def write_page(folder: Path, doc: JsonDict, public: Ed25519PublicKey) -> Path:
    """The static verification page with the programme's public key pinned in it, the register
    beside it, and the public key file for those who want it."""
    key_b64 = register.b64url(register.raw_public(public))
    page = PAGE_TEMPLATE.read_text(encoding="utf-8").replace(KEY_PLACEHOLDER, key_b64)
    write_atomic(folder / "index.html", page)
    register.write_register(doc, folder / register.REGISTER_NAME)
    write_atomic(folder / register.PUBLIC_NAME, public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return folder / "index.html"
