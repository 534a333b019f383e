"""Python's errors explained in Bahasa Indonesia, under IPython's own traceback.

Participants are library managers who do not program; Python's tracebacks are
English. After a cell fails, IPython's ``post_run_cell`` event (a documented
extension point) hands this module the cell's result; when the error is one
participants meet (a missing quote or bracket, a name not yet defined, ``...``
left in an answer, a wrong column name, a decimal comma ...), a short
explanation with the fix and the participant's own line is displayed as one
more output of the cell.

The error itself is left alone: IPython has already shown its traceback when
the event fires, the cell still fails, and the kernel's reply to the client is
unchanged, so nbgrader scores exactly as without this module. The explanation
is a ``display_data`` output (never a stderr stream, which nbgrader would count
as a failure of its own).

``coursekit`` registers it on import (see ``coursekit/__init__.py``); it can
also be loaded as an IPython extension: ``%load_ext coursekit.galat``.
Setting the environment variable ``COURSEKIT_GALAT=0`` turns it off.
"""

from __future__ import annotations

import builtins
import difflib
import html
import io
import keyword
import os
import re
import sys
import tokenize
from collections import deque
from dataclasses import dataclass

TITLE = "Penjelasan pesan galat di atas"
SWITCH = "COURSEKIT_GALAT"  # "0": no explanations

# Names a course notebook's first cell makes (with coursekit's own, added at use)
FIRST_CELL_NAMES = {"pd", "np", "plt", "numbers", "widgets", "display", "coursekit"}
IPYTHON_NAMES = {"In", "Out", "get_ipython", "exit", "quit"}
CURLY_QUOTES = "\u201c\u201d\u2018\u2019"


@dataclass
class Explanation:
    """What went wrong and how to fix it, and where: the line as the participant wrote it."""

    message: str
    fix: str
    line: int | None = None
    code: str | None = None
    place: str = "di sel ini"

    def where(self) -> str:
        return f"Baris {self.line} {self.place}" if self.line else self.place.capitalize()

    def plain(self) -> str:
        parts = [TITLE]
        if self.code is not None:
            parts += [f"{self.where()}:", "    " + self.code]
        parts += [self.message, "Cara memperbaiki: " + self.fix]
        return "\n".join(parts)

    def html(self) -> str:
        code = ""
        if self.code is not None:
            code = (f"<div>{_inline(self.where())}:</div>"
                    f"<pre style=\"margin:0.2em 0 0.4em 1.5em;background-color:transparent;color:inherit;"
                    "font-family:monospace\">"
                    f"{html.escape(self.code, quote=False)}</pre>")
        return (
            "<div style=\"border-left:4px solid #e0a800;background-color:#fff8e1;color:#3b2f00;"
            "padding:0.5em 0.8em;margin:0.3em 0;font-family:sans-serif;line-height:1.4\">"
            f"<div><strong>{html.escape(TITLE, quote=False)}</strong></div>{code}"
            f"<div>{_inline(self.message)}</div>"
            f"<div><strong>Cara memperbaiki:</strong> {_inline(self.fix)}</div></div>"
        )


def _inline(text: str) -> str:
    """Escape text for HTML, showing `quoted` parts as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))


# Registration ------------------------------------------------------------------------

def _current_shell():
    """IPython's running shell, or None (without importing IPython when nothing did)."""
    if "IPython" not in sys.modules:
        return None
    from IPython import get_ipython

    shell = get_ipython()
    return shell if shell is not None and hasattr(shell, "events") else None


def register(shell=None) -> bool:
    """Show explanations in ``shell`` (default: the running one); False outside IPython.

    Idempotent: IPython keeps one registration of the same callback.
    """
    shell = shell if shell is not None else _current_shell()
    if shell is None:
        return False
    shell.events.register("post_run_cell", _after_cell)
    return True


def unregister(shell=None) -> None:
    shell = shell if shell is not None else _current_shell()
    if shell is not None and _after_cell in shell.events.callbacks["post_run_cell"]:
        shell.events.unregister("post_run_cell", _after_cell)


def load_ipython_extension(shell) -> None:
    register(shell)


def unload_ipython_extension(shell) -> None:
    unregister(shell)


# The cells that failed recently: a name they would have made is then "not defined".
_failed_cells: deque[tuple[int | None, str]] = deque(maxlen=30)


def _after_cell(result) -> None:
    """IPython's ``post_run_cell`` callback: explain the cell's error, if any."""
    try:
        if result is None or os.environ.get(SWITCH) == "0":
            return
        error = result.error_before_exec
        if error is None:
            error = result.error_in_exec
        if error is None:
            return
        shell = _current_shell()
        explanation = explain(error, shell.user_ns if shell is not None else {}, shell,
                              _failed_cells)
        raw = getattr(getattr(result, "info", None), "raw_cell", None)
        if raw:
            _failed_cells.append((result.execution_count, raw))
        if explanation is not None:
            from IPython.display import display

            display({"text/plain": explanation.plain(), "text/html": explanation.html()}, raw=True)
    except Exception:  # noqa: BLE001 - an explanation must never add an error of its own
        pass


# Explaining -------------------------------------------------------------------------

def explain(error: BaseException, user_ns: dict, shell=None,
            failed_cells=()) -> Explanation | None:
    """The explanation of ``error`` raised by code run in ``user_ns``, or None for other errors."""
    if not isinstance(error, Exception):  # interrupted, exited: nothing to explain
        return None
    frame, lineno = _participant_frame(error, user_ns)
    if isinstance(error, SyntaxError):  # in the cell's own text, found before it ran
        return _syntax(error) if frame is None else None
    if frame is None:
        return None
    code = _line_of(frame.f_code.co_filename, lineno)
    values = _values_in_line(code, frame)
    place = _place(frame, error, shell)
    found = _ellipsis(error, code, values, shell) or _decimal_comma_tuple(error, values, shell)
    if found is None and not _raised_by_coursekit(error):  # coursekit's own errors speak Indonesian
        found = _by_kind(error, code, values, frame, user_ns, failed_cells)
    if found is None:
        return None
    message, fix = found
    return Explanation(message, fix, lineno, code, place)


def _syntax(error: SyntaxError) -> Explanation:
    text = (error.text or "").rstrip("\n")
    code = text if error.text is not None else None
    if isinstance(error, IndentationError):
        message, fix = _indentation(error)
        return Explanation(message, fix, error.lineno, code)
    if error.msg in ("incomplete input", "unexpected EOF while parsing"):
        # IPython compiles cells as a console would: a bracket or text left open at the end
        # of the cell is "incomplete input"; the cell's source says which one and where.
        import linecache

        opened = _unclosed("".join(linecache.getlines(error.filename or "")))
        if opened is not None:
            opening, lineno, line = opened
            if opening in ("(", "[", "{"):
                message, fix = _syntax_message(SyntaxError(f"'{opening}' was never closed"), line)
            else:
                message, fix = _syntax_message(SyntaxError("unterminated triple-quoted string"), line)
            return Explanation(message, fix, lineno, line.rstrip("\n"))
    message, fix = _syntax_message(error, text)
    return Explanation(message, fix, error.lineno, code)


def _unclosed(source: str) -> tuple[str, int, str] | None:
    """The innermost bracket, or the triple-quoted text, a cell opens and never closes."""
    opened: list[tuple[str, int, str]] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.OP and token.string in ("(", "[", "{"):
                opened.append((token.string, token.start[0], token.line))
            elif token.type == tokenize.OP and token.string in (")", "]", "}") and opened:
                opened.pop()
    except tokenize.TokenError as error:
        if "string" in str(error.args[0]):
            lineno = error.args[1][0]
            lines = source.splitlines()
            line = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
            return ('"""' if '"""' in line else "'''", lineno, line)
    except SyntaxError:  # IndentationError included: nothing more to learn here
        return None
    return opened[-1] if opened else None


def _indentation(error: IndentationError) -> tuple[str, str]:
    msg = error.msg or ""
    if isinstance(error, TabError):
        return ("Baris ini menjorok dengan campuran tombol Tab dan spasi.",
                "pakai spasi saja: hapus jarak di awal baris lalu ketik ulang dengan spasi, "
                "sama seperti baris di atasnya.")
    if "unexpected indent" in msg:
        return ("Baris ini diawali spasi (menjorok ke dalam), padahal tidak perlu.",
                "hapus spasi di awal baris sehingga sejajar dengan baris di atasnya, "
                "lalu jalankan sel ini lagi.")
    if "expected an indented block" in msg:
        after = re.search(r"after '(\w+)' statement on line (\d+)", msg)
        opener = f"`{after.group(1)}` di baris {after.group(2)}" if after else "baris sebelumnya"
        return (f"Baris sesudah {opener} (yang diakhiri titik dua `:`) harus menjorok ke dalam.",
                "tambahkan 4 spasi di awal baris ini (atau tekan tombol Tab), lalu jalankan sel ini lagi.")
    if "unindent does not match" in msg:
        return ("Jarak di awal baris ini tidak sama dengan baris-baris di atasnya.",
                "samakan jumlah spasi di awal baris dengan baris di atasnya (biasanya 4 atau 8 spasi).")
    return ("Jarak (spasi) di awal baris ini tidak sesuai.",
            "samakan jarak di awal baris dengan baris di atasnya, lalu jalankan sel ini lagi.")


def _syntax_message(error: SyntaxError, text: str) -> tuple[str, str]:
    msg = error.msg or ""
    if "unterminated" in msg and "string" in msg:
        quote = _open_quote(text, error.offset)
        return (f"Teks yang dibuka dengan tanda petik `{quote}` di baris ini belum ditutup.",
                f"tambahkan tanda petik penutup `{quote}` di akhir teks, misalnya "
                f"`{quote}Perpustakaan Desa{quote}`. Tanda petik pembuka dan penutup harus sama.")
    if "was never closed" in msg:
        opening = msg[1:2]
        return (f"Kurung buka `{opening}` di baris ini tidak pernah ditutup.",
                f"tambahkan kurung tutup `{_closing(opening)}` di tempat yang tepat "
                "(biasanya di akhir baris itu).")
    match = re.match(r"unmatched '(.)'", msg)
    if match:
        return (f"Ada kurung tutup `{match.group(1)}` yang tidak punya pasangan kurung buka.",
                f"hapus `{match.group(1)}` yang berlebih, atau tambahkan kurung buka yang hilang.")
    match = re.match(r"closing parenthesis '(.)' does not match opening parenthesis '(.)'", msg)
    if match:
        closing, opening = match.groups()
        return (f"Kurung buka `{opening}` ditutup dengan `{closing}`.",
                f"pasangan kurung harus sejenis: ganti `{closing}` dengan `{_closing(opening)}`.")
    if msg.startswith("expected ':'"):
        return ("Baris yang dimulai dengan `if`, `elif`, `else`, `for`, `while` atau `def` "
                "harus diakhiri titik dua (`:`).",
                "tambahkan `:` di akhir baris ini, lalu jalankan sel ini lagi.")
    if "invalid character" in msg and any(q in msg for q in CURLY_QUOTES):
        return ("Baris ini memakai tanda petik miring (“ ” atau ‘ ’), biasanya terbawa saat "
                "menyalin teks dari Word atau WhatsApp; Python hanya mengenal tanda petik lurus.",
                "ketik ulang tanda petik itu langsung dari papan ketik: `\"` atau `'`.")
    if "forgot a comma" in msg:
        return ("Ada dua nilai yang bersebelahan tanpa koma di antaranya.",
                "pisahkan setiap nilai dalam daftar, kamus, atau kurung fungsi dengan koma, "
                "misalnya `[\"a\", \"b\"]` atau `{\"nama\": \"Sari\", \"umur\": 40}`.")
    if "leading zeros" in msg and re.search(r"\d,0\d", text):
        return ("Angka di baris ini memakai koma sebagai tanda desimal; Python memakai titik.",
                "ganti koma pada angka itu dengan titik, misalnya `0.05`, bukan `0,05`.")
    if "Missing parentheses in call to 'print'" in msg:
        return ("`print` perlu tanda kurung.", "tulis `print(...)`, misalnya `print(\"Halo\")`.")
    return ("Python tidak dapat membaca baris ini: ada tanda yang kurang atau berlebih.",
            "periksa tanda petik, kurung, koma, dan titik dua di baris ini "
            "(juga di baris sebelumnya), lalu jalankan sel ini lagi.")


def _open_quote(text: str, offset: int | None) -> str:
    """The quote that opens the unterminated string (Python's offset points at it)."""
    if offset and 0 < offset <= len(text):
        start = text[offset - 1:]
        for quote in ('"""', "'''", '"', "'"):
            if start.startswith(quote):
                return quote
    for quote in ('"""', "'''"):
        if text.count(quote) % 2:
            return quote
    return '"' if text.count('"') % 2 else "'"


def _closing(opening: str) -> str:
    return {"(": ")", "[": "]", "{": "}"}.get(opening, opening)


# Where the participant's code failed ------------------------------------------------

def _participant_frame(error: BaseException, user_ns: dict):
    """The innermost frame of the participant's own code (a frame whose globals are the notebook's)."""
    found = (None, None)
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_globals is user_ns:
            found = (tb.tb_frame, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _raised_by_coursekit(error: BaseException) -> bool:
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and str(tb.tb_frame.f_globals.get("__name__", "")).startswith("coursekit")


def _line_of(filename: str, lineno: int | None) -> str | None:
    import linecache

    if not lineno:
        return None
    line = linecache.getline(filename, lineno)
    return line.rstrip("\n") if line else None


def _place(frame, error, shell) -> str:
    """"di sel ini", or which function, and which cell when another cell defined it."""
    if frame.f_code.co_name == "<module>":
        return "di sel ini"
    where = f"di dalam fungsi `{frame.f_code.co_name}`"
    cell = error.__traceback__
    while cell is not None and cell.tb_frame.f_code.co_name != "<module>":
        cell = cell.tb_next
    if cell is not None and cell.tb_frame.f_code.co_filename == frame.f_code.co_filename:
        return where + " di sel ini"
    try:  # IPython's own label of a cell's file: ("Cell", "In[4]")
        label = shell.compile.format_code_name(frame.f_code.co_filename)
    except Exception:  # noqa: BLE001 - without it, the function's name says enough
        label = None
    return f"{where} (sel [{label[1][3:-1]}])" if label and label[1].startswith("In[") else where


_MISSING = object()


def _values_in_line(code: str | None, frame) -> dict:
    """The variables a line reads (not attributes, not text inside quotes) and their values."""
    values = {}
    if not code:
        return values
    for name in _names_in(code):
        value = frame.f_locals.get(name, _MISSING)
        if value is _MISSING:
            value = frame.f_globals.get(name, _MISSING)
        if value is not _MISSING:
            values[name] = value
    return values


def _names_in(code: str) -> list[str]:
    names: list[str] = []
    previous = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(code.strip() + "\n").readline):
            if (token.type == tokenize.NAME and not keyword.iskeyword(token.string)
                    and previous != "." and token.string not in names):
                names.append(token.string)
            previous = token.string
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return names


# What went wrong -----------------------------------------------------------------

def _ellipsis(error, code, values, shell):
    holding = [name for name, value in values.items() if value is Ellipsis]
    if isinstance(error, AssertionError):
        if not holding or "..." in str(error):  # the check's own message already says it
            return None
    elif not (holding or "ellipsis" in str(error) or (isinstance(error, TypeError) and _has_stub(code))):
        return None
    fix = "ganti `...` dengan jawaban Anda"
    if holding:
        names = _join(holding)
        written = _cell_assigning(holding[0], r"\.\.\.", shell)
        cell = f"{written[0]} (`{holding[0]} = ...`)" if written else f"sel jawaban yang membuat {names}"
        return (f"{names} masih berisi `...` (tanda tempat jawaban), belum jawaban Anda.",
                f"{fix} di {cell}, jalankan sel itu (Shift+Enter), lalu jalankan lagi sel ini.")
    return ("Baris ini masih berisi `...` (tanda tempat jawaban), belum jawaban Anda.",
            f"{fix}, lalu jalankan sel ini lagi.")


def _has_stub(code: str | None) -> bool:
    if not code:
        return False
    try:
        return any(t.type == tokenize.OP and t.string == "..."
                   for t in tokenize.generate_tokens(io.StringIO(code.strip() + "\n").readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return False


def _decimal_comma_tuple(error, values, shell):
    """``x = 0,3`` makes the pair (0, 3): explain it where the pair then fails.

    Only when a cell really assigns it so: the cells' text is in ``linecache``
    (IPython puts it there), and IPython's compiler tells which files are cells.
    """
    if not isinstance(error, (TypeError, AssertionError, ValueError)):
        return None
    for name, value in values.items():
        if not (isinstance(value, tuple) and len(value) == 2
                and all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
            continue
        written = _written_with_comma(name, shell)
        if written is None:
            continue
        cell, number = written
        return (f"`{name}` berisi `{value!r}`, dua angka, bukan satu bilangan desimal, karena di "
                f"{cell} tertulis `{name} = {number}`: Python memakai titik sebagai tanda desimal, "
                "dan koma memisahkan dua nilai.",
                f"tulis `{name} = {number.replace(',', '.')}` di {cell}, jalankan sel itu, "
                "lalu jalankan lagi sel ini.")
    return None


def _written_with_comma(name: str, shell) -> tuple[str, str] | None:
    """Where a cell assigns ``name = 0,3`` (a number with a decimal comma): ("sel [4]", "0,3")."""
    return _cell_assigning(name, r"-?\d+,\d+", shell)


def _cell_assigning(name: str, value: str, shell) -> tuple[str, str] | None:
    """The latest cell with the line ``name = <value>`` (a regex): its label and the value as written.

    The cells' text is in ``linecache`` (IPython puts it there); IPython's
    compiler tells which of its files are cells, and their numbers.
    """
    import linecache

    label_of = getattr(getattr(shell, "compile", None), "format_code_name", None)
    if label_of is None:
        return None
    pattern = re.compile(rf"^[ \t]*{re.escape(name)}[ \t]*=[ \t]*({value})[ \t]*(?:#.*)?$", re.MULTILINE)
    found = None
    for filename, entry in list(linecache.cache.items()):
        label = label_of(filename)
        match = pattern.search("".join(entry[2])) if label else None
        if match:
            number = int(label[1][3:-1]) if label[1][3:-1].isdigit() else -1
            if found is None or number > found[0]:
                found = (number, match.group(1))
    if found is None:
        return None
    return (f"sel [{found[0]}]" if found[0] >= 0 else "sel lain"), found[1]


def _by_kind(error, code, values, frame, user_ns, failed_cells):
    if isinstance(error, NameError) and not isinstance(error, UnboundLocalError):
        return _name_error(error, code, user_ns, failed_cells)
    if isinstance(error, KeyError):
        return _key_error(error, values, frame)
    if isinstance(error, ZeroDivisionError):
        zeros = [n for n, v in values.items()
                 if isinstance(v, int | float) and not isinstance(v, bool) and v == 0]
        why = f" ({_join(zeros)} bernilai 0)" if zeros else ""
        return (f"Baris ini membagi dengan nol{why}, dan pembagian dengan nol tidak dapat dihitung.",
                "periksa angka pembaginya dan ganti dengan angka yang benar (bukan 0). Bila datanya "
                "memang nol, hasil bagi itu memang tidak ada: jangan dihitung.")
    if isinstance(error, ValueError):
        return _number_text(error)
    if isinstance(error, TypeError):
        return _text_as_number(error, values)
    return None


def _name_error(error, code, user_ns, failed_cells):
    name = getattr(error, "name", None) or _quoted(str(error))
    if not name:
        return None
    candidates = [n for n in user_ns if not n.startswith("_") and n not in IPYTHON_NAMES]
    candidates += [n for n in dir(builtins) if n.islower() and not n.startswith("_")]
    close = ([n for n in candidates if n.lower() == name.lower()]
             or difflib.get_close_matches(name, candidates, n=1, cutoff=0.8))
    if close:
        return (f"Python tidak mengenal nama `{name}`. Mungkin maksud Anda `{close[0]}`?",
                f"perbaiki ejaannya menjadi `{close[0]}` (huruf besar dan kecil pun harus sama), "
                "lalu jalankan sel ini lagi.")
    if _assigned_as_answer(name, code) or re.fullmatch(r"[a-eA-E]", name):
        return (f"Python membaca `{name}` sebagai nama variabel, padahal belum ada variabel itu.",
                f"bila `{name}` adalah jawaban berupa teks atau huruf pilihan, apit dengan tanda petik: "
                f"`\"{name}\"`.")
    if name in FIRST_CELL_NAMES or name in _coursekit_names():
        return (f"`{name}` dimuat oleh sel pertama notebook ini (sel yang berisi `import`), "
                "yang belum dijalankan sejak kernel dimulai.",
                "jalankan sel pertama, lalu sel-sel di bawahnya satu per satu (Shift+Enter) sampai sel ini.")
    for number, source in reversed(failed_cells):
        if _assigns(source, name):
            label = f"sel [{number}]" if number is not None else "sel yang membuatnya"
            return (f"`{name}` belum ada karena {label}, yang membuatnya, berhenti dengan galat.",
                    f"perbaiki dulu galat di {label} dan jalankan sel itu lagi, lalu jalankan sel ini.")
    return (f"Python belum mengenal `{name}`. Biasanya karena sel yang membuat `{name}` "
            "belum dijalankan (misalnya setelah kernel dimulai ulang).",
            "jalankan sel di atasnya lebih dulu, satu per satu dengan Shift+Enter, lalu jalankan "
            f"lagi sel ini. Bila `{name}` tidak dibuat di sel mana pun, periksa ejaannya.")


def _assigned_as_answer(name: str, code: str | None) -> bool:
    """``kota = Padang``: a bare word on the right of an assignment, likely meant as text."""
    return bool(code and re.match(rf"\s*\w+\s*=\s*{re.escape(name)}\s*(#.*)?$", code))


def _assigns(source: str, name: str) -> bool:
    word = re.escape(name)
    pattern = rf"^\s*(?:{word}\s*(?:=(?!=)|\+=|-=)|def\s+{word}\b|for\s+{word}\b)"
    return re.search(pattern, source, re.MULTILINE) is not None


def _coursekit_names() -> set[str]:
    coursekit = sys.modules.get("coursekit")
    names = set(getattr(coursekit, "__all__", ()))
    for module in list(sys.modules):
        if module.startswith("coursekit."):
            names.add(module.split(".", 1)[1])
    return names


def _key_error(error, values, frame):
    key = error.args[0] if error.args else None
    keys = [key] if isinstance(key, str) else re.findall(r"'([^']*)'", str(key or ""))
    if not keys:
        return None
    worked_on = _table_in_frames(error, frame)
    if worked_on is not None:  # the table pandas looked in; its name if the line has one
        name = next((n for n, v in values.items() if v is worked_on), None)
        candidates = [(name, worked_on)]
    else:
        candidates = list(values.items())
    for name, table in candidates:
        if _is_dataframe(table):
            columns = [str(c) for c in table.columns]
            missing = [k for k in keys if k not in columns]
            if missing:
                what = f"Tabel `{name}`" if name else "Tabel ini"
                return _missing_key(what, "kolom", missing[0], columns)
        elif isinstance(table, dict) and name:
            missing = [k for k in keys if k not in table]
            if missing:
                return _missing_key(f"Kamus `{name}`", "kunci", missing[0], [str(k) for k in table])
    return (f"Python tidak menemukan `{keys[0]!r}` di tabel atau kamus pada baris ini.",
            "periksa ejaan nama itu: huruf besar, huruf kecil, dan spasi harus sama persis.")


def _missing_key(what: str, kind: str, missing: str, present: list[str]):
    shown = ", ".join(f"`{c!r}`" for c in present[:30]) + (" ..." if len(present) > 30 else "")
    close = ([c for c in present if c.strip().lower() == missing.strip().lower()]
             or difflib.get_close_matches(missing, present, n=1, cutoff=0.6))
    hint = f" Mungkin maksud Anda `{close[0]!r}`?" if close else ""
    return (f"{what} tidak punya {kind} bernama `{missing!r}`. {kind.capitalize()} yang ada: {shown}."
            + hint,
            f"tulis nama {kind} persis seperti di daftar itu, termasuk huruf besar, "
            "huruf kecil, dan spasi.")


def _table_in_frames(error, frame):
    """The DataFrame the participant's failing call went into (``self`` of pandas' first frame)."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame is not frame:
        tb = tb.tb_next
    while tb is not None:
        candidate = tb.tb_frame.f_locals.get("self") if tb.tb_frame is not frame else None
        if _is_dataframe(candidate):
            return candidate
        tb = tb.tb_next
    return None


def _is_dataframe(value) -> bool:
    return type(value).__name__ == "DataFrame" and type(value).__module__.startswith("pandas")


_COMMA_NUMBER = re.compile(r"^\s*[-+]?\d+(?:\.\d{3})*,\d+\s*$")


def _number_text(error):
    message = str(error)
    if "convert" not in message and "invalid literal" not in message and "parse" not in message:
        return None
    text = _quoted(message)
    if text is None:
        return None
    if _COMMA_NUMBER.match(text):
        fixed = text.strip().replace(".", "").replace(",", ".")
        return (f"Angka `{text}` ditulis dengan koma sebagai tanda desimal; "
                "Python memakai titik.",
                f"tulis `{fixed}`, bukan `{text}`.")
    return (f"Teks `{text}` tidak dapat diubah menjadi angka.",
            "pastikan isinya hanya angka, tanpa huruf, spasi, atau satuan, dengan titik sebagai "
            "tanda desimal (misalnya `12.5`).")


def _text_as_number(error, values):
    message = str(error)
    if "'str'" not in message and "concatenate str" not in message:
        return None
    texts = [n for n, v in values.items() if isinstance(v, str) and _looks_numeric(v)]
    if texts:
        name = texts[0]
        number = values[name].strip().replace(",", ".")
        return (f"`{name}` berisi teks `{values[name]!r}` (di antara tanda petik), bukan angka, "
                "sehingga tidak dapat dihitung bersama angka.",
                f"tulis angkanya tanpa tanda petik: `{name} = {number}`, jalankan sel itu, "
                "lalu jalankan lagi sel ini.")
    return ("Baris ini mencampur teks (di antara tanda petik) dengan angka.",
            "angka ditulis tanpa tanda petik, misalnya `25`, bukan `\"25\"`. Untuk menampilkan teks "
            "dan angka bersama, pisahkan dengan koma: `print(\"Jumlah:\", jumlah)`.")


def _looks_numeric(text: str) -> bool:
    return re.fullmatch(r"\s*[-+]?\d+(?:[.,]\d+)?\s*", text) is not None


def _quoted(message: str) -> str | None:
    match = re.search(r"'([^']*)'", message) or re.search(r'"([^"]*)"', message)
    return match.group(1) if match else None


def _join(names: list[str]) -> str:
    quoted = [f"`{n}`" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " dan " + quoted[-1]
