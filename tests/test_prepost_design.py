"""The pre-test and the post-test are fair parallel forms (issue 15).

What a reviewer checks by reading the two notebooks side by side: item k of the
pre-test and item k of the post-test test the same topic for the same points;
the key of a multiple-choice item is not the longest option by habit, and not
always the same letter; no item is a lesson quiz, an exercise of m01–m08 or an
example activity of ``coursekit.tpbis`` in new clothes; each test has an item on
reading a table; the keys follow from what the items say; the visible checks
hide the keys while the hidden tests catch every wrong option; the wording
follows the course glossary; and docs/BLUEPRINT_TES.md describes every item.
"""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from autograder.course import manifest

FORMS = ("pre", "post")
BLUEPRINT = manifest.REPO_ROOT / "docs" / "BLUEPRINT_TES.md"
HEADING = re.compile(r"^### Soal (\d+) — (.+) \((\d+) poin\)\s*$", re.M)
OPTION = re.compile(r"^- \*\*([a-e])\*\* — (.+)$", re.M)


def _text(cell) -> str:
    return "".join(cell.source) if isinstance(cell.source, list) else cell.source


@dataclass
class Item:
    """One test item as a participant sees it, with its answer and test cells."""

    number: int
    topic: str
    points_in_heading: int
    stem: str
    options: dict[str, str] = field(default_factory=dict)
    answer_source: str = ""
    test_source: str = ""
    points: float | None = None

    @property
    def solution(self) -> str:
        """The right-hand side of ``jawaban_NN = ...`` in the solution block."""
        block = re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", self.answer_source, re.S)
        assert block, f"Soal {self.number}: no solution block"
        match = re.search(r"^jawaban_\d+ = (.+)$", block.group(1), re.M)
        assert match, f"Soal {self.number}: the solution is not `jawaban_NN = ...`"
        return match.group(1).strip()

    @property
    def key(self) -> str:
        """The key letter of a multiple-choice item."""
        return ast.literal_eval(self.solution)

    @property
    def has_table(self) -> bool:
        lines = [line.strip() for line in self.stem.splitlines()]
        separators = [i for i, line in enumerate(lines) if re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", line)]
        return any(i > 0 and lines[i - 1].startswith("|") and len(lines) > i + 2
                   and lines[i + 1].startswith("|") and lines[i + 2].startswith("|")
                   for i in separators)


def load_items(path: Path) -> list[Item]:
    """The items of a pre/post notebook, in order, each with its answer and test cell."""
    nb = nbformat.read(path, as_version=4)
    items: list[Item] = []
    for cell in nb.cells:
        text = _text(cell)
        meta = cell.metadata.get("nbgrader", {})
        heading = HEADING.search(text) if cell.cell_type == "markdown" else None
        if heading:
            body = text[heading.end():]
            options = dict(OPTION.findall(body))
            stem = OPTION.sub("", body).strip()
            items.append(Item(int(heading.group(1)), heading.group(2).strip(),
                              int(heading.group(3)), stem, options))
        elif meta.get("solution") and cell.cell_type == "code":
            assert items and not items[-1].answer_source, f"{path.name}: answer cell without item"
            items[-1].answer_source = text
        elif meta.get("grade") and cell.cell_type == "code":
            assert items and not items[-1].test_source, f"{path.name}: test cell without item"
            items[-1].test_source = text
            items[-1].points = meta.get("points")
    return items


def source_path(form: str) -> Path:
    return manifest.SOURCE_DIR / form / f"{form}.ipynb"


def release_path(form: str) -> Path:
    return manifest.RELEASE_DIR / form / f"{form}.ipynb"


ITEMS = {form: load_items(source_path(form)) for form in FORMS}


def multiple_choice(form: str) -> list[Item]:
    return [item for item in ITEMS[form] if item.options]


# --- the two forms are parallel --------------------------------------------------------------

def test_pre_and_post_have_the_same_items_for_the_same_points():
    pre, post = ITEMS["pre"], ITEMS["post"]
    assert len(pre) == len(post) >= 13
    for form, items in ITEMS.items():
        assert [i.number for i in items] == list(range(1, len(items) + 1)), form
        for item in items:
            assert item.answer_source and item.test_source, (form, item.number)
            assert item.points == item.points_in_heading, (form, item.number)
            assert f"jawaban_{item.number:02d} = ..." in item.answer_source, (form, item.number)
    for a, b in zip(pre, post, strict=True):
        assert a.topic == b.topic, a.number
        assert a.points == b.points, a.number
        assert len(a.options) == len(b.options), a.number  # same answer format
        assert a.has_table == b.has_table, a.number


@pytest.mark.parametrize("form", FORMS)
def test_the_introduction_counts_the_items_and_points(form):
    nb = nbformat.read(source_path(form), as_version=4)
    intro = _text(nb.cells[0])
    n = len(ITEMS[form])
    total = sum(item.points for item in ITEMS[form])
    assert f"**{n} soal**" in intro
    assert f"**{total:g} poin**" in intro


@pytest.mark.parametrize("form", FORMS)
def test_each_test_has_a_synthetic_table_to_read(form):
    tables = [item for item in ITEMS[form] if item.has_table]
    assert tables, f"{form}: no item asks to read a table"
    for item in tables:
        assert "data sintetis" in item.stem.lower(), (form, item.number)


def _table(stem: str) -> list[list[str]]:
    rows = [line.strip().strip("|").split("|") for line in stem.splitlines()
            if line.strip().startswith("|")]
    return [[c.strip() for c in row] for row in rows if not re.fullmatch(r"[\s:|-]+", "|".join(row))]


@pytest.mark.parametrize("form", FORMS)
def test_the_table_items_key_is_what_the_table_says(form):
    """Options name rows of the table, and the key is the row the question asks for."""
    for item in (i for i in ITEMS[form] if i.has_table):
        header, *rows = _table(item.stem)
        labels = {row[0]: row for row in rows}
        assert set(item.options.values()) <= set(labels), (form, item.number)
        question = item.stem.lower()
        assert "persentase" in question and "perempuan" in question, \
            "a new kind of table question: teach this test how to read it"
        women = next(i for i, name in enumerate(header) if "perempuan" in name.lower())
        share = {name: float(row[women]) / sum(float(v) for v in row[1:])
                 for name, row in labels.items()}
        pick = min if "paling rendah" in question else max
        expected = pick(item.options.values(), key=share.get)
        assert item.options[item.key] == expected, (form, item.number)


# --- multiple-choice keys ---------------------------------------------------------------------

@pytest.mark.parametrize("form", FORMS)
def test_the_key_is_not_usually_the_longest_option(form):
    items = multiple_choice(form)
    longest = [item.number for item in items
               if all(len(item.options[item.key]) > len(text)
                      for letter, text in item.options.items() if letter != item.key)]
    assert len(longest) <= len(items) // 4, \
        f"{form}: the key is the longest option in Soal {longest}"


@pytest.mark.parametrize("form", FORMS)
def test_key_letters_are_spread(form):
    keys = [item.key for item in multiple_choice(form)]
    assert all(k in "abcde" for k in keys)
    assert len(set(keys)) >= 4, f"{form}: keys only on {sorted(set(keys))}"
    top = max(keys.count(k) for k in set(keys))
    assert top <= 0.4 * len(keys), f"{form}: one letter is the key of {top} of {len(keys)} items"


# --- new items: not copied from what participants practised -----------------------------------

# Wording the course requires everywhere (issue 15): sharing it is not copying an item.
MANDATED = ("tidak kami temukan dalam sumber publik", "indikator kinerja utama (KPI)")


def _tokens(text: str) -> list[str]:
    for phrase in MANDATED:
        text = text.replace(phrase, " ")
    return re.findall(r"\w+", text.lower().replace("’", "'"))


def _sentences(text: str) -> list[str]:
    """Sentences, table cells and list items of a text (hard-wrapped lines joined first)."""
    text = re.sub(r"\n(?![ \t]*(?:\||[-*] |\d+\.\s|\n|#))", " ", text)
    text = re.sub(r"[*`_>#]", " ", text)
    parts = re.split(r"(?<=[.?!:;])\s+(?=[A-Z“\"(])|\n+|\s\|\s|\s—\s", text)
    return [p.strip(" |-") for p in parts if p.strip(" |-")]


def _string_constants(source: str) -> list[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython syntax: fall back to quoted text
        return [m[1] for m in re.findall(r"([\"'])((?:(?!\1).){12,})\1", source)]
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def practised_texts() -> dict[str, list[str]]:
    """What participants have read and answered before the post-test, by origin.

    Lesson quizzes and other strings in lesson code; the exercises of m00–m08 as
    released (their markdown and code strings: participants never see the
    solutions); every string constant of ``coursekit``
    (the example activities of ``tpbis.CONTOH_KEGIATAN`` among them).
    """
    corpus: dict[str, list[str]] = {}
    course = manifest.load_course()
    for module in course.modules:
        if module.lesson:
            nb = nbformat.read(course.root / module.lesson, as_version=4)
            corpus[module.lesson] = [s for c in nb.cells if c.cell_type == "code"
                                     for s in _string_constants(_text(c))]
        if module.assignment and module.assignment not in FORMS:
            nb = nbformat.read(release_path(module.assignment), as_version=4)
            corpus[f"assignments/{module.assignment}"] = [
                s for c in nb.cells
                for s in ([_text(c)] if c.cell_type == "markdown" else _string_constants(_text(c)))]
    for path in sorted((manifest.COURSE_DIR / "coursekit").glob("*.py")):
        corpus[f"coursekit/{path.name}"] = _string_constants(path.read_text(encoding="utf-8"))
    return corpus


def _units(texts: list[str], min_tokens: int) -> list[tuple[str, list[str]]]:
    units = []
    for text in texts:
        for sentence in _sentences(text):
            tokens = _tokens(sentence)
            if len(tokens) >= min_tokens:
                units.append((sentence, tokens))
    return units


def _copied(tokens: list[str], other: list[str]) -> bool:
    """The same sentence give or take a few words, or all of ``other`` inside ``tokens``."""
    small, large = sorted((set(tokens), set(other)), key=len)
    if len(small & large) < 0.6 * len(small):
        return False
    matcher = difflib.SequenceMatcher(None, tokens, other, autojunk=False)
    if matcher.ratio() >= 0.8:
        return True
    longest = matcher.find_longest_match(0, len(tokens), 0, len(other)).size
    return len(other) >= 6 and longest >= 0.9 * len(other)


def item_units(item: Item) -> list[tuple[str, list[str]]]:
    """The item's own sentences and options of six words or more (not labels such as a law's
    name or a strategy, which every module repeats)."""
    stem = "\n".join(line for line in item.stem.splitlines() if not line.strip().startswith("|"))
    return _units([stem], 6) + _units(list(item.options.values()), 6)


def copied_from_practice(items: list[Item], corpus: dict[str, list[str]]) -> list[str]:
    found = []
    units = {origin: _units(texts, 4) for origin, texts in corpus.items()}
    for item in items:
        for sentence, tokens in item_units(item):
            for origin, theirs in units.items():
                for other_sentence, other in theirs:
                    if _copied(tokens, other):
                        found.append(f"Soal {item.number}: {sentence!r} ~ {origin}: "
                                     f"{other_sentence!r}")
    return found


@pytest.mark.parametrize("form", FORMS)
def test_no_item_repeats_a_practised_sentence(form):
    assert copied_from_practice(ITEMS[form], practised_texts()) == []


def _lesson_quizzes() -> list[tuple[str, list[str]]]:
    """(question, options) of every ``kuis(...)`` call in the lessons."""
    found = []
    course = manifest.load_course()
    for module in course.modules:
        if not module.lesson:
            continue
        for cell in nbformat.read(course.root / module.lesson, as_version=4).cells:
            try:
                tree = ast.parse(_text(cell)) if cell.cell_type == "code" else None
            except SyntaxError:
                continue
            for node in ast.walk(tree) if tree else ():
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "kuis" \
                        and len(node.args) >= 2:
                    try:
                        question, options = (ast.literal_eval(node.args[0]),
                                             ast.literal_eval(node.args[1]))
                    except ValueError:  # built from variables: not a literal quiz
                        continue
                    found.append((question, list(options.values())))
    return found


def test_the_copy_check_notices_practised_items():
    """The check above is not blind: example activities, lesson quizzes and exercises are caught."""
    from coursekit.tpbis import CONTOH_KEGIATAN

    corpus = practised_texts()
    for example in CONTOH_KEGIATAN:
        reworded = Item(1, "x", 1, f"Sebuah perpustakaan desa {example.teks[0].lower()}"
                        f"{example.teks[1:]} Kegiatan ini termasuk strategi yang mana?")
        assert copied_from_practice([reworded], corpus), example.teks
    quizzes = _lesson_quizzes()
    assert len(quizzes) >= 20
    for question, options in quizzes:
        asked = Item(2, "x", 1, f"Menurut Anda, {question}")
        if item_units(asked):  # a sentence long enough to be checked
            assert copied_from_practice([asked], corpus), question
        offered = Item(3, "x", 1, "Pilih satu.", dict(zip("abcdefgh"[:len(options)], options,
                                                           strict=True)))
        assert len(copied_from_practice([offered], corpus)) >= len(item_units(offered)), options
    first_edition_post_2 = "Perpustakaan termasuk **urusan wajib non pelayanan dasar** menurut ..."
    assert copied_from_practice([Item(2, "x", 1, first_edition_post_2)], corpus)


def _distinctive_numbers(text: str) -> set[str]:
    """Figures of a scenario (10 or more, not a year, not a law's number): '1.250' -> '1250'."""
    text = re.sub(r"(?:UU|PP|Perka Perpusnas|Nomor|No\.)\s*(?:No\.\s*)?\d+(?:/| Tahun )\d{4}", " ", text)
    numbers = {n.replace(".", "") for n in re.findall(r"\d{1,3}(?:\.\d{3})+|\d+", text)}
    return {n for n in numbers if int(n) >= 10 and not 1990 <= int(n) <= 2030}


@pytest.mark.parametrize("form", FORMS)
def test_no_item_reuses_the_figures_of_a_practised_case(form):
    """A case with the same figures as an exercise or lesson example is the same case."""
    common = {"100", "1000", "56"}  # percent and SNP minimums (FACTS.md): every module repeats them
    cells = []
    course = manifest.load_course()
    for module in course.modules:
        paths = [course.root / module.lesson] if module.lesson else []
        if module.assignment and module.assignment not in FORMS:
            paths.append(release_path(module.assignment))
        for path in paths:
            nb = nbformat.read(path, as_version=4)
            cells += [(path.name, _distinctive_numbers(_text(c))) for c in nb.cells]
    for item in ITEMS[form]:
        figures = _distinctive_numbers(item.stem + " ".join(item.options.values())) - common
        # two small figures meet by chance; three, or a large one, make a case recognisable
        if len(figures) < 2 or (len(figures) == 2 and max(map(int, figures)) < 100):
            continue
        same = [name for name, numbers in cells if figures <= numbers]
        assert not same, f"{form} Soal {item.number}: figures {sorted(figures)} as in {same}"


# --- keys follow from the items; visible checks hide them; hidden tests guard -----------------

SNP_DESA = {  # FACTS.md, SNP for village libraries (Perka Perpusnas 6/2017): minimums
    "judul": 1000, "gedung": 56, "buka": 6, "tenaga": 2,
}


@pytest.mark.parametrize("form", FORMS)
def test_the_snp_items_key_is_the_criterion_not_met(form):
    item = next(i for i in ITEMS[form] if i.topic.startswith("SNP"))
    figures = {
        "judul": re.search(r"koleksi ([\d.]+) judul", item.stem),
        "gedung": re.search(r"seluas (\d+) m²", item.stem),
        "buka": re.search(r"buka (\d+) jam", item.stem),
        "tenaga": re.search(r"(\d+) tenaga", item.stem),
    }
    assert all(figures.values()), "the SNP item no longer lists its figures as expected"
    unmet = [name for name, m in figures.items() if int(m.group(1).replace(".", "")) < SNP_DESA[name]]
    assert len(unmet) == 1, (form, unmet)
    assert unmet[0] in item.options[item.key], (form, item.options[item.key])


def _run(item: Item, answer: str) -> None:
    """Run an item's answer and test cells (hidden tests included) with ``answer`` typed in."""
    namespace: dict = {}
    exec("from coursekit import cek", namespace)
    exec(f"jawaban_{item.number:02d} = {answer}", namespace)
    exec(item.test_source, namespace)


def _wrong_answers(item: Item) -> list[str]:
    if item.options:
        return [repr(letter) for letter in item.options if letter != item.key]
    right = ast.literal_eval(item.solution)
    if isinstance(right, str):
        return [repr(w) for w in ("hijau", "kuning", "merah") if w != right]
    return [repr(right + 1), repr(round(right * 0.9, 2)), repr(right / 100)]


@pytest.mark.parametrize("form", FORMS)
def test_hidden_tests_pass_the_key_and_catch_every_wrong_answer(form):
    for item in ITEMS[form]:
        assert "### BEGIN HIDDEN TESTS" in item.test_source, (form, item.number)
        _run(item, item.solution)
        for wrong in _wrong_answers(item):
            with pytest.raises(AssertionError):
                _run(item, wrong)


@pytest.mark.parametrize("form", FORMS)
def test_visible_checks_do_not_reveal_the_key(form):
    release = load_items(release_path(form))
    assert [i.number for i in release] == [i.number for i in ITEMS[form]]
    for public, item in zip(release, ITEMS[form], strict=True):
        assert "HIDDEN" not in public.test_source and "SOLUTION" not in public.answer_source
        answer = item.solution
        assert not re.search(rf"jawaban_\d+\s*=\s*{re.escape(answer)}", public.answer_source), \
            (form, item.number)
        checks = public.test_source
        assert not re.search(rf"==\s*{re.escape(answer)}", checks), (form, item.number)
        if not item.options and not answer.startswith(('"', "'")):
            assert answer not in checks, (form, item.number)


# --- wording -----------------------------------------------------------------------------------

GLOSSARY_FAULTS = {
    r"\bengagement\b": "interaksi / tingkat interaksi",
    r"\be-?mail\b": "surel",
    r"tidak dipublikasikan": "tidak kami temukan dalam sumber publik",
    r"\d %": "75% (tanpa spasi)",
    r"pesan kesalahan|kotak merah": "pesan galat",
    r"key performance indicator": "indikator kinerja utama (KPI)",
}


@pytest.mark.parametrize("path", [p(f) for f in FORMS for p in (source_path, release_path)],
                         ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_participant_text_follows_the_glossary(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(_text(c) for c in nb.cells)
    for pattern, instead in GLOSSARY_FAULTS.items():
        assert not re.search(pattern, text, re.I), f"{path.name}: {pattern!r} → {instead}"
    flat = " ".join(text.split())
    assert flat[:flat.index("KPI") + 4].endswith("indikator kinerja utama (KPI)"), \
        f"{path.name}: the first KPI is not introduced as indikator kinerja utama (KPI)"


# --- the blueprint -------------------------------------------------------------------------------

def _plain(text: str) -> str:
    text = re.sub(r"^\s*>\s?", "", text, flags=re.M)
    return " ".join(re.sub(r"[*`_]", "", text).split())


def test_the_blueprint_describes_every_item_of_both_forms():
    blueprint = BLUEPRINT.read_text(encoding="utf-8")
    sections = re.split(r"^### ", blueprint, flags=re.M)[1:]
    by_number = {}
    for section in sections:
        match = re.match(r"Soal (\d+) — (.+)", section)
        if match:
            by_number[int(match.group(1))] = section
    pre, post = ITEMS["pre"], ITEMS["post"]
    assert sorted(by_number) == [i.number for i in pre]
    for a, b in zip(pre, post, strict=True):
        section = by_number[a.number]
        assert section.splitlines()[0].split(" — ", 1)[1].strip() == a.topic, a.number
        for label in ("Topic (module):", "Skill:", "Level:", "Why parallel:", "FACTS:"):
            assert re.search(rf"^- \*\*{re.escape(label)}\*\* \S", section, re.M), (a.number, label)
        plain = _plain(section)
        for form, item in (("pre", a), ("post", b)):
            assert _plain(item.stem) in plain, f"Soal {item.number}: {form} stem not quoted"
            if item.options:
                assert f"key {form} {item.key}" in plain, f"Soal {item.number}: {form} key"
