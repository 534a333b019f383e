"""The curriculum manifest ``course/course.toml``: modules, JP hours, weights, completion rule."""

from __future__ import annotations

import dataclasses
import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from autograder.errors import SpptikError

REPO_ROOT = Path(__file__).resolve().parents[2]
COURSE_DIR = REPO_ROOT / "course"
SOURCE_DIR = REPO_ROOT / "source"
RELEASE_DIR = REPO_ROOT / "assignments"
MANIFEST_PATH = COURSE_DIR / "course.toml"

KINDS = {"orientasi", "tes_awal", "latihan", "capstone", "tes_akhir"}


class ManifestError(SpptikError, ValueError):
    """course.toml is missing something or contradicts itself (message in Indonesian)."""


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    day: int
    jp: float
    kind: str
    weight: float = 0.0
    required: bool = True
    lesson: str | None = None
    assignment: str | None = None

    @property
    def assignment_id(self) -> str:
        """The nbgrader assignment of a module that has one (those of ``Course.assignments``)."""
        if self.assignment is None:
            raise ManifestError(f"modul {self.id} tidak punya tugas nbgrader (assignment)")
        return self.assignment


@dataclass(frozen=True)
class CompletionRule:
    """The completion rule; defaults are this project's own (no official rule is published)."""

    min_final_score: float = 70.0
    capstone: str | None = "m08"
    min_capstone_manual_percent: float = 60.0
    pre_test: str | None = "pre"
    post_test: str | None = "post"
    require_post_test: bool = True


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    programme: str
    days: int
    modules: tuple[Module, ...]
    completion: CompletionRule
    root: Path = field(default=COURSE_DIR, compare=False)

    @property
    def assignments(self) -> list[Module]:
        """Modules that have an nbgrader assignment, in course order."""
        return [m for m in self.modules if m.assignment]

    @property
    def assignment_ids(self) -> list[str]:
        return [m.assignment for m in self.modules if m.assignment]

    def module_for(self, assignment_id: str) -> Module:
        for module in self.modules:
            if module.assignment == assignment_id:
                return module
        raise KeyError(assignment_id)

    @property
    def total_jp(self) -> float:
        return sum(m.jp for m in self.modules)

    @property
    def total_weight(self) -> float:
        return sum(m.weight for m in self.assignments)


SECTIONS = ("course", "modules", "completion")
COURSE_KEYS = ("id", "title", "programme", "days")
MODULE_KEYS = tuple(f.name for f in dataclasses.fields(Module))
RULE_KEYS = tuple(f.name for f in dataclasses.fields(CompletionRule))


def _unknown_keys(table, known: tuple[str, ...], where: str, problems: list[str]) -> None:
    """A mistyped key is named, with the nearest known key, instead of being ignored or crashing."""
    if not isinstance(table, dict):
        problems.append(f"{where} harus berupa tabel")
        return
    for key in table:
        if key not in known:
            near = difflib.get_close_matches(key, known, n=1)
            hint = f" (maksudnya '{near[0]}'?)" if near else ""
            problems.append(f"{where}: kunci '{key}' tidak dikenal{hint}; yang dikenal: {', '.join(known)}")


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def load_course(path: str | Path = MANIFEST_PATH) -> Course:
    """Read and check course.toml; raise ManifestError with every problem found."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ManifestError(f"Manifest kurikulum tidak ditemukan: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"Manifest kurikulum {path} tidak dapat dibaca: {exc}") from exc

    problems: list[str] = []
    _unknown_keys(data, SECTIONS, "course.toml", problems)
    info = data.get("course", {})
    _unknown_keys(info, COURSE_KEYS, "[course]", problems)
    modules = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("modules", []), start=1):
        _unknown_keys(raw, MODULE_KEYS, f"modul ke-{i} ([[modules]])", problems)
        missing = [k for k in ("id", "title", "jp", "kind") if k not in raw]
        if missing:
            problems.append(f"modul ke-{i}: kolom {', '.join(missing)} belum diisi")
            continue
        bad = [k for k in ("jp", "weight", "day") if k in raw and not _is_number(raw[k])]
        if bad:
            problems.append(f"modul '{raw['id']}': {', '.join(bad)} harus berupa angka")
            continue
        if raw["id"] in seen:
            problems.append(f"modul '{raw['id']}' tercantum dua kali")
        seen.add(raw["id"])
        if raw["kind"] not in KINDS:
            problems.append(f"modul '{raw['id']}': jenis '{raw['kind']}' tidak dikenal")
        if float(raw.get("weight", 0)) < 0 or float(raw["jp"]) < 0:
            problems.append(f"modul '{raw['id']}': bobot dan JP tidak boleh negatif")
        modules.append(Module(
            id=raw["id"], title=raw["title"], day=int(raw.get("day", 1)), jp=float(raw["jp"]),
            kind=raw["kind"], weight=float(raw.get("weight", 0)),
            required=bool(raw.get("required", True)), lesson=raw.get("lesson"),
            assignment=raw.get("assignment"),
        ))
    if not modules:
        problems.append("tidak ada modul")

    raw_rule = data.get("completion", {})
    _unknown_keys(raw_rule, RULE_KEYS, "[completion]", problems)
    rule = CompletionRule(**{k: v for k, v in raw_rule.items() if k in RULE_KEYS})
    for key in ("min_final_score", "min_capstone_manual_percent"):
        if not _is_number(getattr(rule, key)):
            problems.append(f"aturan kelulusan: {key} harus berupa angka")
            rule = dataclasses.replace(rule, **{key: getattr(CompletionRule(), key)})
    assignment_ids = {m.assignment for m in modules if m.assignment}
    for key in ("capstone", "pre_test", "post_test"):
        value = getattr(rule, key)
        if value and value not in assignment_ids:
            problems.append(f"aturan kelulusan: {key} = '{value}' bukan tugas di manifest")
    if not 0 <= rule.min_final_score <= 100:
        problems.append("aturan kelulusan: min_final_score harus 0–100")
    if sum(m.weight for m in modules if m.assignment) <= 0:
        problems.append("jumlah bobot tugas harus lebih dari 0")
    if problems:
        raise ManifestError("Manifest kurikulum bermasalah:\n- " + "\n- ".join(problems))

    return Course(
        id=info.get("id", "spptik"), title=info.get("title", ""),
        programme=info.get("programme", ""), days=int(info.get("days", 5)),
        modules=tuple(modules),
        completion=rule, root=path.parent,
    )
