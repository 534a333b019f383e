"""Nothing a participant wrote runs in the trainer's browser.

Unit tests feed the sanitiser the usual attack vectors; the browser test grades a
hostile submission, renders it the way nbgrader's formgrader does and as
feedback, and opens both in Chromium: no marker may fire, while the harmless
text, table and image still show. The same submission rendered from plain
nbgrader's autograded copy shows that the markers are live.
"""

from __future__ import annotations

import base64
import copy
import http.server
import json
import re
import shutil
import threading
import time
import zlib
from pathlib import Path

import nbformat
import pytest
from nbconvert.filters.markdown import markdown2html_mistune

from autograder.course import manifest
from autograder.demo import synthetic
from autograder.feedback.sanitize import (
    SanitizeParticipantContent,
    active_content,
    clean_html,
    clean_markdown,
    clean_svg,
    markdown_is_active,
    sanitize_folder,
    sanitize_notebook,
)
from autograder.reports import records

SHOTS = Path(__file__).parent / "screenshots"

HTML_VECTORS = {
    "script": "<p>aman</p><script>document.title='DIRETAS'</script>",
    "script-mixed-case": "<p>aman</p><ScRiPt>document.title='DIRETAS'</sCrIpT>",
    "img-onerror": "<p>aman</p><img src=x onerror=\"document.title='DIRETAS'\">",
    "img-slash-attrs": "<p>aman</p><img/src=x/onerror=document.title='DIRETAS'>",
    "javascript-link": "<p>aman</p><a href=\"javascript:document.title='DIRETAS'\">klik</a>",
    "entity-javascript-link": "<p>aman</p><a href=\"jav&#x61;script:document.title='DIRETAS'\">klik</a>",
    "tab-javascript-link": "<p>aman</p><a href=\"java&#9;script:alert(1)\">klik</a>",
    "data-link": "<p>aman</p><a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">klik</a>",
    "svg-onload": "<p>aman</p><svg onload=\"document.title='DIRETAS'\"><circle r='3'/></svg>",
    "svg-script": "<p>aman</p><svg><script>document.title='DIRETAS'</script><rect width='3'/></svg>",
    "svg-foreignobject": "<p>aman</p><svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>",
    "svg-animate-href": "<p>aman</p><svg><a><animate attributeName=href values=javascript:alert(1) />"
                        "<text y=10>x</text></a></svg>",
    "iframe-srcdoc": "<p>aman</p><iframe srcdoc=\"<script>parent.document.title='X'</script>\"></iframe>",
    "object": "<p>aman</p><object data=\"data:text/html,<script>alert(1)</script>\"></object>",
    "embed": "<p>aman</p><embed src=\"javascript:alert(1)\">",
    "meta-refresh": "<p>aman</p><meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "base-href": "<p>aman</p><base href=\"http://penyerang.example/\">",
    "form-action": "<p>aman</p><form action=\"http://penyerang.example/\"><button>Kirim</button></form>",
    "css-expression": "<p style=\"color:red;width:expression(alert(1))\">aman</p>",
    "css-url-javascript": "<p style=\"background:url(javascript:alert(1))\">aman</p>",
    "css-escaped-expression": "<p style=\"width:expr\\65 ssion(alert(1))\">aman</p>",
    "style-element": "<p>aman</p><style>body{background:url(javascript:alert(1))}</style>",
    "math-mglyph": "<p>aman</p><math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
}


@pytest.mark.parametrize("name", sorted(HTML_VECTORS))
def test_html_vectors_are_made_inert_and_the_text_stays(name):
    raw = HTML_VECTORS[name]
    cleaned = clean_html(raw)
    assert "aman" in cleaned
    assert active_content(cleaned) == []
    assert not re.search(r"<\s*/?\s*(script|iframe|object|embed|meta|base|form|foreignobject|animate)\b",
                         cleaned, re.I), cleaned
    assert not re.search(r"\son\w+\s*=|srcdoc", cleaned, re.I), cleaned  # no handler attribute
    for word in ("javascript", "expression", "data:text", "document.title='DIRETAS'</"):
        assert word not in cleaned.lower(), (word, cleaned)


def test_the_detector_sees_the_vectors_it_reports():
    # the notes rely on it; vectors a browser parses differently from Python may go unnamed,
    # they are still removed (the test above)
    named = [n for n in HTML_VECTORS if active_content(HTML_VECTORS[n])]
    assert len(named) >= len(HTML_VECTORS) - 3
    assert active_content(HTML_VECTORS["img-onerror"]) == ["atribut onerror"]
    assert active_content(HTML_VECTORS["entity-javascript-link"]) == ["tautan javascript:"]


def test_ordinary_html_keeps_its_tables_images_and_links():
    png = "data:image/png;base64," + base64.b64encode(_png(2, 2)).decode()
    table = ('<table border="1" class="dataframe"><thead><tr style="text-align: right;"><th>kota</th>'
             '<th>kunjungan</th></tr></thead><tbody><tr><td>Padang</td><td>1200</td></tr></tbody></table>')
    cleaned = clean_html(table + f'<img src="{png}" alt="grafik">'
                         '<a href="https://perpusnas.go.id">Perpusnas</a><b>tebal</b>')
    assert "<td>Padang</td>" in cleaned and 'class="dataframe"' in cleaned
    assert f'src="{png}"' in cleaned and 'href="https://perpusnas.go.id"' in cleaned
    assert "<b>tebal</b>" in cleaned


def test_svg_keeps_its_drawing_and_loses_scripts():
    svg = ('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" '
           'onload="alert(1)"><defs><clipPath id="c1"><rect width="5" height="5"/></clipPath></defs>'
           '<script>alert(1)</script><rect width="10" height="10" fill="red" clip-path="url(#c1)"/>'
           '<a xlink:href="javascript:alert(1)"><text>x</text></a></svg>')
    cleaned = clean_svg(svg)
    assert 'viewBox="0 0 10 10"' in cleaned and 'fill="red"' in cleaned
    # the ids get a prefix (no clobbering the page's own), and references follow
    assert 'id="peserta-c1"' in cleaned and 'clip-path="url(#peserta-c1)"' in cleaned
    assert active_content(cleaned) == [] and "script" not in cleaned


MARKDOWN = """# Jawaban saya

> Kutipan dari **Perpusnas** dan *miring*.

- satu
- dua <b>tebal</b>

| kota | kunjungan |
|---|---|
| Padang <span onclick="alert(1)">x</span> | 1200 |

Kalau a < b dan 3 > 2, maka [sumber](https://perpusnas.go.id) dan <https://tpbis.id>.

<img src=x onerror="document.title='DIRETAS'">

<ScRiPt>
document.title = 'DIRETAS'
</ScRiPt>

[klik](javascript:alert(1)) [entitas](jav&#x61;script:alert(1)) [data](data:text/html,hi)

[ref]: javascript:alert(1)

Rumus $\\href{javascript:alert(1)}{x}$.

```html
<script>contoh kode, hanya ditampilkan</script>
```

Kode `<img src=x onerror=alert(1)>` juga hanya ditampilkan.
"""


def test_markdown_keeps_its_syntax_and_loses_only_active_html():
    cleaned = clean_markdown(MARKDOWN)
    assert markdown_is_active(MARKDOWN)  # the vectors are live as nbconvert renders them
    assert markdown_is_active(cleaned) == []
    for kept in ("# Jawaban saya", "> Kutipan dari **Perpusnas** dan *miring*.", "- dua <b>tebal</b>",
                 "|---|---|", "Kalau a < b dan 3 > 2", "[sumber](https://perpusnas.go.id)",
                 "<https://tpbis.id>", "```html\n<script>contoh kode, hanya ditampilkan</script>\n```",
                 "`<img src=x onerror=alert(1)>`", "<span>x</span>"):
        assert kept in cleaned, kept
    assert "[klik](#)" in cleaned and "[entitas](#)" in cleaned and "[data](#)" in cleaned
    assert "[ref]: #" in cleaned and "\\href{#}" in cleaned
    assert "document.title" not in cleaned and "onclick" not in cleaned
    # the code block and span still render as text, escaped
    rendered = markdown2html_mistune(cleaned)
    assert "contoh" in rendered and "<script" not in rendered  # highlighted, escaped
    assert "<blockquote>" in rendered


def test_a_tag_without_content_takes_nothing_of_the_answer_with_it():
    text = ("<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\"> Jawaban bagian satu.\n\n"
            "<form action=\"https://x.example\"><input name=a> bagian dua <button>tombol</button></form>"
            "\n\n<embed src=\"javascript:alert(1)\"> bagian tiga <base href=\"https://x.example/\"> akhir")
    cleaned = clean_markdown(text)
    for kept in ("Jawaban bagian satu.", "bagian dua", "tombol", "bagian tiga", "akhir"):
        assert kept in cleaned, (kept, cleaned)
    for gone in ("<meta", "<form", "<input", "<button", "<embed", "<base", "javascript"):
        assert gone not in cleaned, (gone, cleaned)


def test_markdown_without_html_is_left_byte_for_byte():
    text = "> Kutipan\n\n* bintang *miring* **tebal**\n\n1. satu\n2. dua\n\nharga < 5 > 3 & seterusnya\n"
    assert clean_markdown(text) == text


def _png(width: int, height: int) -> bytes:
    """A small valid PNG (solid blue), made here: no image library needed."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    rows = b"".join(b"\x00" + b"\x1f\x4e\xb4" * width for _ in range(height))
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def _output(data: dict, metadata: dict | None = None) -> dict:
    return nbformat.v4.new_output("display_data", data=data, metadata=metadata or {})


def _hostile_notebook() -> nbformat.NotebookNode:
    png = base64.b64encode(_png(4, 4)).decode()
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    code = nbformat.v4.new_code_cell("tampilkan()")
    code.outputs = [
        _output({"application/javascript": "document.title='DIRETAS'",
                 "text/plain": "<IPython.core.display.Javascript object>"}),
        _output({"application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2},
                 "text/plain": "HTML(value='...')"}),
        _output({"application/vnd.bokehjs_exec.v0+json": "", "text/javascript": "alert(1)"}),
        _output({"text/html": "<b>aman</b><img src=x onerror=alert(1)>", "text/plain": "aman"}),
        _output({"image/png": png, "text/plain": "gambar"},
                {"image/png": {"width": "1 onload=alert(1)", "height": 40},
                 "filenames": {"image/png": "javascript:alert(1)"}}),
        _output({"image/png": "AAAA\" onerror=\"alert(1)"}),
        nbformat.v4.new_output("stream", name="stdout", text="<script>alert(1)</script> dicetak saja\n"),
    ]
    clean = nbformat.v4.new_code_cell("1 + 1")
    clean.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "2"}, execution_count=1)]
    nb.cells = [nbformat.v4.new_markdown_cell("> Kutipan\n\n<img src=x onerror=alert(1)>"), code, clean]
    return nb


def test_a_notebook_loses_active_outputs_and_keeps_the_rest():
    nb = _hostile_notebook()
    png = nb.cells[1].outputs[4].data["image/png"]
    cleaned = sanitize_notebook(nb)
    outputs = nb.cells[1].outputs
    assert [sorted(o.get("data", {})) for o in outputs] == [
        ["text/plain"], ["text/plain"], ["text/plain"], ["text/html", "text/plain"],
        ["image/png", "text/plain"], ["text/plain"], []]
    assert outputs[0].data["text/plain"] == "<IPython.core.display.Javascript object>"
    assert outputs[2].data["text/plain"] == "[keluaran aktif dihapus]"
    assert outputs[3].data["text/html"] == "<b>aman</b><img src=\"x\">"
    assert outputs[4].data["image/png"] == png
    assert outputs[4].metadata == {"image/png": {"height": 40}}
    assert outputs[6].text.startswith("<script>")  # a stream is text: every renderer escapes it
    assert "widgets" not in nb.metadata
    assert nb.cells[0].source == "> Kutipan\n\n<img src=\"x\">"
    assert nb.cells[2].outputs[0].data == {"text/plain": "2"}
    assert sorted(cleaned.outputs) == [2] and sorted(cleaned.markdown) == [1]
    notes = cleaned.notes("m00.ipynb")
    assert notes[0].startswith("konten aktif dihapus dari keluaran sel ke-2 (m00.ipynb: ")
    for what in ("application/javascript", "application/vnd.jupyter.widget-view+json",
                 "atribut onerror", "image/png tidak sah"):
        assert what in notes[0]
    assert notes[1] == "konten aktif dihapus dari sel Markdown ke-1 (m00.ipynb: atribut onerror)"
    assert sanitize_notebook(nb).changed is False  # once is enough: the result is stable


def test_latex_keeps_its_maths_and_loses_script_links():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("rumus()")
    cell.outputs = [_output({"text/latex": r"$a < b > c$ \href{javascript:alert(1)}{klik} "
                                           r"\href{https://perpusnas.go.id}{Perpusnas}"})]
    nb.cells = [cell]
    sanitize_notebook(nb)
    assert cell.outputs[0].data["text/latex"] == (r"$a < b > c$ \href{#}{klik} "
                                                  r"\href{https://perpusnas.go.id}{Perpusnas}")


def test_the_courses_own_notebooks_pass_unchanged():
    paths = sorted(manifest.RELEASE_DIR.glob("*/*.ipynb")) + sorted(manifest.SOURCE_DIR.glob("*/*.ipynb"))
    paths += sorted((manifest.COURSE_DIR / "lessons").glob("*.ipynb"))
    assert len(paths) > 20
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        before = copy.deepcopy(nb)
        cleaned = sanitize_notebook(nb)
        assert not cleaned.changed and nb == before, path


def test_sanitize_folder_writes_only_when_something_changed(tmp_path):
    nbformat.write(_hostile_notebook(), tmp_path / "m00.ipynb")
    (tmp_path / "m00.ipynb").chmod(0o444)  # as nbgrader leaves autograded notebooks
    plain = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("> biasa")])
    nbformat.write(plain, tmp_path / "m01.ipynb")
    stamp = (tmp_path / "m01.ipynb").stat().st_mtime_ns
    notes = sanitize_folder(tmp_path)
    assert len(notes) == 2 and all("(m00.ipynb:" in n for n in notes)
    assert (tmp_path / "m01.ipynb").stat().st_mtime_ns == stamp
    assert "onerror" not in (tmp_path / "m00.ipynb").read_text()
    assert (tmp_path / "m00.ipynb").stat().st_mode & 0o777 == 0o444
    assert sanitize_folder(tmp_path) == []


def test_a_notebook_that_cannot_be_cleaned_is_reduced_to_text(tmp_path, monkeypatch):
    from autograder.feedback import sanitize

    def broken(nb):
        raise RecursionError("terlalu dalam")

    nbformat.write(_hostile_notebook(), tmp_path / "m00.ipynb")
    monkeypatch.setattr(sanitize, "sanitize_notebook", broken)
    [note] = sanitize_folder(tmp_path)
    assert note.startswith("keluaran dan Markdown m00.ipynb dihapus: tidak dapat dibersihkan")
    nb = nbformat.read(tmp_path / "m00.ipynb", as_version=4)
    assert all(c.outputs == [] for c in nb.cells if c.cell_type == "code")
    assert nb.cells[0].source == "&gt; Kutipan\n\n&lt;img src=x onerror=alert(1)&gt;"
    assert "widgets" not in nb.metadata


def test_the_preprocessor_cleans_when_nbconvert_runs_it():
    from nbconvert.exporters import HTMLExporter

    from autograder.feedback.write import feedback_config

    assert SanitizeParticipantContent in feedback_config().GenerateFeedback.preprocessors
    exporter = HTMLExporter()
    exporter.register_preprocessor(SanitizeParticipantContent)
    html, _ = exporter.from_notebook_node(_hostile_notebook())
    assert "onerror" not in html and "document.title='DIRETAS'" not in html


# --- the real thing: grade, render as the formgrader does and as feedback, open in Chromium --------

def _vectors(url: str) -> dict[str, str]:
    """Each, if it ran, would call the local marker server at ``url/<name>``."""
    def hit(name: str) -> str:
        return f"fetch('{url}/{name}')"
    return {
        "script": f"<script>{hit('script')}</script>",
        "script-mixed-case": f"<ScRiPt>{hit('script-mixed-case')}</sCrIpT>",
        "img-onerror": f"<img src=x onerror=\"{hit('img-onerror')}\">",
        "svg-onload": f"<svg onload=\"{hit('svg-onload')}\"><circle r='3'/></svg>",
        "svg-script": f"<svg><script>{hit('svg-script')}</script></svg>",
        "iframe-srcdoc": f"<iframe srcdoc=\"<script>{hit('iframe-srcdoc')}</script>\"></iframe>",
        "object": f"<object data=\"data:text/html,<script>{hit('object')}</script>\"></object>",
        "embed": f"<embed src=\"data:text/html,<script>{hit('embed')}</script>\">",
        "meta-refresh": f"<meta http-equiv=\"refresh\" content=\"3;url={url}/meta-refresh\">",
        "base-href": f"<base href=\"{url}/base-href/\">",
        "form-action": f"<form action=\"{url}/form-action\"><button>kirim-formulir</button></form>",
        "css": f"<div style=\"width:expression({hit('css-expression')});"
               f"background-image:url({url}/css-url)\">gaya</div>",
        "javascript-link": f"<a href=\"javascript:{hit('javascript-link')}\">tautan-js</a>",
        "entity-link": f"<a href=\"jav&#x61;script:{hit('entity-link')}\">tautan-entitas</a>",
        "title": "<img src=x onerror=\"document.title='DIRETAS'\">",
    }


def _hostile_submission(release: dict, answers: dict, url: str) -> dict:
    png = base64.b64encode(_png(60, 30)).decode()
    answers = dict(answers)
    answers["m01_refleksi"] = (
        "> Kutipan aman dari peserta\n\nJawaban **tebal-aman** tetap tampil.\n\n"
        f"<img src=x onerror=\"fetch('{url}/markdown-onerror')\">\n\n"
        f"<script>fetch('{url}/markdown-script')</script>\n\n"
        f"[tautan-md](javascript:fetch('{url}/markdown-link'))\n")
    nb = synthetic.fill(release, answers)
    vectors = "\n".join(f"display(HTML({html!r}))" for html in _vectors(url).values())
    cells = [
        "from IPython.display import HTML, SVG, Javascript, Markdown, display\n"
        "import pandas as pd\n"
        "display(HTML('<b>Teks aman tetap tampil</b>'))\n"
        f"display({{'image/png': {png!r}, 'text/plain': 'gambar'}}, raw=True,\n"
        f"        metadata={{'image/png': {{'width': \"120 onload=fetch('{url}/png-width')\"}}}})\n"
        "pd.DataFrame({'kota': ['Padang'], 'kunjungan': [1200]})",
        "from IPython.display import HTML, SVG, Javascript, Markdown, display\n" + vectors,
        "from IPython.display import HTML, SVG, Javascript, Markdown, display\n"
        f"display(Javascript(\"fetch('{url}/application-javascript')\"))\n"
        f"display(SVG('<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"fetch(\\'{url}/svg-output\\')\">"
        "<rect width=\"10\" height=\"10\" fill=\"red\"/></svg>'))\n"
        f"display(Markdown(\"<img src=x onerror=\\\"fetch('{url}/markdown-output')\\\"> **md-aman**\"))\n"
        "import ipywidgets\n"
        f"display(ipywidgets.HTML(\"<img src=x onerror=\\\"fetch('{url}/widget')\\\">\"))",
    ]
    at = next(i for i, c in enumerate(nb["cells"])
              if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "m01_refleksi")
    for offset, source in enumerate(cells, start=1):
        nb["cells"].insert(at + offset, {"cell_type": "code", "execution_count": None,
                                         "id": f"vektor-{offset}", "metadata": {}, "outputs": [],
                                         "source": source})
    return nb


class _Markers(http.server.ThreadingHTTPServer):
    """Serves the rendered pages and nbgrader's formgrader static files; records every marker hit."""

    def __init__(self, pages: Path):
        self.pages, self.hits = pages, []
        static = Path(__import__("nbgrader").__file__).parent / "server_extensions" / "formgrader" / "static"
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def translate_path(self, path):
                path = path.split("?")[0]
                if path.startswith("/diretas/"):
                    return str(pages / "tidak-ada")
                if path.startswith("/formgrader/static/"):
                    return str(static / path[len("/formgrader/static/"):])
                return str(pages / path.lstrip("/"))

            def do_GET(self):
                if self.path.startswith("/diretas/"):
                    server.hits.append(self.path.split("/")[2])
                super().do_GET()

            def do_POST(self):
                self.do_GET()

            def end_headers(self):
                self.send_header("Access-Control-Allow-Origin", "*")
                super().end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


def _formgrader_html(ws, notebook: Path, student: str) -> str:
    """The Manual Grading page, rendered in-process the way nbgrader's SubmissionHandler does."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    resources = {"assignment_id": "m01", "notebook_id": "m01", "submission_id": "uji", "index": 0,
                 "total": 1, "base_url": "", "student": student, "last_name": "Uji", "first_name": "Peserta",
                 "notebook_path": str(notebook.relative_to(ws.root))}
    html, _ = HTMLExporter(config=config).from_filename(str(notebook), resources=resources)
    return html


def _visit(browser, markers: _Markers, page_name: str, shot: str | None = None) -> dict:
    """Open a page, see what shows, click the links a trainer might click, then collect marker hits."""
    markers.hits.clear()
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    page.goto(f"{markers.url}/{page_name}")
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")  # image errors and fetches settle
    seen = page.evaluate("""() => ({
        title: document.title,
        text: document.body.innerText,
        images: [...document.querySelectorAll('img')]
                  .filter(i => i.src.startsWith('data:image/png') && i.naturalWidth > 0).length,
        // in what the notebook brought (the page's own navigation has its handlers), and anywhere
        active: [...document.querySelectorAll(
                   ['script', '[onerror]', '[onload]', '[onclick]', 'a[href^="javascript"]', 'svg script']
                   .map(x => '#notebook-container ' + x).join(', ')
                   + ', iframe, object, embed, form, base, meta[http-equiv]')].map(e => e.outerHTML),
    })""")
    if shot:
        SHOTS.mkdir(exist_ok=True)
        page.locator("text=Teks aman tetap tampil").first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"{shot}.png"))
    for text in ("tautan-js", "tautan-entitas", "tautan-md"):
        for link in page.get_by_text(text, exact=True).all():
            link.click(timeout=5_000, no_wait_after=True)
    time.sleep(3.5)  # a meta refresh of three seconds
    page.close()
    seen["hits"] = sorted(set(markers.hits))
    return seen


@pytest.fixture
def browser():
    if not records.pdf_available():
        pytest.skip("perlu Chromium (paket Debian chromium) dan Playwright")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=records.chromium_path(), args=records.BROWSER_ARGS)
        yield b
        b.close()


@pytest.mark.browser
def test_a_hostile_submission_is_inert_in_the_formgrader_and_feedback(browser, fresh_cohort, answer_keys,
                                                                     tmp_path):
    from autograder.cohort.workspace import Workspace
    from autograder.feedback.write import generate_feedback
    from autograder.grading.reference import autograde_with_nbgrader
    from autograder.grading.run import GRADED, grade
    from autograder.intake.collect import collect
    from autograder.reports.scores import cell_scores

    ws = fresh_cohort
    pid = ws.participants[0].id_peserta
    pages = tmp_path / "halaman"
    pages.mkdir()
    markers = _Markers(pages)
    threading.Thread(target=markers.serve_forever, daemon=True).start()
    try:
        release, answers = answer_keys["m01"]
        hostile = _hostile_submission(release, answers, markers.url + "/diretas")
        synthetic.dump(hostile, tmp_path / "masuk" / f"{pid}_m01.ipynb")
        collect(ws, "m01", [tmp_path / "masuk"])
        submitted = ws.submitted / pid / "m01" / "m01.ipynb"
        sent = submitted.read_bytes()
        peer = Workspace(shutil.copytree(ws.root, tmp_path / "nbgrader-biasa"))

        report = grade(ws, ["m01"], jobs=1)
        autograde_with_nbgrader(peer, ["m01"])

        [result] = report.results
        assert result.status == GRADED, result.message
        assert "konten aktif dihapus dari keluaran sel" in result.message
        assert "konten aktif dihapus dari sel Markdown" in result.message
        assert submitted.read_bytes() == sent  # the participant's original, as sent
        assert cell_scores(ws) == cell_scores(peer) and cell_scores(ws)  # grades as plain nbgrader's

        raw = peer.autograded / pid / "m01" / "m01.ipynb"
        ours = ws.autograded / pid / "m01" / "m01.ipynb"
        (pages / "biasa.html").write_text(_formgrader_html(peer, raw, pid), encoding="utf-8")
        (pages / "formgrader.html").write_text(_formgrader_html(ws, ours, pid), encoding="utf-8")

        # plain nbgrader's copy in the formgrader: the markers are live
        before = _visit(browser, markers, "biasa.html")
        live = {"script", "script-mixed-case", "img-onerror", "svg-onload", "svg-script", "iframe-srcdoc",
                "css-url", "javascript-link", "entity-link", "markdown-onerror", "markdown-script",
                "markdown-output", "application-javascript", "png-width", "meta-refresh"}
        assert live <= set(before["hits"]), sorted(live - set(before["hits"]))

        after = _visit(browser, markers, "formgrader.html", shot="4-fasilitator-formgrader-aman")
        assert after["hits"] == [] and after["active"] == [], after
        assert after["title"] != "DIRETAS"
        for text in ("Teks aman tetap tampil", "Kutipan aman dari peserta", "tebal-aman", "md-aman",
                     "Padang", "1200", "tautan-js", "tautan-md"):
            assert text in after["text"], text
        assert after["images"] >= 1  # the participant's PNG still shows

        # feedback, also for a notebook autograded before grading cleaned (plain nbgrader's copy)
        shutil.copy(raw, ours)
        feedback = generate_feedback(ws, ["m01"])
        assert feedback.failed == [] and feedback.written
        html_file = ws.feedback / pid / "m01" / "m01.html"
        shutil.copy(html_file, pages / "umpan-balik.html")
        fb = _visit(browser, markers, "umpan-balik.html", shot="5-umpan-balik-aman")
        assert fb["hits"] == [] and fb["active"] == [] and fb["title"] != "DIRETAS", fb
        for text in ("Umpan balik", "Teks aman tetap tampil", "Kutipan aman dari peserta", "Padang"):
            assert text in fb["text"], text
        assert fb["images"] >= 1
        assert json.loads(raw.read_text())["cells"]  # the copy fed to feedback was the live one
    finally:
        markers.shutdown()
        markers.server_close()
