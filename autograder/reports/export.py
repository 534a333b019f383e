"""``spptik export``: the completion list, summaries, a chart and one record per participant.

Everything is written atomically (a temporary file, then a rename), so a
failure never leaves a half-written file. Text that a spreadsheet could take
for a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return) is neutralised: prefixed with ``'`` in the CSV, stored as a plain
string in the workbook.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from autograder.cohort.roster import LIBRARY_TYPE_LABELS, SEX_LABELS, Participant
from autograder.cohort.workspace import Workspace
from autograder.files import write_atomic
from autograder.reports import completion, records
from autograder.reports.completion import format_number
from autograder.reports.scores import submission_scores

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
STATUS_ORDER = [completion.LULUS, completion.BELUM_LULUS, completion.MENUNGGU]


@dataclass
class ExportResult:
    folder: Path
    csv: Path | None = None
    xlsx: Path | None = None
    chart: Path | None = None
    summary_html: Path | None = None
    records: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    table: pd.DataFrame | None = None


# Tables -------------------------------------------------------------------------------

def _num(value):
    return None if value is None else round(float(value), 1)


def completion_table(ws: Workspace) -> tuple[pd.DataFrame, list[completion.Outcome]]:
    """The completion list (one row per participant, Indonesian headers) and the outcomes."""
    course = ws.course
    participants = ws.participants
    outcomes = completion.evaluate_all(course, [p.id_peserta for p in participants],
                                       submission_scores(ws))
    return build_table(ws.name, course, participants, outcomes), outcomes


def build_table(batch: str, course, participants: list[Participant],
                outcomes: list[completion.Outcome]) -> pd.DataFrame:
    rows = []
    for p, o in zip(participants, outcomes, strict=True):
        row: dict[str, object] = {
            "ID Peserta": p.id_peserta,
            "Nama": p.nama,
            "Jenis Kelamin": SEX_LABELS.get(p.jenis_kelamin, p.jenis_kelamin),
            "Instansi": p.instansi,
            "Jenis Perpustakaan": LIBRARY_TYPE_LABELS.get(p.jenis_perpustakaan,
                                                          p.jenis_perpustakaan),
            "Kode Wilayah": p.kode_wilayah,
            "Kabupaten/Kota": p.kabupaten_kota,
            "Provinsi": p.provinsi,
            "Angkatan": batch,
        }
        for module in course.assignments:
            row[f"Nilai {module.assignment} (%)"] = _num(o.percent.get(module.assignment))
        row.update({
            "Tes Awal (%)": _num(o.pre_test),
            "Tes Akhir (%)": _num(o.post_test),
            "Peningkatan": _num(o.gain),
            "Nilai Tugas Akhir Manual (%)": _num(o.capstone_manual_percent),
            "Nilai Akhir": _num(o.final_score),
            "JP Diselesaikan": o.jp_completed,
            "Status": o.status,
            "Alasan": "; ".join(o.reasons),
        })
        rows.append(row)
    table = pd.DataFrame(rows)
    table.insert(0, "No", range(1, len(table) + 1))
    return table


def _count(statuses: pd.Series, status: str) -> int:
    return int((statuses == status).sum())


def summarise(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts per status, completion rate and mean gain, per value of ``by``."""
    grouped = table.groupby(by, dropna=False, sort=True)
    out = pd.DataFrame({"Jumlah Peserta": grouped.size()})
    for status in STATUS_ORDER:
        out[status] = grouped["Status"].apply(_count, status)
    out["Tingkat Kelulusan (%)"] = (100 * out[completion.LULUS] / out["Jumlah Peserta"]).round(1)
    out["Rata-rata Peningkatan"] = grouped["Peningkatan"].mean().round(1)
    out = out.reset_index()
    participants = int(out["Jumlah Peserta"].sum())
    per_status = {status: int(out[status].sum()) for status in STATUS_ORDER}
    total: dict[str, object] = {by: "Jumlah", "Jumlah Peserta": participants, **per_status}
    total["Tingkat Kelulusan (%)"] = round(100 * per_status[completion.LULUS] /
                                           max(participants, 1), 1)
    total["Rata-rata Peningkatan"] = round(table["Peningkatan"].mean(), 1) \
        if table["Peningkatan"].notna().any() else None
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


SUMMARIES = {
    "Per Provinsi": "Provinsi",
    "Per Kabupaten-Kota": "Kabupaten/Kota",
    "Per Jenis Perpustakaan": "Jenis Perpustakaan",
    "Per Jenis Kelamin": "Jenis Kelamin",
}


# Safe writing ---------------------------------------------------------------------------

def neutralise(value):
    """Text that would start a spreadsheet formula, made inert for CSV readers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(table: pd.DataFrame, path: Path) -> Path:
    """UTF-8 with BOM (Excel opens it right), every field quoted where needed."""
    safe = table.map(neutralise)
    return write_atomic(path, lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8-sig"))


# XlsxWriter writes every string as a string: no formula, number or link is made of text.
XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False,
                "strings_to_urls": False}


def write_xlsx(table: pd.DataFrame, summaries: dict[str, pd.DataFrame], path: Path,
               chart: Path | None = None) -> Path:
    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="xlsxwriter",
                            engine_kwargs={"options": XLSX_OPTIONS}) as writer:
            _sheet(writer, "Daftar Kelulusan", table)
            for name, frame in summaries.items():
                _sheet(writer, name, frame)
            if chart is not None and chart.exists():
                sheet = writer.book.add_worksheet("Grafik")
                sheet.write_string(0, 0, "Kelulusan per provinsi")
                sheet.insert_image(2, 0, str(chart))
    return write_atomic(path, write)


def _sheet(writer: pd.ExcelWriter, name: str, frame: pd.DataFrame) -> None:
    frame.to_excel(writer, sheet_name=name, index=False)
    sheet = writer.sheets[name]
    for i, column in enumerate(frame.columns):
        values = frame.iloc[:, i].astype(str)
        longest = max([len(str(column)), *values.str.len().head(2000).tolist()])
        sheet.set_column(i, i, min(max(10, longest + 2), 60))
    sheet.freeze_panes(1, 0)


def write_chart(table: pd.DataFrame, path: Path) -> Path:
    """Horizontal bars of participants per province, split by status, with labels."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    counts = (table.groupby(["Provinsi", "Status"]).size().unstack(fill_value=0)
              .reindex(columns=STATUS_ORDER, fill_value=0))
    counts = counts.loc[counts.sum(axis=1).sort_values().index]
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(counts) + 2.2))
    left = pd.Series(0, index=counts.index)
    styles = {completion.LULUS: ("#2e7d32", ""), completion.BELUM_LULUS: ("#c62828", "//"),
              completion.MENUNGGU: ("#ef6c00", "..")}
    for status in STATUS_ORDER:
        color, hatch = styles[status]
        ax.barh(counts.index, counts[status], left=left, color=color, hatch=hatch,
                edgecolor="white", label=status)
        left += counts[status]
    for i, (lulus, total) in enumerate(zip(counts[completion.LULUS], left, strict=True)):
        ax.text(total + 0.1, i, f"{lulus}/{total} lulus", va="center", fontsize=9)
    ax.set_title("Kelulusan peserta per provinsi")
    ax.set_xlabel("Jumlah peserta")
    ax.set_ylabel("Provinsi")
    ax.set_xlim(0, left.max() * 1.25 + 1)
    ax.legend(loc="lower right")
    fig.tight_layout()
    write_atomic(path, lambda tmp: fig.savefig(tmp, format="png", dpi=110))
    plt.close(fig)
    return path


# Records -------------------------------------------------------------------------------

def rule_text(course) -> str:
    rule = course.completion
    parts = ["semua tugas wajib dikumpulkan",
             f"nilai akhir berbobot minimal {format_number(rule.min_final_score)}"]
    if rule.capstone:
        parts.append(f"penilaian manual tugas akhir ({rule.capstone}) minimal "
                     f"{format_number(rule.min_capstone_manual_percent)}%")
    if rule.require_post_test and rule.post_test:
        parts.append("mengikuti tes akhir")
    return "; ".join(parts) + " (aturan bawaan proyek, dapat diubah di course.toml)"


def build_record(ws: Workspace, p: Participant, o: completion.Outcome, created: str) -> dict:
    course = ws.course
    modules = []
    for m in course.assignments:
        pct = o.percent.get(m.assignment_id)
        if pct is None:
            note = "Belum dikumpulkan"
        elif m.assignment in o.pending:
            note = "Menunggu penilaian manual"
        else:
            note = "Dinilai"
        modules.append({"judul": f"{m.id} · {m.title}", "jp": format_number(m.jp),
                        "bobot": format_number(m.weight), "nilai": format_number(pct),
                        "keterangan": note})
    kelas = {completion.LULUS: "lulus", completion.MENUNGGU: "menunggu"}.get(o.status, "belum")
    return {
        "kursus": {"judul": course.title, "program": course.programme},
        "kohort": {"nama": ws.name},  # the batch's name carries its place and dates (spptik init --name)
        "peserta": {
            "id_peserta": p.id_peserta, "nama": p.nama,
            "jenis_kelamin": SEX_LABELS.get(p.jenis_kelamin, p.jenis_kelamin),
            "instansi": p.instansi,
            "jenis_perpustakaan": LIBRARY_TYPE_LABELS.get(p.jenis_perpustakaan,
                                                          p.jenis_perpustakaan),
            "kabupaten_kota": p.kabupaten_kota, "provinsi": p.provinsi,
            "kode_wilayah": p.kode_wilayah,
        },
        "hasil": {
            "status": o.status, "kelas": kelas, "alasan": o.reasons,
            "nilai_akhir": format_number(o.final_score), "tes_awal": format_number(o.pre_test, "%"),
            "tes_akhir": format_number(o.post_test, "%"), "peningkatan": format_number(o.gain),
            "jp_selesai": format_number(o.jp_completed), "jp_total": format_number(course.total_jp),
        },
        "modul": modules,
        "aturan": rule_text(course),
        "dibuat": created,
    }


def write_records(ws: Workspace, outcomes: list[completion.Outcome], folder: Path, *,
                  pdf: bool = False, on_step: Callable[[], None] | None = None
                  ) -> tuple[list[Path], list[Path]]:
    exporter = records.CompletionRecordExporter()
    created = datetime.now().strftime("%d-%m-%Y %H:%M")
    html_paths, pdf_paths = [], []
    for p, o in zip(ws.participants, outcomes, strict=True):
        body, _ = exporter.from_notebook_node(records.record_notebook(build_record(ws, p, o,
                                                                                   created)))
        path = folder / f"{p.id_peserta}.html"
        write_atomic(path, body)
        html_paths.append(path)
        if on_step:
            on_step()
    if pdf and records.pdf_available():
        with records.PdfPrinter() as printer:
            for path in html_paths:
                target = path.with_suffix(".pdf")
                printer.print(path, target)
                pdf_paths.append(target)
    return html_paths, pdf_paths


def write_summary_html(table: pd.DataFrame, summaries: dict[str, pd.DataFrame], chart: Path,
                       path: Path, title: str) -> Path:
    parts = [f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{title}</title>",
             "<style>body{font-family:sans-serif;margin:24px}table{border-collapse:collapse}"
             "td,th{border:1px solid #bbb;padding:4px 8px}th{background:#e8eaf6}</style></head>"
             f"<body><h1>{title}</h1>",
             f"<img src='{chart.name}' alt='Grafik batang jumlah peserta per provinsi menurut "
             "status kelulusan'>",
             f"<p>{(table['Status'] == completion.LULUS).sum()} dari {len(table)} peserta lulus.</p>"]
    for name, frame in summaries.items():
        parts.append(f"<h2>{name}</h2>")
        parts.append(frame.to_html(index=False, na_rep="–", escape=True, decimal=","))
    parts.append("</body></html>")
    text = "\n".join(parts)
    return write_atomic(path, text)


def export(ws: Workspace, out: str | Path | None = None, *, pdf: bool = False,
           on_start: Callable[[int], None] | None = None,
           on_step: Callable[[], None] | None = None) -> ExportResult:
    """Write the completion list (CSV, XLSX), summaries, chart and records."""
    folder = Path(out) if out else ws.root / "ekspor"
    folder.mkdir(parents=True, exist_ok=True)
    table, outcomes = completion_table(ws)
    if on_start:
        on_start(len(table))
    result = ExportResult(folder=folder, table=table)
    summaries = {name: summarise(table, col) for name, col in SUMMARIES.items()}
    result.csv = write_csv(table, folder / "daftar_kelulusan.csv")
    result.chart = write_chart(table, folder / "kelulusan_per_provinsi.png")
    result.xlsx = write_xlsx(table, summaries, folder / "daftar_kelulusan.xlsx", result.chart)
    result.summary_html = write_summary_html(table, summaries, result.chart,
                                             folder / "ringkasan.html",
                                             f"Ringkasan kelulusan – {ws.name}")
    result.records, result.pdfs = write_records(ws, outcomes, folder / "rekam", pdf=pdf,
                                                on_step=on_step)
    write_atomic(folder / "tentang.json", json.dumps(
        {"angkatan": ws.name, "peserta": len(table), "aturan": rule_text(ws.course)},
        ensure_ascii=False, indent=1))
    return result


# National merge ----------------------------------------------------------------------------

@dataclass
class MergeResult:
    folder: Path
    table: pd.DataFrame
    duplicates: pd.DataFrame
    csv: Path | None = None
    xlsx: Path | None = None
    chart: Path | None = None


def merge(workspaces: list[Workspace], out: str | Path) -> MergeResult:
    """One national list from many cohorts; an id found in two cohorts is flagged, not merged."""
    frames = [completion_table(ws)[0] for ws in workspaces]
    table = pd.concat(frames, ignore_index=True, sort=False)
    trailing = ["Tes Awal (%)", "Tes Akhir (%)", "Peningkatan", "Nilai Tugas Akhir Manual (%)",
                "Nilai Akhir", "JP Diselesaikan", "Status", "Alasan"]
    # assignment columns of every cohort, together, whatever each cohort's manifest holds
    score_cols = [c for c in table.columns if c.startswith("Nilai ") and c.endswith("(%)")
                  and c not in trailing]
    leading = [c for c in table.columns if c not in score_cols and c not in trailing]
    table = table[leading + score_cols + trailing]
    table["No"] = range(1, len(table) + 1)
    counts = table.groupby("ID Peserta")["Angkatan"].transform("nunique")
    dup_mask = counts > 1
    table["Catatan"] = ""
    for _pid, group in table[dup_mask].groupby("ID Peserta"):
        batches = ", ".join(group["Angkatan"].astype(str))
        table.loc[group.index, "Catatan"] = f"ID peserta ganda: tercatat di {batches}"
    duplicates = table.loc[dup_mask, ["ID Peserta", "Nama", "Angkatan", "Status"]]
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    result = MergeResult(folder=folder, table=table, duplicates=duplicates)
    summaries = {name: summarise(table, col) for name, col in SUMMARIES.items()}
    summaries["Per Angkatan"] = summarise(table, "Angkatan")
    if len(duplicates):
        summaries["ID Ganda"] = duplicates
    result.csv = write_csv(table, folder / "daftar_kelulusan_nasional.csv")
    result.chart = write_chart(table, folder / "kelulusan_per_provinsi.png")
    result.xlsx = write_xlsx(table, summaries, folder / "daftar_kelulusan_nasional.xlsx", result.chart)
    return result
