"""``spptik demo``: the whole route on a synthetic batch."""

from __future__ import annotations

import time
from pathlib import Path

import click

from autograder.cli.app import (
    INPUT_ERRORS,
    console,
    fail,
    main,
    print_export,
    print_grading,
    print_intake,
    run_grading,
)


def _number(value: float) -> str:
    """Seconds as the reports print numbers (imported here: pandas is not for every command)."""
    from autograder.reports.completion import format_number

    return format_number(value)


class DemoUI:
    """Each step as a rule, with how long the step before it took."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.step_started: float | None = None
        self.seconds: dict[str, float] = {}
        self.current = ""

    def step(self, text: str) -> None:
        self.finish_step()
        console.rule(f"[bold]{text}")
        self.current, self.step_started = text, time.perf_counter()

    def finish_step(self) -> None:
        if self.step_started is not None:
            took = time.perf_counter() - self.step_started
            self.seconds[self.current] = took
            console.print(f"[dim]({_number(took)} detik)[/]")
            self.step_started = None

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
                   "penilaian manual, feedback, export, analisis).")
@click.option("--out", type=click.Path(file_okay=False), default="demo-spptik",
              help="Folder keluaran (harus baru atau kosong).")
@click.option("--participants", "-n", type=int, default=24, help="Jumlah peserta sintetis.")
@click.option("--jobs", "-j", type=int, default=None, help="Jumlah proses penilai.")
def demo(out, participants, jobs):
    from autograder.demo.run import run_demo

    if participants < 1:
        fail("Jumlah peserta minimal 1.")
    out_path = Path(out)
    if out_path.exists() and any(out_path.iterdir()):
        fail(f"Folder {out_path} sudah berisi. Hapus dulu atau pilih --out yang lain.")
    ui = DemoUI()
    try:
        result = run_demo(out_path, participants, jobs=jobs, ui=ui)
    except INPUT_ERRORS as exc:
        fail(str(exc))
    ui.finish_step()
    print_export(result.exported)
    if result.analysis is not None:
        from autograder.cli.analysis import print_headline

        print_headline(result.analysis)
        console.print(f"Analisis butir:     {result.analysis.html}", markup=False, soft_wrap=True)
    console.print(f"\nRuang kerja kohort: {result.workspace.root}")
    console.print(f"Umpan balik:        {result.workspace.feedback}")
    if result.certificates is not None:
        made = result.certificates
        console.print(f"Sertifikat:         {made.folder} ({len(made.pdfs)} PDF untuk peserta Lulus; "
                      "ditandatangani kunci DEMO, bukan kunci sungguhan)", markup=False, soft_wrap=True)
        console.print(f"Halaman verifikasi: {made.page}", markup=False, soft_wrap=True)
    console.print(f"\nDemo selesai dalam {_number(time.perf_counter() - ui.started)} detik.")
