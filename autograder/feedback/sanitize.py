"""Participants' notebooks made inert before a trainer's browser renders them.

nbgrader's formgrader and feedback render ``autograded/`` notebooks (outputs and
Markdown) as HTML in the trainer's Jupyter origin, so anything active there runs
with the trainer's session. After nbgrader has scored a submission, the
autograded copy is cleaned here: output types that execute are dropped,
HTML/SVG/Markdown is reduced to an allowlist by ``nh3`` (the Ammonia sanitiser),
and metadata that templates paste into attributes is checked. ``submitted/``
is never touched, and nothing nbgrader scores on (cell sources of grade cells,
checksums, the gradebook) depends on what changes here.

Markdown (cells and ``text/markdown`` outputs) keeps its own syntax: only raw
HTML in it and the URLs of its links are cleaned, and the result is checked by
rendering it with nbconvert's own Markdown renderer.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
import stat
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import nh3
from nbconvert.filters.markdown import markdown2html_mistune
from nbconvert.preprocessors import Preprocessor
from traitlets import default

from autograder.files import write_atomic

# Output types kept as they are; text/html, image/svg+xml and text/markdown are cleaned; every
# other one (application/javascript, widget views, application/vnd.* renderers, ...) is dropped.
SAFE_OUTPUT_TYPES = {"text/plain", "application/json", "image/png", "image/jpeg", "image/gif",
                     "image/webp", "text/latex"}
RASTER_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}

# (the HTML parser gives SVG names their camel case: clipPath, viewBox)
SVG_TAGS = {"svg", "g", "defs", "symbol", "use", "path", "rect", "circle", "ellipse", "line", "polyline",
            "polygon", "text", "tspan", "textPath", "clipPath", "mask", "linearGradient",
            "radialGradient", "stop", "marker", "pattern", "title", "desc", "image"}
HTML_TAGS = (set(nh3.ALLOWED_TAGS) - {"area", "map"}) | {"font"}
ALLOWED_TAGS = HTML_TAGS | SVG_TAGS
SVG_LOWER = {t.lower() for t in SVG_TAGS}
# Dropped with everything inside them: code, or text a browser never shows as such. Any other
# tag off the allowlist (form, button, meta, base, embed, ...) goes alone and its text stays.
DROP_WITH_CONTENT = {"script", "style", "iframe", "frameset", "noframes", "object", "applet", "noscript",
                     "noembed", "template", "textarea", "select", "xmp", "plaintext", "math",
                     "foreignobject", "foreignObject", "title", "head", "handler", "listener"}
_COMMON = {"class", "title", "style", "lang", "dir", "align", "valign", "width", "height"}
_SVG_ATTRS = {"viewBox", "xmlns", "version", "preserveAspectRatio", "d", "x", "y", "x1", "x2", "y1",
              "y2", "cx", "cy", "r", "rx", "ry", "dx", "dy", "points", "transform", "fill",
              "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
              "stroke-linecap", "stroke-linejoin", "stroke-dasharray", "opacity", "font-size",
              "font-family", "font-weight", "text-anchor", "dominant-baseline", "clip-path",
              "clip-rule", "offset", "stop-color", "stop-opacity", "gradientUnits",
              "gradientTransform", "id", "href", "xlink:href", "marker-end", "marker-start",
              "patternUnits", "clipPathUnits", "markerWidth", "markerHeight", "refX", "refY",
              "textLength", "lengthAdjust"}
ALLOWED_ATTRIBUTES = {
    "*": _COMMON,
    "a": {"href"},
    "img": {"src", "alt"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "table": {"border", "cellpadding", "cellspacing"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "font": {"color", "size", "face"},
    "abbr": {"title"},
    "details": {"open"},
    "time": {"datetime"},
    "data": {"value"},
    **{tag: _SVG_ATTRS for tag in SVG_TAGS},
}
CSS_PROPERTIES = {
    "color", "background-color", "font-weight", "font-style", "font-size", "font-family",
    "text-align", "text-decoration", "vertical-align", "white-space", "width", "height",
    "max-width", "max-height", "min-width", "margin", "margin-left", "margin-right", "margin-top",
    "margin-bottom", "padding", "padding-left", "padding-right", "padding-top", "padding-bottom",
    "border", "border-collapse", "border-color", "border-style", "border-width", "border-bottom",
    "border-top", "border-left", "border-right", "border-radius", "display", "line-height",
    "list-style-type", "fill", "stroke", "opacity",
}
URL_SCHEMES = {"http", "https", "mailto", "data"}
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "data", "poster",
                  "background", "codebase", "lowsrc", "dynsrc", "ping", "srcset"}
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|jpg|gif|webp);base64,[A-Za-z0-9+/=\s]*$", re.I)
_CSS_DANGER = re.compile(r"expression|url\s*\(|javascript:|vbscript:|behavior|-moz-binding|@import|"
                         r"position\s*:\s*fixed", re.I)
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]+$")
ID_PREFIX = "peserta-"


def _url_scheme(url: str) -> str:
    """The scheme a browser would see: entities decoded, whitespace and controls dropped."""
    text = html.unescape(url)
    text = re.sub(r"[\x00-\x20\x7f]|\\(?=[!-/:-@\[-`{-~])", "", text).lower()
    match = re.match(r"^([a-z][a-z0-9+.-]*):", text)
    return match.group(1) if match else ""


def safe_url(url: str, image: bool = False) -> bool:
    """True for relative links, #fragments, http(s) and mailto; data: only for raster images."""
    scheme = _url_scheme(url)
    if scheme == "data":
        return image and bool(_DATA_IMAGE.match(html.unescape(url).strip()))
    return scheme in ("", "http", "https", "mailto")


def _css_text(css: str) -> str:
    """CSS as a browser reads it: comments gone, escapes (``\\65`` is ``e``) decoded."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\\([0-9a-fA-F]{1,6})\s?", lambda m: chr(min(int(m.group(1), 16), 0x10FFFF) or 0xFFFD), css)
    return css.replace("\\", "")


def _css_active(css: str) -> bool:
    return bool(_CSS_DANGER.search(_css_text(css)))


def _css(value: str) -> str:
    kept = [d for d in _css_text(value).split(";") if d.strip() and not _css_active(d)]
    return ";".join(kept)


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if name == "style":
        return _css(value) or None
    if name in ("href", "src", "xlink:href"):
        if not safe_url(value, image=tag in ("img", "image")):
            return None
    if name == "id":  # only in SVG (gradients, clip paths); nh3 prefixes it, see _svg_reference
        return value if _SAFE_ID.match(value) else None
    if tag in SVG_TAGS or tag.lower() in SVG_LOWER:
        return _svg_reference(name, value)
    return value


def _svg_reference(name: str, value: str) -> str:
    """SVG ids get a prefix (no clobbering the page's own ids): references follow it."""
    if name in ("href", "xlink:href") and value.startswith("#"):
        return "#" + ID_PREFIX + value[1:]
    return re.sub(r"url\(\s*#", "url(#" + ID_PREFIX, value)


_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=DROP_WITH_CONTENT - ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_attribute_filter,
    url_schemes=URL_SCHEMES,
    filter_style_properties=CSS_PROPERTIES,
    link_rel="noopener noreferrer",
    id_prefix=ID_PREFIX,
)


def clean_html(fragment: str) -> str:
    """An HTML fragment reduced to the allowlist (no scripts, handlers, frames, forms, bad URLs)."""
    return _CLEANER.clean(fragment)


def clean_svg(svg: str) -> str:
    """An SVG image reduced to drawing elements (no script, foreignObject, handlers, animation)."""
    svg = re.sub(r"<\?xml.*?\?>|<!DOCTYPE[^>]*>", "", svg, flags=re.S | re.I)
    return clean_html(svg).strip()


# --- finding active content (for notes, and to check Markdown after cleaning) -------------------

# What the notes name as active (input and button alone do nothing: Markdown task lists
# render as disabled checkboxes).
ACTIVE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "base",
               "meta", "link", "foreignobject", "portal", "animate", "set", "animatemotion",
               "animatetransform", "handler", "listener"}


class _ActiveFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        if tag in ACTIVE_TAGS:
            self.found.append(f"<{tag}>")
        self._in_style = tag == "style"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append(f"atribut {name}")
            elif name in ("srcdoc", "formaction", "action"):
                self.found.append(f"atribut {name}")
            elif name in URL_ATTRIBUTES and not safe_url(value, image=tag in ("img", "image")):
                self.found.append(f"tautan {_url_scheme(value)}:")
            elif name == "style" and _css_active(value):
                self.found.append("CSS aktif")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style and _css_active(data):
            self.found.append("CSS aktif")


def active_content(fragment: str) -> list[str]:
    """What in an HTML fragment would run or navigate in a browser, as short Indonesian labels."""
    finder = _ActiveFinder()
    finder.feed(fragment)
    finder.close()
    return finder.found


# --- Markdown: clean only the raw HTML and the link targets ---------------------------------------

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
_ATTR = r"""(?:[\s/]+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)"""
_MARKUP = re.compile(
    r"(?P<email><[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+>)"
    r"|(?P<autolink><[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>)"
    r"|(?P<comment><!--.*?-->|<!-->|<!--->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<![A-Za-z][^>]*>)"
    r"|(?P<close></[A-Za-z][^\s/>]*\s*>)"
    rf"|(?P<open><(?P<name>[A-Za-z][^\s/>]*){_ATTR}*[\s/]*>)"
    r"|(?P<link>(?<=\]\()\s*(?:<[^>\n]*>|(?:[^\s()]|\([^\s()]*\))+))"
    r"|(?P<refdef>(?<=\]:)[ \t]*(?:<[^>\n]*>|\S+))"
    r"|(?P<tex>\\(?:href|url)\s*\{[^{}]*\})",
    re.S,
)
_TEX_LINK = re.compile(r"\\(?:href|url)\s*\{[^{}]*\}")


def _split_fences(source: str) -> list[tuple[bool, str]]:
    """(is_code, text) parts: fenced code blocks apart from everything else."""
    parts: list[tuple[bool, str]] = []
    buf: list[str] = []
    fence = ""
    for line in source.splitlines(keepends=True):
        if not fence:
            match = _FENCE_OPEN.match(line)
            if match and not (match.group(1)[0] == "`" and "`" in line[match.end():]):
                parts.append((False, "".join(buf)))
                buf, fence = [line], match.group(1)
            else:
                buf.append(line)
        else:
            buf.append(line)
            close = re.match(r"^ {0,3}(`{3,}|~{3,})\s*$", line)
            if close and close.group(1)[0] == fence[0] and len(close.group(1)) >= len(fence):
                parts.append((True, "".join(buf)))
                buf, fence = [], ""
    parts.append((bool(fence), "".join(buf)))
    return [p for p in parts if p[1]]


def _clean_tex(text: str) -> str:
    """MathJax's ``\\href{url}`` and ``\\url{url}`` with an unsafe target point to ``#``."""
    def one(match: re.Match) -> str:
        token = match.group(0)
        url = token[token.index("{") + 1:-1]
        return token if safe_url(url) else token[: token.index("{")] + "{#}"
    return _TEX_LINK.sub(one, text)


def _clean_tag(tag: str, name: str) -> str:
    cleaned = clean_html(tag)
    closer = f"</{name.lower()}>"
    return cleaned[: -len(closer)] if cleaned.endswith(closer) else cleaned


def _clean_text(text: str) -> str:
    out: list[str] = []
    pos = 0
    while True:
        match = _MARKUP.search(text, pos)
        if not match:
            out.append(text[pos:])
            return "".join(out)
        out.append(text[pos:match.start()])
        pos = match.end()
        kind, token = match.lastgroup, match.group(0)
        if kind == "name":
            kind = "open"
        if kind == "email":
            out.append(token)
        elif kind == "autolink":
            out.append(token if safe_url(token[1:-1]) else "")
        elif kind == "comment":
            pass
        elif kind == "close":
            name = token[2:-1].strip().lower()
            out.append(f"</{name}>" if name in ALLOWED_TAGS else "")
        elif kind == "open":
            name = match.group("name").lower()
            if name in DROP_WITH_CONTENT:
                end = re.compile(rf"</{re.escape(name)}\s*>", re.I).search(text, pos)
                pos = end.end() if end else len(text)
            else:
                out.append(_clean_tag(token, name))
        elif kind in ("link", "refdef"):
            url = token.strip().strip("<>")
            image = text[:match.start()].rstrip().endswith("](") and "![" in text[:match.start()]
            out.append(token if safe_url(url, image=image) else token[: len(token) - len(token.lstrip())]
                       + "#")
        elif kind == "tex":
            out.append(_clean_tex(token))


_MAY_BE_ACTIVE = re.compile(r"<|\]\s*[(:]|\\(?:href|url)\b")


def clean_markdown(source: str) -> str:
    """Markdown with its raw HTML cleaned and unsafe link targets replaced by ``#``.

    Everything else (quotes, emphasis, lists, tables, code) is left as written. If
    nbconvert's renderer still finds something active in the result (Markdown the
    splitter read differently), the cleaned rendered HTML replaces the source.
    """
    if not _MAY_BE_ACTIVE.search(source):
        return source  # no HTML, no link targets: nothing that could run
    out = []
    for is_code, part in _split_fences(source):
        if is_code:
            out.append(part)
            continue
        pos, pieces = 0, []
        for span in _CODE_SPAN.finditer(part):
            pieces.append(_clean_text(part[pos:span.start()]))
            pieces.append(span.group(0))
            pos = span.end()
        pieces.append(_clean_text(part[pos:]))
        out.append("".join(pieces))
    cleaned = "".join(out)
    if active_content(markdown2html_mistune(cleaned)):
        return clean_html(markdown2html_mistune(source))
    return cleaned


def markdown_is_active(source: str) -> list[str]:
    """Active content in Markdown as nbconvert renders it (raw HTML and link targets)."""
    if not _MAY_BE_ACTIVE.search(source):
        return []
    return active_content(markdown2html_mistune(source))


# --- notebooks ------------------------------------------------------------------------------------

@dataclass
class Cleaned:
    """What was made inert in one notebook: cell numbers (1-based) per kind."""

    outputs: dict[int, list[str]] = field(default_factory=dict)
    markdown: dict[int, list[str]] = field(default_factory=dict)
    changed: bool = False

    def notes(self, name: str) -> list[str]:
        notes = []
        if self.outputs:
            cells = ", ".join(f"ke-{i}" for i in sorted(self.outputs))
            what = sorted({w for ws in self.outputs.values() for w in ws})
            notes.append(f"konten aktif dihapus dari keluaran sel {cells} ({name}: {', '.join(what)})")
        if self.markdown:
            cells = ", ".join(f"ke-{i}" for i in sorted(self.markdown))
            what = sorted({w for ws in self.markdown.values() for w in ws})
            notes.append(f"konten aktif dihapus dari sel Markdown {cells} ({name}: {', '.join(what)})")
        return notes


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _is_base64(value: str) -> bool:
    try:
        base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _clean_output_metadata(metadata: dict) -> None:
    """Templates paste width/height into img attributes unquoted: keep only numbers."""
    metadata.pop("filenames", None)
    for mime, meta in list(metadata.items()):
        if not isinstance(meta, dict):
            continue
        for key in ("width", "height"):
            value = meta.get(key)
            if value is not None and not (isinstance(value, int | float)
                                          or re.fullmatch(r"\d+(\.\d+)?", str(value))):
                del meta[key]
        if mime in ("text/html", "image/svg+xml") and "isolated" in meta:
            meta["isolated"] = bool(meta["isolated"])


def _clean_output(output: dict) -> list[str]:
    """Clean one output in place; returns what active content it held."""
    found: list[str] = []
    if output.get("output_type") not in ("display_data", "execute_result"):
        return found  # stream and error text are escaped by every renderer
    data = output.get("data", {})
    for mime in list(data):
        value = data[mime]
        if mime in RASTER_TYPES:
            if not _is_base64(_text(value)):
                del data[mime]
                found.append(f"{mime} tidak sah")
        elif mime in SAFE_OUTPUT_TYPES:
            if mime == "text/latex":  # escaped by the templates; MathJax still follows \\href
                data[mime] = _clean_tex(_text(value))
        elif mime == "text/html":
            found += active_content(_text(value))
            data[mime] = clean_html(_text(value))
        elif mime == "image/svg+xml":
            found += active_content(_text(value))
            data[mime] = clean_svg(_text(value))
        elif mime == "text/markdown":
            found += markdown_is_active(_text(value))
            data[mime] = clean_markdown(_text(value))
        else:
            del data[mime]
            found.append(mime)
    if not data:
        data["text/plain"] = "[keluaran aktif dihapus]"
    _clean_output_metadata(output.get("metadata", {}))
    return found


def sanitize_notebook(nb) -> Cleaned:
    """Make a notebook (nbformat node, or the dict json gives) inert in place."""
    result = Cleaned()
    before = json.dumps(nb, sort_keys=True)
    nb.get("metadata", {}).pop("widgets", None)  # widget state: the HTML widget manager renders it
    for index, cell in enumerate(nb.get("cells", []), start=1):
        meta = cell.get("metadata", {})
        grader = meta.get("nbgrader")
        if isinstance(grader, dict) and not _SAFE_ID.match(str(grader.get("grade_id", "x"))):
            del meta["nbgrader"]  # nbgrader dropped the id already; templates paste it in attributes
        if not all(_SAFE_ID.match(str(tag)) for tag in meta.get("tags", [])):
            del meta["tags"]  # pasted into class attributes
        kind = cell.get("cell_type")
        if kind == "code":
            found = []
            for output in cell.get("outputs", []):
                found += _clean_output(output)
            if found:
                result.outputs[index] = sorted(set(found))
        elif kind == "markdown":
            source = _text(cell.get("source", ""))
            found = markdown_is_active(source)
            cell["source"] = clean_markdown(source)
            attachments = cell.get("attachments") or {}
            for name, bundle in list(attachments.items()):
                for mime in list(bundle):
                    if mime not in RASTER_TYPES or not _is_base64(_text(bundle[mime])):
                        del bundle[mime]
                        found.append(f"lampiran {mime}")
                if not bundle:
                    del attachments[name]
            if found:
                result.markdown[index] = sorted(set(found))
        elif kind == "raw":
            mime = meta.get("raw_mimetype") or meta.get("format") or ""
            if mime.lower() in ("", "text/html"):
                source = _text(cell.get("source", ""))
                if active_content(source):
                    result.markdown[index] = active_content(source)
                cell["source"] = clean_html(source)
    result.changed = before != json.dumps(nb, sort_keys=True)
    return result


def _strip_to_text(nb) -> None:
    """Fail closed: every output gone, every Markdown source shown as escaped text."""
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
        elif cell.get("cell_type") in ("markdown", "raw"):
            cell["source"] = html.escape(_text(cell.get("source", "")))
            cell.pop("attachments", None)


def make_inert(nb, name: str) -> tuple[bool, list[str]]:
    """Clean one notebook in place, failing closed; (changed, notes in Indonesian)."""
    try:
        cleaned = sanitize_notebook(nb)
        return cleaned.changed, cleaned.notes(name)
    except Exception as exc:  # noqa: BLE001 - fail closed, the batch goes on
        _strip_to_text(nb)
        return True, [f"keluaran dan Markdown {name} dihapus: tidak dapat dibersihkan ({exc!r})"]


def sanitize_folder(folder: Path) -> list[str]:
    """Clean every notebook in an ``autograded/<peserta>/<tugas>`` folder; notes in Indonesian.

    nbgrader leaves autograded notebooks read-only: the cleaned copy replaces the file
    (same mode) rather than writing into it. Never raises for a notebook it cannot clean:
    that one is reduced to escaped text, and the note says so.
    """
    notes: list[str] = []
    for path in sorted(Path(folder).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        changed, notes_here = make_inert(nb, path.name)
        if changed:
            write_atomic(path, partial(nbformat.write, nb),
                         mode=stat.S_IMODE(path.stat().st_mode))
        notes += notes_here
    return notes


class SanitizeParticipantContent(Preprocessor):
    """nbconvert preprocessor: the same cleaning, for every HTML rendered from a participant's notebook."""

    @default("enabled")
    def _enabled_default(self):
        return True  # nbconvert's preprocessors are off unless enabled

    def preprocess(self, nb, resources):
        sanitize_notebook(nb)
        return nb, resources
