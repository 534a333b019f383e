"""Synthetic people and submissions for the demo, tests and benchmarks.

Every name here is invented; provinces and kabupaten/kota are real places with
their Kemendagri codes. A synthetic answer is made the way a participant makes
one: by typing into the released notebook's answer cells (here: replacing the
stub with the text of the source solution), never by touching test cells.
"""

from __future__ import annotations

import copy
import json
import math
import random
import re
from pathlib import Path

from autograder.cohort.roster import Participant

PLACES = [
    # (kode kabupaten/kota, kabupaten/kota, provinsi)
    ("13.71", "Kota Padang", "Sumatera Barat"),
    ("13.06", "Kabupaten Padang Pariaman", "Sumatera Barat"),
    ("33.05", "Kabupaten Kebumen", "Jawa Tengah"),
    ("33.73", "Kota Salatiga", "Jawa Tengah"),
    ("34.02", "Kabupaten Bantul", "DI Yogyakarta"),
    ("52.01", "Kabupaten Lombok Barat", "Nusa Tenggara Barat"),
    ("73.71", "Kota Makassar", "Sulawesi Selatan"),
    ("53.71", "Kota Kupang", "Nusa Tenggara Timur"),
]
FIRST_L = ["Andi", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Irfan", "Joko", "Rahmat", "Yusuf"]
FIRST_P = ["Ani", "Dewi", "Fitri", "Lestari", "Maya", "Nur", "Putri", "Rina", "Sari", "Wulan"]
LAST = ["Saputra", "Hidayat", "Lubis", "Siregar", "Wibowo", "Kurniawan", "Rahmawati",
        "Pratiwi", "Nasution", "Halim", "Syahputra", "Utami"]
VILLAGES = ["Sukamaju", "Sumber Rejeki", "Mekar Sari", "Tanjung Harapan", "Suka Damai",
            "Karang Anyar", "Bukit Indah", "Sido Mulyo"]

# Profiles of participants in a realistic batch, in the proportions of a 24-person cohort.
PROFILES = (["lengkap"] * 13 + ["sebagian"] * 3 + ["kosong"] * 2 + ["tidak_mengumpulkan"] * 2
            + ["lemah"] * 2 + ["menunggu"] + ["tugas_akhir_lemah"])


def make_roster(n: int = 24, seed: int = 2022, prefix: str = "DEMO") -> list[Participant]:
    rng = random.Random(seed)
    people = []
    used: set[str] = set()
    for i in range(1, n + 1):
        sex = rng.choice("LP")
        name = ""
        while not name or name in used:  # unique names keep the demo readable
            first = rng.choice(FIRST_L if sex == "L" else FIRST_P)
            name = f"{first} {rng.choice(LAST)}"
            if len(used) >= len(FIRST_L) * len(LAST):
                name = f"{name} {i}"
        used.add(name)
        code, kab, prov = PLACES[(i - 1) % len(PLACES)]
        kind = ["desa", "kabupaten_kota", "desa", "kabupaten_kota", "provinsi"][i % 5]
        if kind == "desa":
            village = rng.choice(VILLAGES)
            institution = f"Perpustakaan Desa {village}"
            region = f"{code}.01.{2000 + rng.randint(1, 30)}"
        elif kind == "provinsi":
            institution = f"Dinas Perpustakaan dan Kearsipan Provinsi {prov}"
            region = code.split(".")[0]
            kab = "(tingkat provinsi)"
        else:
            institution = f"Dinas Perpustakaan dan Kearsipan {kab}"
            region = code
        people.append(Participant(
            id_peserta=f"{prefix}-{i:04d}", nama=name, jenis_kelamin=sex,
            instansi=institution, jenis_perpustakaan=kind, kode_wilayah=region,
            kabupaten_kota=kab, provinsi=prov,
            email=f"{prefix.lower()}{i:04d}@contoh.invalid", telepon=f"0800-0000-{i:04d}",
        ))
    return people


def profile_for(index: int, n: int) -> str:
    """The profile of participant ``index`` (0-based) so every cohort size gets the mix."""
    return PROFILES[(index * len(PROFILES)) // max(n, 1)]


# Answers -------------------------------------------------------------------------------

def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else source


def solution_answers(source_nb: dict) -> dict[str, str]:
    """What a participant who knows the answers types into each answer cell, by grade id."""
    answers = {}
    for cell in source_nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not meta.get("solution"):
            continue
        lines = [line for line in _text(cell["source"]).splitlines()
                 if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line]
        answers[meta["grade_id"]] = "\n".join(lines).strip("\n")
    return answers


def answer_cells(released_nb: dict) -> list[dict]:
    return [c for c in released_nb["cells"]
            if c.get("metadata", {}).get("nbgrader", {}).get("solution")]


def fill(released_nb: dict, answers: dict[str, str], which: set[str] | None = None) -> dict:
    """A copy of the released notebook with the chosen answer cells typed in."""
    nb = copy.deepcopy(released_nb)
    for cell in answer_cells(nb):
        grade_id = cell["metadata"]["nbgrader"]["grade_id"]
        if grade_id in answers and (which is None or grade_id in which):
            cell["source"] = answers[grade_id]
    return nb


def partly(released_nb: dict, answers: dict[str, str], share: float, rng: random.Random) -> dict:
    ids = [c["metadata"]["nbgrader"]["grade_id"] for c in answer_cells(released_nb)]
    chosen = {g for g in ids if rng.random() < share}
    return fill(released_nb, answers, chosen)


def load(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def dump(nb: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


# Ability model -------------------------------------------------------------------------------
# Each synthetic participant has an ability, each answer cell a difficulty; an answer is
# right with the logistic (Rasch) probability 1 / (1 + exp(-(ability + shift - difficulty))).
# The shift is where in the course the answer is given: before the training (tes awal), in
# an exercise that can be checked and tried again (latihan), after the training (tes akhir).
SHIFT_PRE = -1.0
SHIFT_EXERCISE = 3.0
SHIFT_POST = 1.3
# A wrong answer is sometimes left as it was (the stub): the participant did not try.
SHARE_LEFT_BLANK = 0.35
CHOICE = re.compile(r'^(\s*\w+\s*=\s*)"([a-e])"\s*$')
NUMBER = re.compile(r"^(\s*\w+\s*=\s*)(-?\d+(?:\.\d+)?)\s*$")
COLOURS = ("hijau", "kuning", "merah")


def ability(rng: random.Random, weak: bool = False) -> float:
    """A participant's ability on the logit scale; weak participants sit lower."""
    return rng.gauss(-1.3, 0.7) if weak else rng.gauss(0.4, 0.6)


def difficulty(assignment: str, grade_id: str, parallel: tuple[str, ...] = ("pre", "post")) -> float:
    """An answer cell's difficulty, fixed by its name (the same in every run).

    The pre- and post-test are parallel forms: item 05 of one is as hard as item 05 of the other.
    """
    key = grade_id.split("_", 1)[-1] if assignment in parallel else grade_id
    return random.Random(f"{key}").gauss(0.0, 0.9)


def p_right(theta: float, b: float, shift: float) -> float:
    return 1.0 / (1.0 + math.exp(-(theta + shift - b)))


def wrong_answer(solution: str, rng: random.Random) -> str | None:
    """A plausible wrong answer typed over the solution: another choice, another number.

    None where the answer is not a simple choice or number (the cell is left as released).
    """
    lines, changed = [], False
    for line in solution.splitlines():
        choice, number = CHOICE.match(line), NUMBER.match(line)
        if choice:
            other = rng.choice([c for c in "abcd" if c != choice.group(2)])
            line, changed = f'{choice.group(1)}"{other}"', True
        elif number:
            value = float(number.group(2))
            line, changed = f"{number.group(1)}{round(value * rng.choice([0.8, 1.25]) + 1, 2)}", True
        else:
            for colour in COLOURS:
                if line.rstrip().endswith(f'"{colour}"'):
                    other = rng.choice([c for c in COLOURS if c != colour])
                    line, changed = line.rstrip()[: -len(colour) - 2] + f'"{other}"', True
                    break
        lines.append(line)
    return "\n".join(lines) if changed else None


def by_ability(released_nb: dict, answers: dict[str, str], assignment: str, theta: float,
               shift: float, rng: random.Random) -> dict:
    """The released notebook answered by a participant of ability ``theta``.

    Answers graded by hand (Markdown) are always written; they are scored by the trainer.
    """
    nb = copy.deepcopy(released_nb)
    for cell in answer_cells(nb):
        grade_id = cell["metadata"]["nbgrader"]["grade_id"]
        if grade_id not in answers:
            continue
        if cell["cell_type"] == "markdown" or rng.random() < p_right(theta, difficulty(assignment, grade_id),
                                                                    shift):
            cell["source"] = answers[grade_id]
        elif rng.random() >= SHARE_LEFT_BLANK:
            wrong = wrong_answer(answers[grade_id], rng)
            if wrong is not None:
                cell["source"] = wrong
    return nb
