"""A cohort's settings (``kohort.toml``): the one reader and the one writer.

Every part of the package that needs a batch's name, course id, gradebook URL, exchange
folder or limits asks :func:`read_settings` (a :class:`~autograder.cohort.workspace.Workspace`
reads it once). The file is validated whole: every unknown key (with the nearest known one as
a suggestion) and every value of the wrong kind is reported at once, in Indonesian, as one
:class:`SettingsError`. :func:`write_settings` is the only writer: TOML from ``tomli_w``,
written atomically with the file's permission bits kept.

Tables other parts of the package own (``[sertifikat]``) are kept as they are and checked by
their owner.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from autograder.errors import SpptikError
from autograder.files import write_atomic

FILE_NAME = "kohort.toml"
DEFAULT_COURSE_ID = "spptik"
# Tables owned by other stages: kept whole here, validated by their owner.
TABLES = ("sertifikat",)


class SettingsError(SpptikError, ValueError):
    """kohort.toml cannot be used; the message lists every problem."""


@dataclass(frozen=True)
class CohortSettings:
    """What ``kohort.toml`` holds. Only ``name`` and ``course_id`` are required."""

    name: str
    course_id: str = DEFAULT_COURSE_ID
    created: str | None = None
    # gradebook URL (SQLite in the cohort folder when absent; SPPTIK_DB_URL overrides)
    db_url: str | None = None
    # nbgrader exchange root (the cohort's own exchange/ when absent; SPPTIK_EXCHANGE overrides)
    exchange: str | None = None
    # seconds a notebook cell may run before grading stops it (nbgrader's Execute.timeout)
    cell_timeout: int | None = None
    # how many gradebook snapshots to keep (gradebook_guard)
    cadangan_disimpan: int | None = None
    tables: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def as_toml(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name != "tables" and value is not None:
                data[f.name] = value
        for name, table in self.tables.items():
            data[name] = dict(table)
        return data

    def with_changes(self, **changes: Any) -> CohortSettings:
        return dataclasses.replace(self, **changes)


_TYPES: dict[str, type] = {f.name: (str if "str" in str(f.type) else int)
                           for f in dataclasses.fields(CohortSettings) if f.name != "tables"}
_POSITIVE = ("cell_timeout", "cadangan_disimpan")


def parse_settings(data: Mapping[str, Any], where: str = FILE_NAME) -> CohortSettings:
    """Check a parsed kohort.toml; every problem is reported at once."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    tables: dict[str, Mapping[str, Any]] = {}
    known = [*_TYPES, *TABLES]
    for key, value in data.items():
        if key in TABLES:
            if not isinstance(value, Mapping):
                problems.append(f"'{key}' harus berupa tabel [{key}]")
            else:
                tables[key] = dict(value)
        elif key not in _TYPES:
            near = difflib.get_close_matches(key, known, n=1)
            hint = f" (maksudnya '{near[0]}'?)" if near else ""
            problems.append(f"kunci '{key}' tidak dikenal{hint}. Kunci yang dikenal: {', '.join(known)}")
        elif _TYPES[key] is int and (isinstance(value, bool) or not isinstance(value, int)):
            problems.append(f"'{key}' harus bilangan bulat, bukan {value!r}")
        elif _TYPES[key] is int and key in _POSITIVE and value < 1:
            problems.append(f"'{key}' harus lebih dari 0, bukan {value}")
        elif _TYPES[key] is str and not isinstance(value, str):
            problems.append(f"'{key}' harus teks (dalam tanda kutip), bukan {value!r}")
        else:
            values[key] = value
    if "name" not in data:
        problems.append("kunci 'name' (nama angkatan) tidak ada")
    if problems:
        raise SettingsError(f"{where} tidak dapat dipakai:\n" + "\n".join(f"  - {p}" for p in problems))
    return CohortSettings(**values, tables=tables)


def read_settings(root: str | Path) -> CohortSettings:
    """The settings of the cohort in ``root``."""
    path = Path(root) / FILE_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError(f"{Path(root)} bukan ruang kerja kohort (tidak ada {FILE_NAME}). "
                            "Buat dulu dengan: spptik init FOLDER --roster peserta.csv") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path} tidak dapat dibaca: {exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path} bukan TOML yang sah: {exc}") from exc
    return parse_settings(data, str(path))


def write_settings(root: str | Path, settings: CohortSettings) -> Path:
    """Write ``kohort.toml`` whole (atomically), keeping the file's permission bits."""
    path = Path(root) / FILE_NAME
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
    text = "# Pengaturan kohort SPP-TIK (ditulis oleh spptik; boleh disunting dengan hati-hati)\n"
    text += tomli_w.dumps(settings.as_toml())
    return write_atomic(path, text, mode=mode)


def update_settings(root: str | Path, **changes: Any) -> CohortSettings:
    """Read, change and write back the cohort's settings."""
    settings = read_settings(root).with_changes(**changes)
    write_settings(root, settings)
    return settings


def exchange_root(root: str | Path, settings: CohortSettings, environ: Mapping[str, str] | None = None,
                  *, default: str | Path | None = None) -> Path:
    """The nbgrader exchange a cohort uses: ``SPPTIK_EXCHANGE``, else kohort.toml's ``exchange``,
    else ``default`` (the training site passes its shared folder), else the cohort's own
    ``exchange/`` folder. The one place this is decided."""
    env = os.environ if environ is None else environ
    chosen = (env.get("SPPTIK_EXCHANGE") or "").strip() or settings.exchange or default
    return Path(chosen) if chosen else Path(root) / "exchange"


def gradebook_url(root: str | Path, settings: CohortSettings,
                  environ: Mapping[str, str] | None = None) -> str:
    """``SPPTIK_DB_URL``, else kohort.toml's ``db_url``, else SQLite in the cohort folder."""
    env = os.environ if environ is None else environ
    # a generous busy timeout: parallel graders and the formgrader share one SQLite file
    return (env.get("SPPTIK_DB_URL") or settings.db_url
            or f"sqlite:///{Path(root).resolve() / 'gradebook.db'}?timeout=60")
