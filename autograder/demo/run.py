"""``spptik demo``: the whole pipeline on a synthetic cohort, start to finish.

A batch of synthetic participants (default 24) with a realistic mix of
complete, partial, blank, weak and missing work sends its notebooks the way
they arrive in the field (named files, folders, a zip, a duplicate, a broken
file, one nobody can match); then init → collect → grade → simulated manual
grading → feedback → export → item analysis and learning gain.
"""

from __future__ import annotations

import random
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from autograder.cohort.roster import write_roster
from autograder.cohort.workspace import Workspace, init_workspace
from autograder.course import manifest
from autograder.demo import synthetic
from autograder.feedback.write import FeedbackReport, generate_feedback
from autograder.grading.manual import set_manual_scores
from autograder.grading.run import GradeReport, grade
from autograder.intake.collect import IntakeReport, collect
from autograder.reports.certificates import IssueResult
from autograder.reports.export import ExportResult, export
from autograder.reports.item_analysis import AnalysisResult, run_analysis
from autograder.reports.scores import submission_scores

BATCH_NAME = "Demo Padang, 10–14 Mei 2022 (data sintetis)"


@dataclass
class DemoResult:
    root: Path
    workspace: Workspace
    profiles: dict[str, str] = field(default_factory=dict)
    intake: IntakeReport | None = None
    grading: GradeReport | None = None
    feedback: FeedbackReport | None = None
    exported: ExportResult | None = None
    analysis: AnalysisResult | None = None
    certificates: IssueResult | None = None


def make_inbox(ws: Workspace, inbox: Path, profiles: dict[str, str], seed: int = 7) -> None:
    """Write what participants send, in the shapes it arrives in."""
    rng = random.Random(seed)
    course = ws.course
    sources = {a: synthetic.load(next((manifest.SOURCE_DIR / a).glob("*.ipynb")))
               for a in course.assignment_ids}
    releases = {a: synthetic.load(ws.release_notebooks(a)[0]) for a in course.assignment_ids}
    answers = {a: synthetic.solution_answers(nb) for a, nb in sources.items()}
    zipped = inbox / "unduhan_whatsapp"
    for i, (pid, profile) in enumerate(profiles.items()):
        if profile == "tidak_mengumpulkan":
            continue
        skip = set(rng.sample(course.assignment_ids, 3)) if profile == "sebagian" else set()
        # the ability model (synthetic.by_ability): lower before the training than after it
        theta = synthetic.ability(rng, weak=profile == "lemah")
        shifts = {course.completion.pre_test: synthetic.SHIFT_PRE,
                  course.completion.post_test: synthetic.SHIFT_POST}
        for aid in course.assignment_ids:
            if aid in skip:
                continue
            if profile == "kosong":
                nb = releases[aid]
            else:
                nb = synthetic.by_ability(releases[aid], answers[aid], aid, theta,
                                          shifts.get(aid, synthetic.SHIFT_EXERCISE), rng)
            layout = i % 3
            if layout == 0:
                synthetic.dump(nb, inbox / "email" / f"{pid}_{aid}.ipynb")
            elif layout == 1:
                synthetic.dump(nb, inbox / "usb" / pid / f"{aid}.ipynb")
            else:
                synthetic.dump(nb, zipped / pid / f"Tugas {aid}.ipynb")
    # what a real inbox also holds: the same file twice, a broken file, a stranger's file
    first = next(iter(profiles))
    some = next((inbox / "email").glob(f"{first}_*.ipynb"), None)
    if some:
        shutil.copy(some, inbox / "email" / f"{some.stem} (1).ipynb")
    (inbox / "email" / "tugas_tanpa_nama.ipynb").write_text(
        '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', encoding="utf-8")
    if zipped.exists():
        archive = inbox / "unduhan_whatsapp.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(zipped.rglob("*.ipynb")):
                zf.write(path, path.relative_to(zipped))
        shutil.rmtree(zipped)


def simulate_manual_grading(ws: Workspace, profiles: dict[str, str]) -> int:
    """What trainers do in the formgrader: grade every free-text answer."""
    course = ws.course
    capstone = course.completion.capstone
    pending = submission_scores(ws)
    pending = pending[pending["needs_manual_grade"]]
    done = 0
    for student, assignment in zip(pending["student"].astype(str), pending["assignment"].astype(str),
                                   strict=True):
        profile = profiles.get(student, "lengkap")
        if profile == "menunggu" and assignment == capstone:
            continue  # the trainer has not reached this one yet
        fraction = {"lemah": 0.5, "tugas_akhir_lemah": 0.4 if assignment == capstone
                    else 0.8}.get(profile, 0.85)
        done += set_manual_scores(ws, student, assignment, fraction,
                                  comment="Jawaban sudah baik; tambahkan data dari perpustakaan Anda.")
    return done


def run_demo(out: str | Path, participants: int = 24, *, jobs: int | None = None,
             pdf: bool = True, ui=None) -> DemoResult:
    """Run the whole pipeline into ``out`` (which must not already hold a cohort)."""
    out = Path(out).resolve()
    ui = ui or _Silent()
    people = synthetic.make_roster(participants)
    out.mkdir(parents=True, exist_ok=True)
    roster_path = out / "peserta_sintetis.csv"
    write_roster(people, roster_path)
    profiles = {p.id_peserta: synthetic.profile_for(i, len(people))
                for i, p in enumerate(people)}

    ui.step("Menyiapkan ruang kerja kohort (spptik init)")
    ws = init_workspace(out / "kohort", roster_path, BATCH_NAME)
    result = DemoResult(root=out, workspace=ws, profiles=profiles)

    ui.step("Peserta mengirim tugas (e-mail, USB, zip WhatsApp)")
    inbox = out / "kiriman"
    make_inbox(ws, inbox, profiles)

    ui.step("Menerima kiriman (spptik collect)")
    result.intake = collect(ws, None, [inbox])
    ui.intake(result.intake)

    ui.step("Menilai otomatis dengan nbgrader (spptik grade)")
    # The demo's notebooks are its own synthetic ones: where no sandbox runs, it says so
    # and grades them as trusted code; real submissions never are (spptik grade refuses).
    trusted = not sandbox_available()
    result.grading = (ui.grade(ws, jobs, trusted) if hasattr(ui, "grade")
                      else grade(ws, jobs=jobs, trusted=trusted))

    ui.step("Fasilitator menilai jawaban tertulis (simulasi formgrader)")
    simulate_manual_grading(ws, profiles)

    ui.step("Menulis umpan balik (spptik feedback)")
    result.feedback = generate_feedback(ws)

    ui.step("Mengekspor daftar kelulusan dan rekam peserta (spptik export)")
    result.exported = export(ws, out / "ekspor", pdf=pdf)

    ui.step("Menganalisis butir soal dan peningkatan belajar (spptik analisis)")
    result.analysis = run_analysis([ws], out / "analisis")

    ui.step("Menerbitkan sertifikat peserta Lulus dengan kunci DEMO (spptik kunci, spptik sertifikat)")
    result.certificates = demo_certificates(ws, out, pdf=pdf)
    return result


# The demo's certificate settings: synthetic, with an address that cannot resolve (.invalid).
DEMO_CERTIFICATES = {
    "format_nomor": "DEMO-SPPTIK/{tahun}/{kode}/{urut:04d}",
    "kode": "PDG",
    "penandatangan": "Contoh Penandatangan (data sintetis)",
    "jabatan": "Jabatan Penandatangan (contoh demo)",
    "alamat_verifikasi": "https://sertifikat.contoh.invalid/verifikasi/",
    "tempat": "Padang",
    "tanggal_mulai": date(2022, 5, 10),
    "tanggal_selesai": date(2022, 5, 14),
}
DEMO_KEY_NOTE = """KUNCI DEMO - JANGAN DIPAKAI UNTUK SERTIFIKAT SUNGGUHAN

Kunci ini dibuat oleh `spptik demo` untuk data sintetis dan disimpan di folder keluaran demo.
Untuk sertifikat sungguhan, buat kunci program sendiri dengan `spptik kunci FOLDER` di luar
repositori dan di luar folder kohort (lihat README, bagian "Sertifikat").
"""


def demo_certificates(ws: Workspace, out: Path, *, pdf: bool = True) -> IssueResult:
    """Certificates for the demo's Lulus participants, signed with a demo key made in ``out``."""
    from autograder.files import write_atomic
    from autograder.reports.certificates import issue, write_certificate_settings
    from autograder.reports.register import generate_key

    key_folder = out / "kunci_DEMO"
    keys = generate_key(key_folder, private_name="kunci_privat_DEMO_jangan_dipakai.pem",
                        public_name="kunci_publik_DEMO.pem")
    write_atomic(key_folder / "BACA_SAYA_KUNCI_DEMO.txt", DEMO_KEY_NOTE)
    ws = write_certificate_settings(ws, DEMO_CERTIFICATES)
    return issue(ws, keys.private, out / "sertifikat", pdf=pdf)


def sandbox_available() -> bool:
    from autograder.grading.sandbox import SandboxUnavailable, choose_mode

    try:
        choose_mode()
        return True
    except SandboxUnavailable:
        return False


class _Silent:
    def step(self, text: str) -> None:
        pass

    def intake(self, report) -> None:
        pass
