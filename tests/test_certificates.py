"""Certificates: who gets one, the PDF, the signed register, verification and every tampering case,
the Open Badges credential, the command line, and the PDF and verification page in Chromium."""

from __future__ import annotations

import copy
import functools
import http.server
import json
import shutil
import stat
import threading
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pypdf import PdfReader, PdfWriter

from autograder.cli import main
from autograder.cohort.roster import RosterError, parse_roster, write_roster
from autograder.cohort.workspace import Workspace
from autograder.reports import badges, certificates, records, register, verify

SHOTS = Path(__file__).parent / "screenshots"
NIP = "198501012010011001"
SETTINGS = {
    "format_nomor": "SPPTIK/{tahun}/{kode}/{urut:04d}",
    "kode": "PDG",
    "penandatangan": "Dra. Contoh Penandatangan, M.Si. (sintetis)",
    "jabatan": "Kepala Bidang Pengembangan Perpustakaan (contoh)",
    "alamat_verifikasi": "https://contoh.invalid/sertifikat/",
    "tempat": "Padang",
    "tanggal_mulai": date(2022, 5, 10),
    "tanggal_selesai": date(2022, 5, 14),
}
needs_chromium = pytest.mark.skipif(not records.pdf_available(),
                                    reason="perlu Chromium (paket Debian chromium) dan Playwright")


def _cohort_copy(graded_cohort, target: Path, table: dict | None = SETTINGS) -> Workspace:
    shutil.copytree(graded_cohort["ws"].root, target)
    ws = Workspace(target)
    people = [replace(p, nip=NIP) if p.id_peserta == graded_cohort["ids"][0] else p
              for p in ws.participants]
    write_roster(people, target / "roster.csv")
    ws = Workspace(target)
    return certificates.write_certificate_settings(ws, table) if table else ws


@pytest.fixture(scope="module")
def issued(graded_cohort, tmp_path_factory):
    base = tmp_path_factory.mktemp("sertifikat")
    ws = _cohort_copy(graded_cohort, base / "kohort")
    keys = register.generate_key(base / "kunci")
    result = certificates.issue(ws, keys.private, base / "keluaran", today=date(2022, 5, 14))
    return {"ws": ws, "keys": keys, "result": result, "base": base, "ids": graded_cohort["ids"],
            "people": graded_cohort["people"]}


def _trusted(issued):
    return register.load_public_key(issued["keys"].public)


def _doc(issued) -> dict:
    return register.read_register(issued["result"].register)


# Settings, roster, key -------------------------------------------------------------------------

def test_missing_settings_tell_the_trainer_what_to_add(graded_cohort, tmp_path):
    ws = _cohort_copy(graded_cohort, tmp_path / "kohort", table=None)
    with pytest.raises(certificates.CertificateError) as err:
        certificates.certificate_settings(ws)
    assert "[sertifikat]" in str(err.value) and "format_nomor =" in str(err.value)

    bad = {"format_nomor": "SPPTIK/{tahun}/{kode}", "tempat": "Padang", "tanggal_mulai": "10-05-2022",
           "tanggal_selesai": date(2022, 5, 14), "alamat_verifikasi": "contoh.invalid",
           "penandatangn": "Budi"}
    ws = certificates.write_certificate_settings(ws, bad)
    with pytest.raises(certificates.CertificateError) as err:
        certificates.certificate_settings(ws)
    text = str(err.value)
    for expected in ("'penandatangan' belum diisi", "'jabatan' belum diisi", "maksudnya 'penandatangan'",
                     "tanggal_mulai' harus tanggal", "harus memuat {urut}", "kunci 'kode' belum diisi",
                     "alamat_verifikasi harus alamat web"):
        assert expected in text, expected


def test_roster_takes_an_optional_nip_of_18_digits():
    header = "id_peserta,nama,jenis_kelamin,instansi,jenis_perpustakaan,provinsi,nip\n"
    people = parse_roster(header + "A1,Ani,P,Perpus Desa,desa,Sumatera Barat,19850101 201001 1 001\n"
                          "A2,Budi,L,Perpus Desa,desa,Sumatera Barat,\n")
    assert [p.nip for p in people] == [NIP, ""]
    with pytest.raises(RosterError) as err:
        parse_roster(header + "A1,Ani,P,Perpus Desa,desa,Sumatera Barat,1985010120100110\n")
    assert "nip '1985010120100110' harus 18 angka" in str(err.value)


def test_key_is_private_and_never_overwritten(tmp_path):
    made = register.generate_key(tmp_path / "kunci")
    assert stat.S_IMODE(made.private.stat().st_mode) == 0o600
    assert isinstance(register.load_private_key(made.private), Ed25519PrivateKey)
    before = made.private.read_bytes()
    with pytest.raises(register.CertificateKeyError, match="tidak pernah ditimpa"):
        register.generate_key(tmp_path / "kunci")
    assert made.private.read_bytes() == before
    assert not made.warnings
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    inside = register.generate_key(tmp_path / "repo" / "kunci")
    assert any("repositori git" in w for w in inside.warnings)
    (tmp_path / "kohort").mkdir()
    (tmp_path / "kohort" / "kohort.toml").write_text('name = "x"\n', encoding="utf-8")
    in_cohort = register.generate_key(tmp_path / "kohort" / "kunci")
    assert any("folder kohort" in w for w in in_cohort.warnings)


def test_a_signature_image_is_printed_inline(graded_cohort, tmp_path):
    from PIL import Image

    ws = _cohort_copy(graded_cohort, tmp_path / "kohort", {**SETTINGS, "tanda_tangan": "ttd-salah.png"})
    with pytest.raises(certificates.CertificateError, match="gambar tanda_tangan .* tidak ditemukan"):
        certificates.certificate_settings(ws)
    Image.new("RGB", (300, 100), "white").save(ws.root / "ttd.png")
    ws = certificates.write_certificate_settings(ws, {**SETTINGS, "tanda_tangan": "ttd.png"})
    settings = certificates.certificate_settings(ws)
    row = {"nomor": "SPPTIK/2022/PDG/0001", "program": "P", "judul": "J", "angkatan": "A",
           "nama": "<script>alert(1)</script> Siti",
           "instansi": "I", "tempat": "Padang", "tanggal_mulai": "2022-05-10",
           "tanggal_selesai": "2022-05-14", "jp": 41, "diterbitkan": "2022-05-14"}
    row["digest"] = register.record_digest(row)
    html = certificates.render_html(row, None, settings, "0000 0000 0000 0000")
    assert '<img src="data:image/png;base64,' in html and "NIP" not in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Siti" in html


# Issuing -----------------------------------------------------------------------------------

@needs_chromium
def test_only_lulus_participants_get_an_a4_landscape_certificate(issued):
    result, ids = issued["result"], issued["ids"]
    assert [r["id_peserta"] for r in result.active] == [ids[0]]  # UJI-0001 alone is Lulus
    skipped = {s.id_peserta: s for s in result.skipped}
    assert set(skipped) == set(ids[1:])
    assert skipped[ids[4]].status == "Menunggu penilaian" and "manual" in skipped[ids[4]].reason
    assert skipped[ids[3]].status == "Belum lulus" and "Belum mengumpulkan" in skipped[ids[3]].reason
    assert [p.name for p in result.pdfs] == [f"{ids[0]}.pdf"]

    row = result.active[0]
    assert row["nomor"] == "SPPTIK/2022/PDG/0001"
    assert row["jp"] == issued["ws"].course.total_jp
    reader = PdfReader(result.pdfs[0])
    box = reader.pages[0].mediabox
    assert len(reader.pages) == 1 and round(float(box.width)) == 843 and round(float(box.height)) == 596
    assert reader.metadata["/SpptikNomor"] == row["nomor"]
    assert reader.metadata["/SpptikDigest"] == row["digest"]
    text = " ".join(reader.pages[0].extract_text().split())  # lines as laid out, joined
    name = issued["people"][0].nama
    for expected in (name, f"NIP {NIP}", "Nomor: SPPTIK/2022/PDG/0001", f"{row['jp']} jam pelajaran (JP)",
                     "Padang, 14 Mei 2022", SETTINGS["penandatangan"], SETTINGS["jabatan"],
                     "10–14 Mei 2022"):
        assert expected in text, expected
    url = "https://contoh.invalid/sertifikat/?nomor=SPPTIK%2F2022%2FPDG%2F0001&d=" + row["digest"][:12]
    assert url in text.replace(" ", "")  # the address may break across lines
    html = (result.folder / "html" / f"{ids[0]}.html").read_text(encoding="utf-8")
    assert "<svg" in html and "Kode QR verifikasi" in html


def test_public_register_holds_no_email_telephone_or_nip(issued):
    text = issued["result"].register.read_text(encoding="utf-8")
    published = (issued["result"].page.parent / register.REGISTER_NAME).read_text(encoding="utf-8")
    assert text == published
    for p in issued["ws"].participants:
        for private in (p.email, p.telepon, p.nip):
            if private:
                assert private not in text
    for row in json.loads(text)["sertifikat"]:
        assert not set(row) & set(register.PRIVATE_FIELDS)
    assert NIP not in text and "@" not in text


# Verification -------------------------------------------------------------------------------

def test_a_genuine_certificate_is_valid_by_pdf_and_by_number(issued):
    result = issued["result"]
    doc, trusted = _doc(issued), _trusted(issued)
    verdict = verify.verify_number(doc, "SPPTIK/2022/PDG/0001", trusted)
    assert verdict.status == verify.VALID and issued["people"][0].nama in verdict.message
    if result.pdfs:
        by_pdf = verify.verify_pdf(result.pdfs[0], doc, trusted)
        assert by_pdf.status == verify.VALID, by_pdf.message


def test_an_unknown_number_is_unknown(issued):
    verdict = verify.verify_number(_doc(issued), "SPPTIK/2022/PDG/9999", _trusted(issued))
    assert verdict.status == verify.UNKNOWN and "tidak terdaftar" in verdict.message


def test_a_register_with_an_edited_row_is_caught(issued):
    doc = _doc(issued)
    doc["sertifikat"][0]["jp"] = 99
    verdict = verify.verify_number(doc, "SPPTIK/2022/PDG/0001", _trusted(issued))
    assert verdict.status == verify.ALTERED and "diubah setelah ditandatangani" in verdict.message
    doc = _doc(issued)
    doc["sertifikat"][0]["nama"] = "Orang Lain"
    assert verify.verify_number(doc, "SPPTIK/2022/PDG/0001", None).status == verify.ALTERED


def test_a_register_signed_by_another_key_is_caught(issued):
    doc = _doc(issued)
    doc["sertifikat"][0]["nama"] = "Orang Lain"
    forged = register.sign(doc, Ed25519PrivateKey.generate())
    assert register.check_signature(forged, None).ok  # consistent in itself...
    verdict = verify.verify_number(forged, "SPPTIK/2022/PDG/0001", _trusted(issued))
    assert verdict.status == verify.ALTERED and "kunci lain" in verdict.message  # ...but not ours


@needs_chromium
def test_a_pdf_with_an_edited_name_is_caught(issued, tmp_path):
    result = issued["result"]
    row = result.active[0]
    doc, trusted = _doc(issued), _trusted(issued)
    # re-printed from the certificate's HTML with another name; number and digest kept
    html = (result.folder / "html" / f"{row['id_peserta']}.html").read_text(encoding="utf-8")
    edited = tmp_path / "edited.html"
    edited.write_text(html.replace(row["nama"], "Nama Yang Dipalsukan"), encoding="utf-8")
    with certificates.CertificatePrinter() as printer:
        printer.print_certificate(edited, tmp_path / "edited.pdf", row, result.fingerprint)
    verdict = verify.verify_pdf(tmp_path / "edited.pdf", doc, trusted)
    assert verdict.status == verify.ALTERED and "nama atau instansi" in verdict.message
    # a name one word longer still differs
    edited.write_text(html.replace(row["nama"], row["nama"] + " Putri"), encoding="utf-8")
    with certificates.CertificatePrinter() as printer:
        printer.print_certificate(edited, tmp_path / "longer.pdf", row, result.fingerprint)
    assert verify.verify_pdf(tmp_path / "longer.pdf", doc, trusted).status == verify.ALTERED
    # the embedded record edited: its digest no longer matches the register
    writer = PdfWriter(clone_from=PdfReader(result.pdfs[0]))
    writer.add_metadata({"/SpptikDigest": "0" * 64})
    writer.write(tmp_path / "digest.pdf")
    verdict = verify.verify_pdf(tmp_path / "digest.pdf", doc, trusted)
    assert verdict.status == verify.ALTERED and "kode isi" in verdict.message


def test_not_a_pdf_gets_a_clear_message(issued, tmp_path):
    bad = tmp_path / "rusak.pdf"
    bad.write_text("bukan pdf")
    with pytest.raises(verify.VerifyError, match="tidak dapat dibaca sebagai PDF"):
        verify.verify_pdf(bad, _doc(issued), _trusted(issued))


# Re-issuing ----------------------------------------------------------------------------------

def test_reissue_keeps_numbers_and_revokes_changed_or_withdrawn_ones(graded_cohort, tmp_path):
    ws = _cohort_copy(graded_cohort, tmp_path / "kohort")
    keys = register.generate_key(tmp_path / "kunci")
    out = tmp_path / "keluaran"
    first = certificates.issue(ws, keys.private, out, pdf=False, today=date(2022, 5, 14))
    again = certificates.issue(ws, keys.private, out, pdf=False, today=date(2022, 5, 20))
    assert [r["nomor"] for r in again.active] == [r["nomor"] for r in first.active]
    assert again.changes.kept and not again.changes.issued and not again.changes.revoked
    assert again.active[0]["diterbitkan"] == "2022-05-14"

    pid = first.active[0]["id_peserta"]  # the name was misspelt: corrected in the roster
    people = [replace(p, nama=p.nama + " Hasibuan") if p.id_peserta == pid else p for p in ws.participants]
    write_roster(people, ws.root / "roster.csv")
    fixed = certificates.issue(Workspace(ws.root), keys.private, out, pdf=False, today=date(2022, 5, 21))
    assert [r["nomor"] for r in fixed.changes.issued] == ["SPPTIK/2022/PDG/0002"]
    doc, trusted = register.read_register(out / register.REGISTER_NAME), register.load_public_key(keys.public)
    old = verify.verify_number(doc, "SPPTIK/2022/PDG/0001", trusted)
    assert old.status == verify.REVOKED and "SPPTIK/2022/PDG/0002" in old.message
    assert verify.verify_number(doc, "SPPTIK/2022/PDG/0002", trusted).status == verify.VALID

    # a stricter rule after a regrade: the holder is no longer Lulus, the number is revoked
    course_toml = ws.root / "course.toml"
    text = course_toml.read_text(encoding="utf-8")
    stricter = text.replace("min_capstone_manual_percent = 60", "min_capstone_manual_percent = 95")
    course_toml.write_text(stricter, encoding="utf-8")
    assert "min_capstone_manual_percent = 95" in course_toml.read_text(encoding="utf-8")
    withdrawn = certificates.issue(Workspace(ws.root), keys.private, out, pdf=False, today=date(2022, 6, 1))
    assert not withdrawn.active
    assert [r["nomor"] for r in withdrawn.changes.revoked] == ["SPPTIK/2022/PDG/0002"]
    doc = register.read_register(out / register.REGISTER_NAME)
    verdict = verify.verify_number(doc, "SPPTIK/2022/PDG/0002", trusted)
    assert verdict.status == verify.REVOKED and "tidak lagi berstatus Lulus" in verdict.message
    assert [r["nomor"] for r in doc["sertifikat"]] == ["SPPTIK/2022/PDG/0001", "SPPTIK/2022/PDG/0002"]
    assert (out / "dicabut" / "html" / f"{pid}.html").is_file()
    assert not (out / "html" / f"{pid}.html").exists()

    # a register edited on disk is not silently re-signed
    doc["sertifikat"][0]["nama"] = "Orang Lain"
    register.write_register(doc, out / register.REGISTER_NAME)
    with pytest.raises(certificates.CertificateError, match="tidak dapat dipercaya"):
        certificates.issue(Workspace(ws.root), keys.private, out, pdf=False)


# The demo ------------------------------------------------------------------------------------

def test_demo_issues_with_a_labelled_demo_key_and_each_certificate_verifies(graded_cohort, tmp_path):
    from autograder.demo.run import demo_certificates

    ws = _cohort_copy(graded_cohort, tmp_path / "kohort", table=None)
    out = tmp_path / "demo"
    made = demo_certificates(ws, out, pdf=records.pdf_available())
    keys = sorted(p.name for p in (out / "kunci_DEMO").iterdir())
    assert keys == ["BACA_SAYA_KUNCI_DEMO.txt", "kunci_privat_DEMO_jangan_dipakai.pem",
                    "kunci_publik_DEMO.pem"]
    assert "JANGAN DIPAKAI" in (out / "kunci_DEMO" / "BACA_SAYA_KUNCI_DEMO.txt").read_text(encoding="utf-8")
    assert made.active and all(r["nomor"].startswith("DEMO-SPPTIK/") for r in made.active)
    doc = register.read_register(made.register)
    trusted = register.load_public_key(out / "kunci_DEMO" / "kunci_publik_DEMO.pem")
    for row in made.active:
        assert verify.verify_number(doc, row["nomor"], trusted).status == verify.VALID
    for pdf in made.pdfs:
        assert verify.verify_pdf(pdf, doc, trusted).status == verify.VALID, pdf


# Open Badges 3.0 ----------------------------------------------------------------------------

def test_open_badge_has_the_required_fields_and_a_proof_that_holds(issued):
    path = issued["result"].badges[0]
    cred = json.loads(path.read_text(encoding="utf-8"))
    assert cred["@context"] == badges.CONTEXT
    assert cred["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert cred["id"].startswith("https://contoh.invalid/sertifikat/?nomor=")
    assert cred["issuer"]["id"].startswith("did:key:z6Mk") and cred["issuer"]["type"] == ["Profile"]
    assert cred["issuer"]["name"] and cred["name"] and cred["validFrom"] == "2022-05-14T00:00:00Z"
    subject = cred["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    for key in ("id", "name", "description"):
        assert achievement[key]
    assert achievement["criteria"]["narrative"]
    assert cred["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert badges.verify(cred, _trusted(issued))
    assert NIP not in json.dumps(cred) and "@contoh.invalid" not in json.dumps(cred)

    tampered = copy.deepcopy(cred)
    tampered["credentialSubject"]["identifier"][0]["identityHash"] = "Orang Lain"
    assert not badges.verify(tampered, _trusted(issued))
    assert not badges.verify(badges.sign(cred, Ed25519PrivateKey.generate()), _trusted(issued))


# Command line --------------------------------------------------------------------------------

def test_command_line_route(graded_cohort, tmp_path):
    ws = _cohort_copy(graded_cohort, tmp_path / "kohort")
    runner = CliRunner()
    made = runner.invoke(main, ["kunci", str(tmp_path / "kunci")])
    assert made.exit_code == 0, made.output
    assert "Sidik kunci" in made.output
    again = runner.invoke(main, ["kunci", str(tmp_path / "kunci")])
    assert again.exit_code == 2 and "tidak pernah ditimpa" in again.output

    private = tmp_path / "kunci" / register.PRIVATE_NAME
    out = tmp_path / "keluaran"
    issued = runner.invoke(main, ["sertifikat", str(ws.root), "--kunci", str(private), "--out", str(out),
                                  "--no-pdf"])
    assert issued.exit_code == 0, issued.output
    assert "Peserta tanpa sertifikat" in issued.output and "Menunggu penilaian" in issued.output
    public = tmp_path / "kunci" / register.PUBLIC_NAME
    daftar = out / register.REGISTER_NAME
    ok = runner.invoke(main, ["verifikasi", "--daftar", str(daftar), "--kunci-publik", str(public),
                              "SPPTIK/2022/PDG/0001"])
    assert ok.exit_code == 0 and "SAH" in ok.output, ok.output
    unknown = runner.invoke(main, ["verifikasi", "--daftar", str(daftar), "SPPTIK/2022/PDG/0404"])
    assert unknown.exit_code == 1 and "TIDAK DIKENAL" in unknown.output
    other = tmp_path / "lain"
    register.generate_key(other)
    forged = runner.invoke(main, ["verifikasi", "--daftar", str(daftar), "--kunci-publik",
                                  str(other / register.PUBLIC_NAME), "SPPTIK/2022/PDG/0001"])
    assert forged.exit_code == 1 and "DIUBAH" in forged.output and "kunci lain" in forged.output
    missing = runner.invoke(main, ["sertifikat", str(ws.root), "--kunci", str(tmp_path / "tidak-ada.pem")])
    assert missing.exit_code == 2 and "spptik kunci" in missing.output


# In Chromium ---------------------------------------------------------------------------------

@contextmanager
def serve(folder: Path):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=records.chromium_path(), args=records.BROWSER_ARGS)
        yield browser
        browser.close()


def _check_page(page, url: str) -> tuple[str, str]:
    page.goto(url)
    page.wait_for_selector("body[data-selesai='1']", timeout=15_000)
    return page.inner_text("#status"), page.inner_text("#hasil")


@pytest.mark.browser
@needs_chromium
def test_certificate_rendered_in_chromium(issued, chromium):
    row = issued["result"].active[0]
    page = chromium.new_page(viewport={"width": 1123, "height": 794})
    page.emulate_media(media="print")
    page.goto((issued["result"].folder / "html" / f"{row['id_peserta']}.html").as_uri())
    SHOTS.mkdir(exist_ok=True)
    shot = SHOTS / "sertifikat-a4-lanskap.png"
    page.screenshot(path=str(shot))
    import zxingcpp
    from PIL import Image

    codes = zxingcpp.read_barcodes(Image.open(shot))  # what a phone camera would read
    assert [c.text for c in codes] == [
        "https://contoh.invalid/sertifikat/?nomor=SPPTIK%2F2022%2FPDG%2F0001&d=" + row["digest"][:12]]
    qr = page.locator("svg.qr").bounding_box()
    assert qr and qr["width"] > 100 and qr["height"] > 100  # 30 mm at 96 dpi
    name = page.locator(".nama").bounding_box()
    assert name and name["y"] + name["height"] < qr["y"]  # the name above the footer, nothing overlapping
    footer = page.locator(".kaki").bounding_box()
    assert footer["y"] + footer["height"] <= 794
    page.close()


@pytest.mark.browser
@needs_chromium
def test_verification_page_in_chromium(issued, chromium, tmp_path):
    row = issued["result"].active[0]
    site = tmp_path / "situs"
    shutil.copytree(issued["result"].page.parent, site)
    query = f"?nomor={row['nomor'].replace('/', '%2F')}&d={row['digest'][:12]}"
    page = chromium.new_page(viewport={"width": 900, "height": 760})
    with serve(site) as base:
        # the page's canonical form is Python's, byte for byte
        page.goto(base + "/index.html")
        sample = {"z": [1.5, 32.0, -0.0, 1e21, "é\u2028\"\\"], "a": {"ß": None, "B": True, "é": 2}}
        assert page.evaluate("s => jcs(JSON.parse(s))", json.dumps(sample)) == \
            register.canonical(sample).decode("utf-8")

        status, text = _check_page(page, base + "/index.html" + query)
        assert status == "SAH", text
        assert row["nama"] in text and row["angkatan"] in text and f"{row['jp']} JP" in text
        assert "tanda tangan digital sah" in page.inner_text("#daftar")
        page.screenshot(path=str(SHOTS / "verifikasi-sah.png"), full_page=True)

        status, text = _check_page(page, base + "/index.html?nomor=SPPTIK%2F2022%2FPDG%2F0404")
        assert status == "TIDAK DIKENAL" and "tidak terdaftar" in text

        page.fill("#nomor", row["nomor"])
        page.evaluate("document.body.dataset.selesai = ''")
        page.click("button[type=submit]")
        page.wait_for_selector("body[data-selesai='1']")
        assert page.inner_text("#status") == "SAH" and "nomor=SPPTIK%2F2022%2FPDG%2F0001" in page.url

        status, text = _check_page(page, base + "/index.html?nomor=" + row["nomor"] + "&d=ffffffffffff")
        assert status == "DIUBAH" and "kode isi pada sertifikat" in text

        good = (site / register.REGISTER_NAME).read_text(encoding="utf-8")
        doc = json.loads(good)
        doc["sertifikat"][0]["jp"] = 99  # an edited row
        (site / register.REGISTER_NAME).write_text(json.dumps(doc), encoding="utf-8")
        status, text = _check_page(page, base + "/index.html" + query)
        assert status == "DIUBAH" and "diubah setelah ditandatangani" in text
        assert "tidak dapat dipercaya" in page.inner_text("#daftar")
        page.screenshot(path=str(SHOTS / "verifikasi-daftar-diubah.png"), full_page=True)

        forged = register.sign(doc, Ed25519PrivateKey.generate())  # re-signed by another key
        (site / register.REGISTER_NAME).write_text(json.dumps(forged), encoding="utf-8")
        status, text = _check_page(page, base + "/index.html" + query)
        assert status == "DIUBAH" and "kunci lain" in text

        revoked = json.loads(good)
        register.apply_issue(revoked, [], lambda n: f"X/{n}", "2022-06-01")  # withdrawn: revoked
        key = register.load_private_key(issued["keys"].private)
        (site / register.REGISTER_NAME).write_text(json.dumps(register.sign(revoked, key)),
                                                   encoding="utf-8")
        status, text = _check_page(page, base + "/index.html" + query)
        assert status == "DICABUT" and "tidak lagi berstatus Lulus" in text
        page.screenshot(path=str(SHOTS / "verifikasi-dicabut.png"), full_page=True)
    page.close()

