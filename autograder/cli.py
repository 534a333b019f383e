"""The ``spptik`` command: a thin layer over the functions in this package.

Messages are in Bahasa Indonesia; long work shows a progress bar; bad input
exits non-zero with a clear message.
"""

from __future__ import annotations

import os
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

import autograder.lean  # noqa: F401 - first: keeps a slow import out (see lean.py)
from autograder.manifest import ManifestError
from autograder.roster import RosterError
from autograder.workspace import Workspace, WorkspaceError

# What a trainer can fix (a bad roster, a folder that is not a cohort, a broken manifest):
# one Indonesian line and exit code 2, never a traceback.
INPUT_ERRORS = (WorkspaceError, RosterError, ManifestError)

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


@contextmanager
def progress_bar(description: str):
    """Yield (on_start(total), advance()) driving one rich progress bar."""
    columns = [TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("·"), TimeElapsedColumn(), TextColumn("· sisa"), TimeRemainingColumn()]
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(description, total=None)

        def on_start(total: int) -> None:
            progress.update(task, total=total)

        def advance(*_args) -> None:
            progress.advance(task)

        yield on_start, advance


def fail(message: str, code: int = 2):
    """End the command with ``message`` unwrapped (a path or a command in it can be copied)."""
    from rich.markup import escape

    err_console.print(f"[bold red]Gagal:[/] {escape(message)}", soft_wrap=True)
    sys.exit(code)


def open_workspace(path: str | Path) -> Workspace:
    """The cohort in ``path``; a missing folder or one that is not a cohort ends the command."""
    if not Path(path).is_dir():
        fail(f"Folder {path} tidak ada.")
    try:
        return Workspace(path)
    except WorkspaceError as exc:
        fail(str(exc))


def known_assignments(ws: Workspace, tugas) -> list[str] | None:
    """The assignments a trainer named (None: all of them); an unknown one ends the command."""
    unknown = [t for t in tugas if t not in ws.course.assignment_ids]
    if unknown:
        fail(f"Tugas {', '.join(repr(t) for t in unknown)} tidak dikenal. "
             f"Tugas yang ada: {', '.join(ws.course.assignment_ids)}")
    return list(tugas) or None


def guard_gradebook(ws: Workspace, reason: str | None) -> None:
    """Refuse a damaged gradebook; before a run that writes it (``reason``), keep a snapshot."""
    from autograder import gradebook_guard

    try:
        if reason:
            kept = gradebook_guard.before_write(ws, reason)
            if kept.snapshot is None:  # e.g. PostgreSQL without pg_dump: said, not hidden
                err_console.print(f"Peringatan: {kept.note}", markup=False)
        else:
            gradebook_guard.check(ws)
    except gradebook_guard.GradebookError as exc:
        refuse(exc)


def _has_password(url: str) -> bool:
    from sqlalchemy.engine import make_url

    try:
        return bool(make_url(url).password)
    except Exception:  # noqa: BLE001 - a malformed URL is reported by init itself
        return False


def refuse(exc: Exception):
    """A gradebook refusal, with its own exit code."""
    from autograder.gradebook_guard import EXIT_CODE

    fail(str(exc), EXIT_CODE)


# nbgrader's gradebook runs the `alembic` command from this environment.
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
# nbgrader's own gradebook code triggers SQLAlchemy warnings that say nothing to a trainer.
warnings.filterwarnings("ignore", message=".*not in session.*")


@click.group(help="SPP-TIK: kurikulum, penilaian dan ekspor kelulusan Bimtek SPP-TIK (TPBIS).")
@click.version_option(package_name="spptik")
def main():
    pass


@main.command(help="Buat ruang kerja kohort (satu angkatan) dari daftar peserta CSV.")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--roster", "roster_path", required=True, type=click.Path(dir_okay=False),
              help="Daftar peserta (CSV).")
@click.option("--name", default=None, help='Nama angkatan, misalnya "Padang, 10–14 Mei 2022".')
@click.option("--db-url", default=None, help="URL gradebook (bawaan: SQLite di folder kohort).")
def init(folder, roster_path, name, db_url):
    from autograder.gradebook_guard import GradebookError, ensure_unused
    from autograder.workspace import init_workspace

    try:
        if db_url:  # a new cohort never writes into another one's gradebook
            ensure_unused(db_url)
    except GradebookError as exc:
        refuse(exc)
    if db_url and _has_password(db_url):
        err_console.print("[bold yellow]Peringatan:[/] URL gradebook ini memuat kata sandi. Baris "
                          "perintah terlihat oleh akun lain di server; simpan kata sandi di "
                          "~/.pgpass (mode 600) dan tulis URL tanpa kata sandi.")
    try:
        with console.status("Menyiapkan tugas dengan nbgrader…"):
            ws = init_workspace(folder, roster_path, name, db_url=db_url)
    except INPUT_ERRORS as exc:
        fail(str(exc))
    console.print(f"[green]Ruang kerja kohort siap:[/] {ws.root}")
    console.print(f"{len(ws.participants)} peserta, tugas: {', '.join(ws.course.assignment_ids)}")


def print_intake(report) -> None:
    from autograder.intake import FILED, OUTCOME_LABELS

    table = Table(title="Hasil penerimaan kiriman")
    table.add_column("Keterangan")
    table.add_column("Jumlah", justify="right")
    table.add_row("Diterima (semua berkas)", str(report.received))
    for key, label in OUTCOME_LABELS.items():
        table.add_row(label, str(report.count(key)))
    console.print(table)
    odd = [i for i in report.items if i.outcome != FILED]
    if odd:
        detail = Table(title="Berkas yang perlu diperhatikan", show_lines=False)
        for col in ("Asal", "Hasil", "Alasan"):
            detail.add_column(col, overflow="fold")
        for item in odd[:50]:
            detail.add_row(item.origin, OUTCOME_LABELS.get(item.outcome, item.outcome),
                           item.reason)
        console.print(detail)


@main.command(help="Terima kiriman tugas: berkas .ipynb, folder, atau .zip. "
                   "TUGAS boleh '-' agar tugas dikenali dari isi notebook.")
@click.argument("folder", type=click.Path(file_okay=False))
@click.argument("tugas")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def collect(folder, tugas, paths):
    from autograder.intake import BROKEN, UNMATCHED
    from autograder.intake import collect as do_collect

    ws = open_workspace(folder)
    if tugas not in ("-", "otomatis"):
        known_assignments(ws, [tugas])
    with console.status("Membaca kiriman…"):
        report = do_collect(ws, tugas, paths)
    print_intake(report)
    if report.count(UNMATCHED) or report.count(BROKEN):
        console.print(f"Berkas yang tidak dikenali disimpan di {ws.quarantine} beserta alasannya.")


def print_grading(report) -> None:
    from autograder.grading import STATUS_LABELS

    table = Table(title=f"Hasil penilaian ({report.seconds:.1f} detik)")
    table.add_column("Keterangan")
    table.add_column("Jumlah", justify="right")
    for key, label in STATUS_LABELS.items():
        table.add_row(label, str(report.count(key)))
    console.print(table)
    if report.isolation:
        console.print(f"Cara menjalankan kode peserta: {report.isolation}")
    for r in report.failures:
        err_console.print(f"[red]✘[/] {r.student} / {r.assignment}: {r.message}")


def run_grading(ws, assignments=None, force=False, jobs=None, trusted=False):
    from autograder.grading import grade as do_grade

    with progress_bar("Menilai") as (on_start, advance):
        return do_grade(ws, assignments, force=force, jobs=jobs, trusted=trusted,
                        on_start=on_start, on_result=advance)


@main.command(help="Nilai otomatis kiriman yang baru melalui nbgrader.")
@click.argument("folder", type=click.Path(file_okay=False))
@click.argument("tugas", nargs=-1)
@click.option("--jobs", "-j", type=int, default=None, help="Jumlah proses penilai (bawaan: dua per inti).")
@click.option("--force", is_flag=True, help="Nilai ulang semuanya.")
@click.option("--percaya", is_flag=True,
              help="Kode peserta dipercaya: jalankan tanpa sandbox bila tidak ada sandbox "
                   "yang dapat berjalan (hanya untuk kiriman dari sumber tepercaya).")
def grade(folder, tugas, jobs, force, percaya):
    from autograder import gradebook_guard
    from autograder.sandbox import SandboxUnavailable

    ws = open_workspace(folder)
    wanted = known_assignments(ws, tugas)
    guard_gradebook(ws, None)  # before the progress bar; grade() checks again and keeps a snapshot
    try:
        report = run_grading(ws, wanted, force, jobs, trusted=percaya)
    except SandboxUnavailable as exc:
        fail(str(exc), code=3)
    except gradebook_guard.GradebookError as exc:
        refuse(exc)
    except ValueError as exc:
        fail(str(exc))
    print_grading(report)
    console.print(gradebook_guard.status_line(ws), soft_wrap=True, markup=False)
    if report.failures:
        err_console.print(f"{len(report.failures)} kiriman tidak dapat dinilai penuh (lihat di atas). "
                          "Kiriman lain sudah dinilai.")
        sys.exit(1)


@main.command(help="Tulis umpan balik (HTML, bahasa Indonesia) untuk setiap peserta.")
@click.argument("folder", type=click.Path(file_okay=False))
@click.argument("tugas", nargs=-1)
def feedback(folder, tugas):
    from autograder.feedback import generate_feedback

    ws = open_workspace(folder)
    wanted = known_assignments(ws, tugas)
    guard_gradebook(ws, "feedback")
    with progress_bar("Umpan balik") as (on_start, advance):
        report = generate_feedback(ws, wanted, on_start=on_start, on_step=advance)
    console.print(f"[green]{len(report.written)} berkas umpan balik[/] di {ws.feedback}")
    for student, assignment, why in report.failed:
        err_console.print(f"[red]✘[/] {student} / {assignment}: {why}")
    if report.failed:
        sys.exit(1)


def print_export(result) -> None:
    table = result.table
    counts = table["Status"].value_counts()
    summary = Table(title="Status kelulusan")
    summary.add_column("Status")
    summary.add_column("Jumlah", justify="right")
    from autograder import completion

    for status in (completion.LULUS, completion.BELUM_LULUS, completion.MENUNGGU):
        summary.add_row(status, str(int(counts.get(status, 0))))
    console.print(summary)
    console.print(f"Daftar kelulusan (CSV):   {result.csv}")
    console.print(f"Daftar kelulusan (Excel): {result.xlsx}")
    console.print(f"Ringkasan dan grafik:     {result.summary_html}")
    console.print(f"Rekam per peserta:        {result.folder / 'rekam'} "
                  f"({len(result.records)} HTML, {len(result.pdfs)} PDF)")


@main.command(help="Ekspor daftar kelulusan (CSV, Excel), ringkasan, grafik, rekam per peserta.")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Folder keluaran (bawaan: FOLDER/ekspor).")
@click.option("--pdf/--no-pdf", default=False, help="Juga cetak rekam ke PDF (perlu Chromium).")
def export(folder, out, pdf):
    from autograder.export import export as do_export
    from autograder.records import pdf_available

    ws = open_workspace(folder)
    guard_gradebook(ws, None)
    if pdf and not pdf_available():
        err_console.print("PDF dilewati: Chromium (paket Debian 'chromium') atau Playwright "
                          "tidak terpasang. HTML tetap ditulis.")
    with progress_bar("Rekam peserta") as (on_start, advance):
        result = do_export(ws, out, pdf=pdf, on_start=on_start, on_step=advance)
    print_export(result)


@main.command(help="Gabungkan daftar kelulusan beberapa kohort menjadi satu daftar nasional.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder keluaran.")
@click.argument("cohorts", nargs=-1, required=True, type=click.Path(file_okay=False))
def merge(out, cohorts):
    from autograder.export import merge as do_merge

    workspaces = [open_workspace(c) for c in cohorts]
    for ws in workspaces:
        guard_gradebook(ws, None)
    with console.status("Menggabungkan kohort…"):
        result = do_merge(workspaces, out)
    console.print(f"{len(result.table)} baris dari {len(workspaces)} kohort.")
    console.print(f"Daftar nasional (CSV):   {result.csv}")
    console.print(f"Daftar nasional (Excel): {result.xlsx}")
    if len(result.duplicates):
        table = Table(title="ID peserta yang muncul di lebih dari satu angkatan (tidak digabung)")
        for col in ("ID Peserta", "Nama", "Angkatan", "Status"):
            table.add_column(col)
        for row in result.duplicates.itertuples(index=False):
            table.add_row(*[str(v) for v in row])
        err_console.print(table)


@main.command(help="Buka JupyterLab (antarmuka bahasa Indonesia): pada kursus untuk peserta, "
                   "atau pada folder kohort untuk fasilitator (Formgrader).")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@click.option("--port", type=int, default=None)
@click.option("--no-browser", is_flag=True, help="Jangan membuka peramban.")
def lab(folder, port, no_browser):
    import subprocess

    from autograder.lab import default_root, install_overrides, lab_command

    install_overrides()
    root = Path(folder).resolve() if folder else default_root()
    if not root.is_dir():
        fail(f"Folder {root} tidak ada.")
    if (root / "kohort.toml").is_file():
        guard_gradebook(open_workspace(root), "lab")  # the formgrader writes manual grades
        console.print(f"Membuka kohort {root.name} untuk fasilitator: menu Nbgrader › Formgrader.")
    else:
        console.print(f"Membuka kursus di {root}.")
    env = dict(os.environ)
    sys.exit(subprocess.call(lab_command(root, port=port, open_browser=not no_browser),
                             cwd=root, env=env))


@main.command(help="Periksa kurikulum: solusi lulus tes, versi peserta kosong gagal, "
                   "assignments/ sinkron dan bebas jawaban.")
@click.option("--quick", is_flag=True, help="Tanpa menjalankan notebook.")
def check(quick):
    from autograder.curriculum import check_curriculum

    with console.status("Memeriksa kurikulum (menjalankan setiap notebook)…"):
        report = check_curriculum(execute=not quick,
                                  on_step=lambda a: console.print(f"  ✔ {a} diperiksa"))
    if report.ok:
        console.print(f"[green]Kurikulum baik:[/] {len(report.checked)} tugas diperiksa.")
        return
    for problem in report.problems:
        err_console.print(f"[red]✘[/] {problem}")
    sys.exit(1)


@main.command(help="Cadangan gradebook: tanpa CADANGAN, tampilkan daftarnya; dengan CADANGAN, "
                   "pulihkan gradebook ke cadangan itu (keadaan sekarang disimpan dulu).")
@click.argument("folder", type=click.Path(file_okay=False))
@click.argument("cadangan", required=False)
@click.option("--baru", is_flag=True, help="Buat gradebook baru (tanpa cadangan yang utuh) atau lengkapi "
                                           "yang ada dengan tugas dan peserta kohort.")
def pulihkan(folder, cadangan, baru):
    from autograder import gradebook_guard as guard

    ws = open_workspace(folder)
    try:
        if baru:
            kept = guard.rebuild(ws)
            health = guard.inspect_gradebook(ws)
            _plain(f"Gradebook memuat tugas dan peserta kohort ({health.participants} peserta, "
                   f"{health.submissions} kiriman). Bila kiriman yang sudah dinilai hilang, "
                   f"nilai ulang semuanya: spptik grade {folder} --force")
        elif cadangan:
            result = guard.restore(ws, cadangan)
            kept = result.kept
            _plain(f"Gradebook dipulihkan dari {result.restored.name} "
                   f"({result.health.participants} peserta, {result.health.submissions} kiriman). "
                   "Formgrader yang sedang terbuka: tutup lalu buka lagi dengan spptik lab.")
        else:
            for line in guard.listing(ws):  # plain lines: a name can be copied whole
                _plain(line)
            return
    except guard.GradebookError as exc:
        refuse(exc)
    for path in kept:
        console.print(f"Keadaan sebelumnya disimpan: {path}", soft_wrap=True, markup=False)


class DemoUI:
    def step(self, text: str) -> None:
        console.rule(f"[bold]{text}")

    def intake(self, report) -> None:
        print_intake(report)

    def grade(self, ws, jobs, trusted=False):
        if trusted:
            console.print("[bold yellow]Tidak ada sandbox di mesin ini:[/] demo menilai notebook "
                          "sintetisnya sendiri dengan --percaya (kode tepercaya). Kiriman peserta "
                          "sungguhan tidak akan dinilai tanpa sandbox.")
        report = run_grading(ws, jobs=jobs, trusted=trusted)
        print_grading(report)
        return report


@main.command(help="Jalankan seluruh alur pada kohort sintetis (init, collect, grade, "
                   "penilaian manual, feedback, export).")
@click.option("--out", type=click.Path(file_okay=False), default="demo-spptik",
              help="Folder keluaran (harus baru atau kosong).")
@click.option("--participants", "-n", type=int, default=24, help="Jumlah peserta sintetis.")
@click.option("--jobs", "-j", type=int, default=None, help="Jumlah proses penilai.")
def demo(out, participants, jobs):
    from autograder.demo import run_demo

    if participants < 1:
        fail("Jumlah peserta minimal 1.")
    out_path = Path(out)
    if out_path.exists() and any(out_path.iterdir()):
        fail(f"Folder {out_path} sudah berisi. Hapus dulu atau pilih --out yang lain.")
    try:
        result = run_demo(out_path, participants, jobs=jobs, ui=DemoUI())
    except INPUT_ERRORS as exc:
        fail(str(exc))
    print_export(result.exported)
    console.print(f"\nRuang kerja kohort: {result.workspace.root}")
    console.print(f"Umpan balik:        {result.workspace.feedback}")


# The training site on JupyterHub (autograder/hub*.py) ------------------------------------

@main.group(help="Situs pelatihan di JupyterHub: akun dari daftar peserta, exchange nbgrader, "
                 "layanan hub, dan pengambilan kiriman dari exchange.")
def situs():
    pass


def _site_settings(folder, trainers=None, exchange=None, port=None, check_exchange=True):
    from autograder import hub

    env = dict(os.environ)
    env["SPPTIK_KOHORT"] = str(folder)
    for key, value in (("SPPTIK_FASILITATOR", trainers), ("SPPTIK_EXCHANGE", exchange),
                       ("SPPTIK_HUB_PORT", port)):
        if value:
            env[key] = str(value)
    try:
        return hub.settings_from_env(env, check_exchange=check_exchange)
    except hub.SiteError as exc:
        fail(str(exc))


@contextmanager
def site_errors():
    """A site's settings or a system command that failed: one Indonesian line, exit code 2."""
    import subprocess

    from autograder.hub import SiteError

    try:
        yield
    except (SiteError, RosterError) as exc:
        fail(str(exc))
    except subprocess.CalledProcessError as exc:
        fail(f"perintah gagal: {' '.join(exc.cmd)} (kode {exc.returncode})")


def _plain(text: str) -> None:
    console.print(text, markup=False, soft_wrap=True)


def _default_card(ws) -> Path:
    return Path.home() / f"kartu-akun-{ws.info.get('course_id', 'kohort')}.csv"


@situs.command("akun", help="Buat akun Linux untuk fasilitator dan setiap peserta kohort "
                            "(nama akun = id_peserta huruf kecil); kata sandi ditulis ke kartu akun.")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--fasilitator", "trainers", required=True,
              help="Nama akun fasilitator, dipisah koma.")
@click.option("--kartu", type=click.Path(dir_okay=False), default=None,
              help="Kartu akun (CSV, mode 600, di luar repositori). Bawaan: ~/kartu-akun-<kohort>.csv")
@click.option("--dry-run", is_flag=True, help="Tampilkan saja perintahnya; tidak ada yang diubah.")
def situs_akun(folder, trainers, kartu, dry_run):
    from autograder import hub, hub_setup

    ws = open_workspace(folder)
    card = Path(kartu) if kartu else _default_card(ws)
    with site_errors():
        accounts = hub_setup.plan_accounts(ws.participants, hub.parse_trainers(trainers))
        result = hub_setup.create_accounts(accounts, card, dry_run=dry_run, echo=_plain)
    if dry_run:
        console.print(f"[yellow]Uji coba:[/] {len(accounts)} akun akan dibuat atau dipakai; "
                      "tidak ada yang diubah.")
        return
    console.print(f"[green]{len(result.created)} akun dibuat[/], {len(result.existing)} sudah ada "
                  "(kata sandinya tidak diubah).")
    if result.created:
        console.print(f"Kartu akun (rahasia, hanya untuk fasilitator): {card}")


@situs.command("siapkan", help="Siapkan situs di server ini: akun, folder exchange, hak akses, "
                               "/etc/spptik/situs.env dan layanan systemd spptik-hub.")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--fasilitator", "trainers", required=True, help="Nama akun fasilitator, dipisah koma.")
@click.option("--exchange", default=None, help="Folder exchange nbgrader (bawaan /srv/nbgrader/exchange).")
@click.option("--port", type=int, default=None, help="Port situs (bawaan 8000).")
@click.option("--kartu", type=click.Path(dir_okay=False), default=None,
              help="Kartu akun (CSV, mode 600, di luar repositori).")
@click.option("--tanpa-systemd", is_flag=True, help="Jangan pasang dan jalankan layanan systemd.")
@click.option("--dry-run", is_flag=True, help="Tampilkan saja langkahnya; tidak ada yang diubah.")
def situs_siapkan(folder, trainers, exchange, port, kartu, tanpa_systemd, dry_run):
    from autograder import hub_setup

    ws = open_workspace(folder)
    settings = _site_settings(ws.root, trainers, exchange, port, check_exchange=False)
    card = Path(kartu) if kartu else _default_card(ws)
    with site_errors():
        result = hub_setup.bring_up(settings, ws.participants, card, dry_run=dry_run,
                                    start=not tanpa_systemd, echo=_plain)
    if dry_run:
        console.print("[yellow]Uji coba:[/] tidak ada yang diubah.")
        return
    console.print(f"[green]Situs siap.[/] Pengaturan: {result.env_file}; layanan: spptik-hub")
    console.print(f"Alamat untuk peserta: http://<alamat-server>:{settings.port}/")
    if result.accounts.created:
        console.print(f"Kartu akun (rahasia, hanya untuk fasilitator): {card}")


@situs.command("ambil", help="Ambil kiriman peserta dari exchange nbgrader ke kohort "
                             "(seperti collect), lalu nilai dengan: spptik grade FOLDER")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--exchange", type=click.Path(file_okay=False), default=None,
              help="Folder exchange (bawaan: SPPTIK_EXCHANGE atau kohort.toml).")
def situs_ambil(folder, exchange):
    from autograder import hub_exchange

    ws = open_workspace(folder)
    with site_errors(), console.status("Mengambil kiriman dari exchange…"):
        result = hub_exchange.collect_exchange(ws, Path(exchange) if exchange else None)
    console.print(f"{len(result.new)} kiriman baru di exchange, {result.seen} sudah diambil sebelumnya.")
    if result.pending:
        console.print(f"{result.pending} kiriman masih sedang dikirim; ambil lagi sebentar lagi.")
    for name, why in result.refused:
        err_console.print(f"[red]✘[/] {name}: {why}")
    if result.report.items:
        print_intake(result.report)


@situs.command("mulai", help="Nyalakan JupyterLab semua peserta sebelum kelas dimulai, beberapa "
                             "sekaligus, agar peserta tidak menunggu lama saat masuk.")
@click.option("--env", "env_file", type=click.Path(dir_okay=False), default="/etc/spptik/situs.env",
              help="Berkas pengaturan situs (bawaan /etc/spptik/situs.env).")
@click.option("--serentak", type=int, default=6, help="Berapa server dinyalakan bersamaan (bawaan 6).")
def situs_mulai(env_file, serentak):
    from autograder import hub_setup

    with site_errors():
        env = hub_setup.read_env_file(Path(env_file))
        token = env.get("SPPTIK_HUB_API_TOKEN") or fail(
            f"SPPTIK_HUB_API_TOKEN tidak ada di {env_file}: jalankan ulang 'spptik situs siapkan'")
        url = hub_setup.site_url(env)
        names = hub_setup.participants_to_start(url, token)
        if not names:
            console.print("Semua server peserta sudah menyala.")
            return
        with progress_bar("Menyalakan server peserta") as (on_start, advance):
            on_start(len(names))
            failed = hub_setup.start_servers(url, token, names, at_once=max(1, serentak), on_ready=advance)
    for name, why in failed.items():
        err_console.print(f"[red]✘[/] {name}: {why}")
    console.print(f"[green]{len(names) - len(failed)} server peserta menyala.[/]")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
