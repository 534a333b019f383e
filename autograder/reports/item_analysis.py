"""``spptik analisis``: item statistics, pre/post learning gain and where the class got stuck.

One cohort or many (a national analysis pools cohorts). A participant id found in more
than one cohort is reported, as ``merge`` does, and counted once: in the first cohort (in
the order the folders were given) whose roster lists it. The formulas are in
``analysis.py``; what is read from a cohort is in ``item_data.py``; the charts in
``analysis_charts.py``. Everything is written atomically: ``butir.csv``, ``tes.csv``,
``peningkatan.csv``, ``tersendat.csv``, ``analisis.xlsx`` and ``analisis.html``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from autograder.cohort.roster import LIBRARY_TYPE_LABELS, SEX_LABELS
from autograder.cohort.workspace import Workspace
from autograder.course.manifest import Course
from autograder.errors import SpptikError
from autograder.files import write_atomic
from autograder.reports import analysis, item_data
from autograder.reports.export import XLSX_OPTIONS, _sheet, write_csv
from autograder.reports.scores import submission_scores

TEMPLATES = Path(__file__).resolve().parent / "templates" / "analisis"

# Below these counts a figure is shown with a note that it is not yet to be trusted.
MIN_ITEM_N = 20    # item statistics and α
MIN_GAIN_N = 10    # the class gain
MIN_GROUP_N = 5    # a gain per province, library type, gender or batch
STUCK_ROWS = 12    # checks listed on the page under "where the class got stuck"

GROUPS = {"Per Angkatan": "angkatan", "Per Provinsi": "provinsi",
          "Per Jenis Perpustakaan": "jenis_perpustakaan", "Per Jenis Kelamin": "jenis_kelamin"}


class AnalysisError(SpptikError):
    """The analysis cannot be made (message in Indonesian)."""


@dataclass
class CohortData:
    """What one cohort contributes, already read from its gradebook and folders."""

    name: str
    course: Course
    participants: pd.DataFrame   # id_peserta, angkatan, provinsi, jenis_perpustakaan, jenis_kelamin
    submissions: pd.DataFrame    # scores.submission_scores
    items: pd.DataFrame          # item_data.item_scores
    texts: pd.DataFrame          # item_data.item_texts
    checks: pd.DataFrame         # item_data.failed_checks


@dataclass
class Analysis:
    batches: list[str]
    items: pd.DataFrame
    tests: pd.DataFrame
    gains: pd.DataFrame
    summary: dict
    groups: dict[str, pd.DataFrame]
    stuck: pd.DataFrame
    duplicates: pd.DataFrame
    texts: pd.DataFrame
    pre: str | None = None
    post: str | None = None


@dataclass
class AnalysisResult:
    folder: Path
    analysis: Analysis
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def html(self) -> Path:
        return self.files["html"]


# Reading ---------------------------------------------------------------------------------------

def read_cohort(ws: Workspace) -> CohortData:
    people = pd.DataFrame([{
        "id_peserta": p.id_peserta, "angkatan": ws.name, "provinsi": p.provinsi,
        "jenis_perpustakaan": LIBRARY_TYPE_LABELS.get(p.jenis_perpustakaan, p.jenis_perpustakaan),
        "jenis_kelamin": SEX_LABELS.get(p.jenis_kelamin, p.jenis_kelamin),
    } for p in ws.participants], columns=["id_peserta", "angkatan", "provinsi",
                                           "jenis_perpustakaan", "jenis_kelamin"])
    return CohortData(name=ws.name, course=ws.course, participants=people,
                      submissions=submission_scores(ws), items=item_data.item_scores(ws),
                      texts=item_data.item_texts(ws), checks=item_data.failed_checks(ws))


# Pooling ---------------------------------------------------------------------------------------

def pool(cohorts: list[CohortData]) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """All cohorts' rows together, each participant once; and the ids found in several cohorts."""
    seen: dict[str, str] = {}
    batches_of: dict[str, list[str]] = {}
    parts: dict[str, list[pd.DataFrame]] = {k: [] for k in ("participants", "submissions", "items",
                                                             "checks")}
    for c in cohorts:
        ids = list(dict.fromkeys(c.participants["id_peserta"]))
        for pid in ids:
            batches_of.setdefault(pid, []).append(c.name)
        mine = [pid for pid in ids if pid not in seen]
        for pid in mine:
            seen[pid] = c.name
        keep = set(mine)
        parts["participants"].append(c.participants[c.participants["id_peserta"].isin(keep)]
                                     .drop_duplicates("id_peserta"))
        for key, column in (("submissions", "student"), ("items", "student"), ("checks", "student")):
            frame = getattr(c, key)
            parts[key].append(frame[frame[column].isin(keep)])
    pooled = {k: pd.concat(v, ignore_index=True) for k, v in parts.items()}
    dup = [{"id_peserta": pid, "angkatan": "; ".join(b), "dihitung_di": seen[pid]}
           for pid, b in batches_of.items() if len(b) > 1]
    return pooled, pd.DataFrame(dup, columns=["id_peserta", "angkatan", "dihitung_di"])


# Tables ----------------------------------------------------------------------------------------

def _r(value: float, digits: int) -> float:
    """Rounded for the tables; an undefined value stays NaN (an empty cell)."""
    return round(float(value), digits) if math.isfinite(value) else math.nan


def item_order(texts: pd.DataFrame, assignment: str, items: list[str]) -> list[str]:
    known = texts[texts["assignment"] == assignment].sort_values(["notebook", "position"])["item"]
    ordered = [i for i in dict.fromkeys(known) if i in items]
    return ordered + sorted(set(items) - set(ordered))


def item_and_test_tables(course: Course, items: pd.DataFrame, texts: pd.DataFrame,
                         checks: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``butir`` (one row per autograded item) and ``tes`` (one row per assignment)."""
    titles = {(r.assignment, r.item): r.title for r in texts.itertuples()}
    failed = checks.groupby(["assignment", "item"])["student"].nunique().to_dict()
    order = course.assignment_ids + sorted(set(items["assignment"]) - set(course.assignment_ids))
    modules = {m.assignment: m for m in course.assignments}
    item_rows, test_rows = [], []
    for assignment in order:
        rows = items[items["assignment"] == assignment]
        if rows.empty:
            continue
        matrix = rows.pivot_table(index="student", columns="item", values="score", aggfunc="first",
                                  dropna=False)
        columns = item_order(texts, assignment, list(matrix.columns))
        matrix = matrix[columns]
        max_points = rows.groupby("item")["max_score"].first()[columns]
        stats = analysis.item_statistics(matrix, max_points)
        for s in stats.to_dict("records"):
            reasons = analysis.revision_reasons(s["p"], s["d"], s["r_it"])
            item_rows.append({
                "tugas": assignment, "butir": s["butir"],
                "soal": titles.get((assignment, s["butir"]), ""), "poin_maks": s["poin_maks"],
                "n": s["n"], "p": _r(s["p"], 3), "d": _r(s["d"], 3), "r_it": _r(s["r_it"], 3),
                "gagal": int(failed.get((assignment, s["butir"]), 0)), "tinjau": "; ".join(reasons),
            })
        t = analysis.test_statistics(matrix, max_points)
        module = modules.get(assignment)
        test_rows.append({
            "tugas": assignment, "judul": module.title if module else "",
            "jenis": module.kind if module else "", "n": t["n"], "k": t["k"],
            "alpha": _r(t["alpha"], 3), "rumus": t["rumus"], "poin_maks": t["poin_maks"],
            "rata_rata": _r(t["rata_rata"], 2), "sd": _r(t["sd"], 2),
            "rata_rata_persen": _r(t["rata_rata_persen"], 1),
        })
    item_cols = ["tugas", "butir", "soal", "poin_maks", "n", "p", "d", "r_it", "gagal", "tinjau"]
    test_cols = ["tugas", "judul", "jenis", "n", "k", "alpha", "rumus", "poin_maks", "rata_rata", "sd",
                 "rata_rata_persen"]
    return pd.DataFrame(item_rows, columns=item_cols), pd.DataFrame(test_rows, columns=test_cols)


def gain_table(participants: pd.DataFrame, submissions: pd.DataFrame, pre: str | None,
               post: str | None) -> pd.DataFrame:
    """One row per participant who took both tests: percentages and Hake's g."""
    columns = ["id_peserta", "angkatan", "provinsi", "jenis_perpustakaan", "jenis_kelamin",
               "tes_awal", "tes_akhir", "g"]
    if not pre or not post or submissions.empty:
        return pd.DataFrame(columns=columns)
    sub = submissions[submissions["max_score"] > 0]
    percent = (100 * sub["score"] / sub["max_score"]).groupby([sub["student"], sub["assignment"]]).first()
    wide = percent.unstack("assignment") if len(percent) else pd.DataFrame()
    if pre not in wide.columns or post not in wide.columns:
        return pd.DataFrame(columns=columns)
    both = wide[[pre, post]].dropna().rename(columns={pre: "tes_awal", post: "tes_akhir"})
    table = participants.merge(both, left_on="id_peserta", right_index=True, how="inner")
    table["g"] = [_r(analysis.normalised_gain(a, b), 3)
                  for a, b in zip(table["tes_awal"], table["tes_akhir"], strict=True)]
    table["tes_awal"] = table["tes_awal"].round(1)
    table["tes_akhir"] = table["tes_akhir"].round(1)
    return table[columns].reset_index(drop=True)


def gain_summary(gains: pd.DataFrame) -> dict:
    g = analysis.class_gain(gains["tes_awal"], gains["tes_akhir"])
    return {"n": len(gains),
            "tes_awal": _r(float(gains["tes_awal"].mean()), 1) if len(gains) else math.nan,
            "tes_akhir": _r(float(gains["tes_akhir"].mean()), 1) if len(gains) else math.nan,
            "g_kelas": _r(g, 3), "pita": analysis.gain_band(g) or "",
            "n_kecil": len(gains) < MIN_GAIN_N}


def group_gains(gains: pd.DataFrame, column: str) -> pd.DataFrame:
    """⟨g⟩ per value of ``column`` (province, library type, gender, batch)."""
    rows = []
    for value, group in gains.groupby(column, sort=True, dropna=False):
        s = gain_summary(group)
        rows.append({column: value, "n": s["n"], "tes_awal": s["tes_awal"], "tes_akhir": s["tes_akhir"],
                     "g_kelas": s["g_kelas"], "pita": s["pita"],
                     "catatan": f"n < {MIN_GROUP_N}: belum dapat dipercaya" if s["n"] < MIN_GROUP_N
                     else ""})
    return pd.DataFrame(rows, columns=[column, "n", "tes_awal", "tes_akhir", "g_kelas", "pita",
                                       "catatan"])


def stuck_table(checks: pd.DataFrame, items: pd.DataFrame, texts: pd.DataFrame) -> pd.DataFrame:
    """The failed checks, most failed first: the message participants saw and how many saw it."""
    columns = ["tugas", "butir", "soal", "pesan", "peserta", "dikumpulkan"]
    if checks.empty:
        return pd.DataFrame(columns=columns)
    took = items.groupby("assignment")["student"].nunique()
    titles = {(r.assignment, r.item): r.title for r in texts.itertuples()}
    per_item = checks.groupby(["assignment", "item"])["student"].nunique().rename("item_total")
    counted = (checks.groupby(["assignment", "item", "message"])["student"].nunique()
               .rename("peserta").reset_index()
               .merge(per_item.reset_index(), on=["assignment", "item"]))
    counted = counted.sort_values(["item_total", "assignment", "item", "peserta", "message"],
                                  ascending=[False, True, True, False, True], kind="stable")
    return pd.DataFrame({
        "tugas": counted["assignment"], "butir": counted["item"],
        "soal": [titles.get((a, i), "") for a, i in zip(counted["assignment"], counted["item"],
                                                       strict=True)],
        "pesan": counted["message"], "peserta": counted["peserta"].astype(int),
        "dikumpulkan": [int(took.get(a, 0)) for a in counted["assignment"]],
    }, columns=columns).reset_index(drop=True)


def analyse(cohorts: list[CohortData]) -> Analysis:
    """Every table of the analysis, from cohorts already read (no file written)."""
    if not cohorts:
        raise AnalysisError("Tidak ada kohort untuk dianalisis.")
    course = cohorts[0].course
    pooled, duplicates = pool(cohorts)
    texts = pd.concat([c.texts for c in cohorts], ignore_index=True).drop_duplicates(
        ["assignment", "item"])
    items, tests = item_and_test_tables(course, pooled["items"], texts, pooled["checks"])
    pre, post = course.completion.pre_test, course.completion.post_test
    gains = gain_table(pooled["participants"], pooled["submissions"], pre, post)
    groups = {name: group_gains(gains, column) for name, column in GROUPS.items()}
    return Analysis(batches=[c.name for c in cohorts], items=items, tests=tests, gains=gains,
                    summary=gain_summary(gains), groups=groups,
                    stuck=stuck_table(pooled["checks"], pooled["items"], texts),
                    duplicates=duplicates, texts=texts, pre=pre, post=post)


def headline(a: Analysis) -> dict:
    """What a trainer reads first: ⟨g⟩ with its band, α of the two tests, items to revise."""
    alphas = {row.tugas: row.alpha for row in a.tests.itertuples() if row.tugas in (a.pre, a.post)}
    return {"g_kelas": a.summary["g_kelas"], "pita": a.summary["pita"], "n": a.summary["n"],
            "alpha": alphas, "tinjau": int((a.items["tinjau"] != "").sum()),
            "tinjau_tes": int(((a.items["tinjau"] != "") & a.items["tugas"].isin([a.pre, a.post])).sum())}


# Writing ---------------------------------------------------------------------------------------

def write_xlsx(a: Analysis, path: Path) -> Path:
    summary = pd.DataFrame([
        ("Angkatan", "; ".join(a.batches)),
        ("Peserta dengan tes awal dan tes akhir", a.summary["n"]),
        ("Rata-rata tes awal (%)", a.summary["tes_awal"]),
        ("Rata-rata tes akhir (%)", a.summary["tes_akhir"]),
        ("Peningkatan ternormalisasi kelas ⟨g⟩", a.summary["g_kelas"]),
        ("Kategori ⟨g⟩ (Hake 1998)", a.summary["pita"]),
        ("Butir yang perlu ditinjau", int((a.items["tinjau"] != "").sum())),
    ], columns=["Keterangan", "Nilai"])
    sheets = {"Ringkasan": summary, "Butir": a.items, "Tes": a.tests, "Peningkatan": a.gains,
              **a.groups, "Tersendat": a.stuck}
    if len(a.duplicates):
        sheets["ID Ganda"] = a.duplicates

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="xlsxwriter", engine_kwargs={"options": XLSX_OPTIONS}) as writer:
            for name, frame in sheets.items():
                _sheet(writer, name, frame)
    return write_atomic(path, write)


def write_analysis(a: Analysis, folder: Path) -> AnalysisResult:
    from autograder.reports import analysis_page

    folder.mkdir(parents=True, exist_ok=True)
    result = AnalysisResult(folder=folder, analysis=a)
    result.files["butir"] = write_csv(a.items, folder / "butir.csv")
    result.files["tes"] = write_csv(a.tests, folder / "tes.csv")
    result.files["peningkatan"] = write_csv(a.gains, folder / "peningkatan.csv")
    result.files["tersendat"] = write_csv(a.stuck, folder / "tersendat.csv")
    result.files["xlsx"] = write_xlsx(a, folder / "analisis.xlsx")
    created = datetime.now().strftime("%d-%m-%Y %H:%M")
    result.files["html"] = write_atomic(folder / "analisis.html", analysis_page.render(a, created))
    return result


def run_analysis(workspaces: list[Workspace], out: str | Path | None = None) -> AnalysisResult:
    """Read every cohort, analyse them together and write the files (default ``DIR/analisis``)."""
    if not workspaces:
        raise AnalysisError("Sebutkan minimal satu folder kohort.")
    folder = Path(out) if out else workspaces[0].root / "analisis"
    return write_analysis(analyse([read_cohort(ws) for ws in workspaces]), folder)
