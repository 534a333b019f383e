"""``spptik situs ...``: the training site on JupyterHub."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from autograder.cli.app import (
    console,
    err_console,
    fail,
    main,
    open_workspace,
    plain,
    print_intake,
    progress_bar,
)
from autograder.cohort.roster import RosterError


@main.group(help="Situs pelatihan di JupyterHub: akun dari daftar peserta, exchange nbgrader, "
                 "layanan hub, dan pengambilan kiriman dari exchange.")
def situs():
    pass

def _site_settings(folder, trainers=None, exchange=None, port=None, check_exchange=True):
    from autograder.site import hub

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

    from autograder.site.hub import SiteError

    try:
        yield
    except (SiteError, RosterError) as exc:
        fail(str(exc))
    except subprocess.CalledProcessError as exc:
        fail(f"perintah gagal: {' '.join(exc.cmd)} (kode {exc.returncode})")

def _default_card(ws) -> Path:
    return Path.home() / f"kartu-akun-{ws.settings.course_id}.csv"

@situs.command("akun", help="Buat akun Linux untuk fasilitator dan setiap peserta kohort "
                            "(nama akun = id_peserta huruf kecil); kata sandi ditulis ke kartu akun.")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--fasilitator", "trainers", required=True,
              help="Nama akun fasilitator, dipisah koma.")
@click.option("--kartu", type=click.Path(dir_okay=False), default=None,
              help="Kartu akun (CSV, mode 600, di luar repositori). Bawaan: ~/kartu-akun-<kohort>.csv")
@click.option("--dry-run", is_flag=True, help="Tampilkan saja perintahnya; tidak ada yang diubah.")
def situs_akun(folder, trainers, kartu, dry_run):
    from autograder.site import hub
    from autograder.site import setup as hub_setup

    ws = open_workspace(folder)
    card = Path(kartu) if kartu else _default_card(ws)
    with site_errors():
        accounts = hub_setup.plan_accounts(ws.participants, hub.parse_trainers(trainers))
        result = hub_setup.create_accounts(accounts, card, dry_run=dry_run, echo=plain)
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
    from autograder.site import setup as hub_setup

    ws = open_workspace(folder)
    settings = _site_settings(ws.root, trainers, exchange, port, check_exchange=False)
    card = Path(kartu) if kartu else _default_card(ws)
    with site_errors():
        result = hub_setup.bring_up(settings, ws.participants, card, dry_run=dry_run,
                                    start=not tanpa_systemd, echo=plain)
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
    from autograder.site import exchange as hub_exchange

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
    from autograder.site import setup as hub_setup

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
