"""``analisis.html``: one Indonesian page a trainer reads in five minutes.

Rendered by jinja2 from ``templates/analisis/analisis.html.j2`` with autoescaping on (item
texts and check messages come from notebooks: they are text, never markup). The two charts
are matplotlib SVG, inline: the page loads nothing from anywhere.
"""

from __future__ import annotations

import io
import math
import re
from typing import Any

import pandas as pd
from markupsafe import Markup

from autograder.reports import analysis
from autograder.reports.completion import format_number

BAND_COLOURS = {"rendah": "#c62828", "sedang": "#ef6c00", "tinggi": "#2e7d32"}
DUMBBELL_MAX = 60   # above this many participants the pre/post chart is a scatter


def number(value, digits: int = 2) -> str:
    """A number the Indonesian way (0,45; 12,5), a dash where there is none."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if isinstance(value, int):
        return str(value)
    text = f"{value:.{digits}f}"
    if float(text) == 0:
        text = text.lstrip("-")  # -0,00 is 0,00
    return text.replace(".", ",")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "font.size": 10, "svg.hashsalt": "spptik"})
    return plt


def _svg(fig, label: str) -> Markup:
    plt = _pyplot()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight",
                metadata={"Creator": None, "Date": None, "Format": None, "Type": None})
    plt.close(fig)
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"<svg ", f'<svg role="img" aria-label="{label}" ', text, count=1)
    return Markup(text)  # matplotlib's own SVG (it escapes the labels it writes)


def prepost_chart(gains: pd.DataFrame) -> Markup | None:
    """Each participant's pre and post (a dumbbell per participant; a scatter for many)."""
    if gains.empty:
        return None
    plt = _pyplot()
    data = gains.sort_values(["tes_akhir", "tes_awal", "id_peserta"]).reset_index(drop=True)
    if len(data) <= DUMBBELL_MAX:
        fig, ax = plt.subplots(figsize=(7.5, 0.26 * len(data) + 1.4))
        y = range(len(data))
        ax.hlines(y, data["tes_awal"], data["tes_akhir"], color="#9e9e9e", linewidth=1.5)
        ax.scatter(data["tes_awal"], y, color="#ef6c00", marker="s", s=28, label="Tes awal", zorder=3)
        ax.scatter(data["tes_akhir"], y, color="#1565c0", marker="o", s=30, label="Tes akhir", zorder=3)
        ax.set_yticks(list(y), data["id_peserta"], fontsize=8)
        ax.set_xlabel("Nilai (%)")
        ax.set_xlim(-2, 102)
        ax.set_ylim(-0.8, len(data) - 0.2)
        ax.legend(loc="lower right", fontsize=9, framealpha=0.9)
    else:
        fig, ax = plt.subplots(figsize=(6, 5))
        ax.plot([0, 100], [0, 100], color="#9e9e9e", linewidth=1, label="tidak berubah")
        ax.scatter(data["tes_awal"], data["tes_akhir"], s=12, alpha=0.5, color="#1565c0")
        ax.set_xlabel("Tes awal (%)")
        ax.set_ylabel("Tes akhir (%)")
        ax.set_xlim(-2, 102)
        ax.set_ylim(-2, 102)
        ax.legend(loc="lower right", fontsize=9)
    ax.grid(axis="x", color="#eeeeee")
    ax.set_axisbelow(True)
    fig.tight_layout()
    return _svg(fig, "Nilai tes awal dan tes akhir setiap peserta")


def items_chart(items: pd.DataFrame, tests: tuple[str | None, str | None]) -> Markup | None:
    """Difficulty (p) against discrimination (d), the zones where an item is worth a look shaded."""
    shown = items.dropna(subset=["p", "d"])
    if shown.empty:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    zone = dict(color="#ffebee", zorder=0, linewidth=0)
    ax.axvspan(-0.02, analysis.P_TOO_HARD, **zone)
    ax.axvspan(analysis.P_TOO_EASY, 1.1, **zone)
    ax.axhspan(-1.02, analysis.D_TOO_LOW, **zone)
    pre, post = tests
    styles = [(pre, "Tes awal", "#ef6c00", "s"), (post, "Tes akhir", "#1565c0", "o")]
    in_tests = shown["tugas"].isin([t for t in tests if t])

    def points(part, **style):
        # items at the same place are one point, larger: none hides behind another
        same = part.groupby(["p", "d"]).size().reset_index(name="count")
        ax.scatter(same["p"], same["d"], s=28 * same["count"] ** 0.5 + 6, **style)

    other = shown[~in_tests]
    if len(other):
        points(other, color="#9e9e9e", marker="^", alpha=0.6, label="Latihan (modul)", zorder=2)
    for assignment, label, colour, marker in styles:
        part = shown[shown["tugas"] == assignment]
        if part.empty:
            continue
        points(part, color=colour, marker=marker, alpha=0.85, label=label, zorder=3)
        for (p, d), group in part[part["tinjau"] != ""].groupby(["p", "d"]):
            names = ", ".join(b.split("_")[-1] for b in group["butir"])
            ax.annotate(names, (p, d), xytext=(5, 4), textcoords="offset points", fontsize=8,
                        color=colour)
    ax.set_xlim(-0.02, 1.04)
    ax.set_ylim(min(-0.2, float(shown["d"].min()) - 0.08), 1.1)
    ax.axhline(0, color="#bdbdbd", linewidth=0.8)
    ax.set_xlabel("Tingkat kemudahan p (0 = tak ada yang benar, 1 = semua benar)")
    ax.set_ylabel("Daya beda d")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, fontsize=9, frameon=False,
              markerscale=0.8)
    fig.tight_layout()
    return _svg(fig, "Sebaran butir menurut tingkat kemudahan dan daya beda")


def stuck_items(stuck: pd.DataFrame, items: pd.DataFrame) -> list[dict[str, Any]]:
    """The failed checks grouped by item, most failed first, each with the messages seen."""
    failed = {(str(t), str(b)): int(g)
              for t, b, g in zip(items["tugas"], items["butir"], items["gagal"], strict=True)}
    rows = []
    for key, group in stuck.groupby(["tugas", "butir"], sort=False):
        tugas, butir = str(key[0]), str(key[1])
        rows.append({"tugas": tugas, "butir": butir, "soal": group["soal"].iloc[0],
                     "gagal": failed.get((tugas, butir), int(group["peserta"].max())),
                     "dikumpulkan": int(group["dikumpulkan"].iloc[0]),
                     "pesan": list(zip(group["pesan"], group["peserta"], strict=True))})
    return rows


def render(a: Any, created: str) -> str:
    """The page as HTML text."""
    import jinja2

    from autograder.reports.item_analysis import (
        GROUPS,
        MIN_GAIN_N,
        MIN_GROUP_N,
        MIN_ITEM_N,
        STUCK_ROWS,
        TEMPLATES,
    )

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["angka"] = number
    env.filters["persen"] = lambda v: format_number(v, "%") if v == v else "–"
    texts = {(r.assignment, r.item): r.text for r in a.texts.itertuples()}
    revise = a.items[a.items["tinjau"] != ""].copy()
    revise["teks"] = [texts.get((t, b), "") for t, b in zip(revise["tugas"], revise["butir"], strict=True)]
    in_tests = revise["tugas"].isin([a.pre, a.post])
    prepost = [row for row in a.tests.itertuples() if row.tugas in (a.pre, a.post)]
    # before the training a wrong answer is expected: the pre-test is not where the class got stuck
    stuck = stuck_items(a.stuck[a.stuck["tugas"] != a.pre], a.items)
    return env.get_template("analisis.html.j2").render(
        a=a, created=created, summary=a.summary, band_colour=BAND_COLOURS.get(a.summary["pita"], "#616161"),
        prepost_tests=prepost, tests=a.tests, revise_tests=revise[in_tests].to_dict("records"),
        revise_exercises=revise[~in_tests].to_dict("records"), n_revise=len(revise),
        stuck=stuck[:STUCK_ROWS], n_stuck=len(stuck),
        groups=[(name, GROUPS[name], frame.to_dict("records")) for name, frame in a.groups.items()
                if name != "Per Angkatan" or len(a.batches) > 1],
        pooled=len(a.batches) > 1, duplicates=a.duplicates.to_dict("records"),
        chart_prepost=prepost_chart(a.gains), chart_items=items_chart(a.items, (a.pre, a.post)),
        min_item_n=MIN_ITEM_N, min_gain_n=MIN_GAIN_N, min_group_n=MIN_GROUP_N,
        undefined=int(a.items[["p", "d", "r_it"]].isna().any(axis=1).sum()),
    )
