"""Completion records, one per participant, rendered by an nbconvert exporter.

``CompletionRecordExporter`` is registered the nbconvert way (entry point
``nbconvert.exporters: spptik_record``). Its input is a notebook whose metadata
``spptik_rekam`` holds one participant's record; the template
``templates/rekam_kelulusan`` lays it out as a printable A4 page. PDF copies are
printed from that HTML by Chromium (Debian's ``chromium``) through Playwright,
where both are installed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
from nbconvert.exporters import TemplateExporter
from traitlets import default

from autograder.files import write_atomic

TEMPLATES = Path(__file__).resolve().parent / "templates"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


class CompletionRecordExporter(TemplateExporter):
    """nbconvert exporter: a notebook carrying ``metadata.spptik_rekam`` → an HTML record."""

    export_from_notebook = "Rekam kelulusan SPP-TIK"
    output_mimetype = "text/html"

    @default("file_extension")
    def _file_extension_default(self):
        return ".html"

    @default("template_name")
    def _template_name_default(self):
        return "rekam_kelulusan"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        return [str(TEMPLATES)]


def record_notebook(record: dict) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["spptik_rekam"] = record
    return nb


def chromium_path() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def pdf_available() -> bool:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return chromium_path() is not None


BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync"]


class PdfPrinter:
    """Prints HTML files to PDF with one Chromium for many records."""

    def __enter__(self):
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=chromium_path(), args=BROWSER_ARGS)
        self._page = self._browser.new_page()
        return self

    def print(self, html_path: Path, pdf_path: Path) -> None:
        self._page.goto(html_path.resolve().as_uri())
        write_atomic(pdf_path, lambda tmp: self._page.pdf(path=str(tmp), format="A4",
                                                          print_background=True))

    def __exit__(self, *exc):
        self._browser.close()
        self._pw.stop()
