"""Classical item analysis and learning gain: one small function per formula.

Everything here is a pure function over pandas/numpy values: no file, no gradebook. A
statistic that is undefined (too few participants, no variance, a pre-test of 100 %) is
``NaN``, never a made-up number; the report writes it as an empty cell.

Conventions, written once:

- an item matrix is a DataFrame with one row per participant (index: participant id)
  and one column per item, holding points (not fractions); ``max_points`` is a Series of
  each item's maximum, indexed like the columns;
- variances of items and of totals are sample variances (``ddof=1``) throughout; α is a
  ratio of variances, so the choice cancels (KR-20 written with population variances,
  as textbooks do, gives the same number);
- percentages are 0–100.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

# A column of scores: a Series (indexed by participant id), a list or an array.
Numbers: TypeAlias = "pd.Series[Any] | Sequence[float] | np.ndarray[Any, Any]"

# Kelley's upper and lower groups: the top and bottom 27 % of the total score.
KELLEY_FRACTION = 0.27

# Hake's bands of the normalised gain (Hake 1998, p. 65): low < 0.3 <= medium < 0.7 <= high.
GAIN_BANDS = ((0.7, "tinggi"), (0.3, "sedang"), (-math.inf, "rendah"))

# When an item is worth another look: the project's defaults (issue 16), in one place.
P_TOO_EASY = 0.9
P_TOO_HARD = 0.2
D_TOO_LOW = 0.2

NAN = float("nan")


def _clean(values: Numbers) -> pd.Series[float]:
    return pd.Series(values, dtype=float).dropna()


# Difficulty and discrimination --------------------------------------------------------------

def difficulty(scores: Numbers, max_points: float) -> float:
    """Item difficulty ``p``: the mean score as a fraction of the item's maximum.

    Source: the classical difficulty index (proportion correct), generalised to items worth
    more than one point as mean ÷ maximum (Crocker & Algina 1986, ch. 14). Undefined for no
    participants or an item worth nothing.
    """
    s = _clean(scores)
    if s.empty or not max_points or max_points <= 0:
        return NAN
    return float(s.mean() / max_points)


def kelley_group_size(n: int, fraction: float = KELLEY_FRACTION) -> int:
    """How many participants make each of Kelley's upper and lower groups.

    Source: Kelley (1939), J. Educ. Psychol. 30:17–24: 27 % of the group at each end,
    rounded half up, at least one. Zero (no groups) for fewer than two participants.
    """
    if n < 2:
        return 0
    return max(1, int(math.floor(fraction * n + 0.5)))


def kelley_groups(totals: Numbers, fraction: float = KELLEY_FRACTION
                  ) -> tuple[pd.Index[Any], pd.Index[Any]]:
    """The upper and lower groups (participant ids) by total score.

    Ties at a group's edge are broken by participant id, so the result does not depend
    on the order the rows came in.
    """
    t = _clean(totals)
    size = kelley_group_size(len(t), fraction)
    if size == 0:
        return pd.Index([]), pd.Index([])
    ranked = t.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    return ranked.index[:size], ranked.index[::-1][:size]


def discrimination(item: Numbers, totals: Numbers, max_points: float,
                   fraction: float = KELLEY_FRACTION) -> float:
    """Discrimination index ``d``: upper group's mean minus lower group's mean, ÷ maximum.

    Source: Kelley (1939) for the 27 % groups; the index D = p_upper − p_lower (Ebel 1954),
    here with mean points ÷ maximum so that items worth several points compare. Undefined
    for fewer than two participants or an item worth nothing.
    """
    item = pd.Series(item, dtype=float)
    totals = pd.Series(totals, dtype=float)
    both = pd.concat([item.rename("i"), totals.rename("t")], axis=1).dropna()
    if not max_points or max_points <= 0:
        return NAN
    upper, lower = kelley_groups(both["t"], fraction)
    if len(upper) == 0:
        return NAN
    return float((both.loc[upper, "i"].mean() - both.loc[lower, "i"].mean()) / max_points)


def pearson(x: Numbers, y: Numbers) -> float:
    """Pearson's product-moment correlation; undefined with fewer than two pairs or no variance."""
    both = pd.concat([pd.Series(x, dtype=float).rename("x"), pd.Series(y, dtype=float).rename("y")],
                     axis=1).dropna()
    if len(both) < 2:
        return NAN
    dx = both["x"] - both["x"].mean()
    dy = both["y"] - both["y"].mean()
    denominator = math.sqrt(float((dx * dx).sum()) * float((dy * dy).sum()))
    if denominator == 0 or not math.isfinite(denominator):
        return NAN
    return float((dx * dy).sum() / denominator)


def item_rest_correlation(item: Numbers, totals: Numbers) -> float:
    """Corrected item–total correlation ``r_it``: the item against the total of the *other* items.

    Source: the corrected item–total (item–rest) correlation of classical test theory
    (Crocker & Algina 1986, ch. 14; Henrysson 1963, Psychometrika 28:211–218), which removes
    the item from the total so that it is not correlated with itself. Undefined without
    variance in the item or in the rest.
    """
    item = pd.Series(item, dtype=float)
    return pearson(item, pd.Series(totals, dtype=float) - item)


# Reliability -----------------------------------------------------------------------------------

def cronbach_alpha(matrix: pd.DataFrame) -> float:
    """Cronbach's α = k/(k−1) · (1 − Σ var(item) / var(total)).

    Source: Cronbach (1951), Psychometrika 16:297–334, eq. 2. Rows with a missing score are
    left out (listwise). Undefined for fewer than two items, fewer than two participants or
    totals without variance.
    """
    m = matrix.astype(float).dropna(axis=0, how="any")
    n, k = m.shape
    if k < 2 or n < 2:
        return NAN
    total_var = float(m.sum(axis=1).var(ddof=1))
    if total_var == 0:
        return NAN
    return float(k / (k - 1) * (1 - float(m.var(ddof=1).sum()) / total_var))


def kr20(matrix: pd.DataFrame) -> float:
    """Kuder–Richardson formula 20 for items scored 0/1: k/(k−1) · (1 − Σ p·q / σ²_total).

    Source: Kuder & Richardson (1937), Psychometrika 2:151–160, formula 20, with p the share
    right, q = 1 − p and σ² the population variance of totals. Equal to α on 0/1 items
    (Cronbach 1951). Undefined as α is, and for items that are not all 0/1.
    """
    m = matrix.astype(float).dropna(axis=0, how="any")
    n, k = m.shape
    if k < 2 or n < 2 or not is_dichotomous(m):
        return NAN
    p = m.mean()
    total_var = float(m.sum(axis=1).var(ddof=0))
    if total_var == 0:
        return NAN
    return float(k / (k - 1) * (1 - float((p * (1 - p)).sum()) / total_var))


def is_dichotomous(matrix: pd.DataFrame, max_points: Numbers | None = None) -> bool:
    """Every score is 0 or 1 (and, where given, every item is worth one point)."""
    if max_points is not None and not (pd.Series(max_points, dtype=float) == 1).all():
        return False
    values = pd.unique(matrix.astype(float).to_numpy().ravel())
    values = values[~np.isnan(values)]
    return bool(len(values)) and set(values.tolist()) <= {0.0, 1.0}


# Learning gain ---------------------------------------------------------------------------------

def normalised_gain(pre: float | None, post: float | None) -> float:
    """Hake's normalised gain of one participant: g = (post − pre) ÷ (100 − pre), in percent.

    Source: Hake (1998), Am. J. Phys. 66:64–74, eq. 1 (there for a class's averages; the
    same ratio per participant is the "single-student gain"). Undefined when pre is 100
    (nothing left to gain) or a score is missing.
    """
    if pre is None or post is None:
        return NAN
    pre, post = float(pre), float(post)
    if math.isnan(pre) or math.isnan(post) or pre >= 100:
        return NAN
    return (post - pre) / (100 - pre)


def class_gain(pre: Numbers, post: Numbers) -> float:
    """The class average normalised gain ⟨g⟩ = (mean post − mean pre) ÷ (100 − mean pre).

    Source: Hake (1998), eq. 1: the gain of the class averages (not the average of
    participants' gains). Only participants with both scores count; undefined for none or
    a mean pre-test of 100.
    """
    both = pd.concat([pd.Series(pre, dtype=float).rename("pre"),
                      pd.Series(post, dtype=float).rename("post")], axis=1).dropna()
    if both.empty:
        return NAN
    return normalised_gain(both["pre"].mean(), both["post"].mean())


def gain_band(g: float | None) -> str | None:
    """Hake's band of a gain: ``rendah`` (< 0.3), ``sedang`` (0.3 to < 0.7), ``tinggi`` (≥ 0.7)."""
    if g is None or math.isnan(g):
        return None
    return next(label for floor, label in GAIN_BANDS if g >= floor)


# Tables ----------------------------------------------------------------------------------------

def revision_reasons(p: float, d: float, r_it: float) -> list[str]:
    """Why an item may need rewriting (Indonesian), from the project's default limits.

    An undefined statistic gives no reason: it is reported as missing, not as a fault.
    """
    reasons = []
    if p == p and p > P_TOO_EASY:
        reasons.append("terlalu mudah (p > 0,9)")
    if p == p and p < P_TOO_HARD:
        reasons.append("terlalu sulit (p < 0,2)")
    if d == d and d < D_TOO_LOW:
        reasons.append("daya beda rendah (d < 0,2)")
    if r_it == r_it and r_it < 0:
        reasons.append("korelasi butir–sisa negatif")
    return reasons


def item_statistics(matrix: pd.DataFrame, max_points: pd.Series[float]) -> pd.DataFrame:
    """``n, p, d, r_it`` of every item of one assignment (rows: participants with every score)."""
    m = matrix.astype(float).dropna(axis=0, how="any")
    totals = m.sum(axis=1)
    rows = []
    for item in m.columns:
        top = float(max_points[item])
        rows.append({"butir": item, "poin_maks": top, "n": len(m),
                     "p": difficulty(m[item], top),
                     "d": discrimination(m[item], totals, top),
                     "r_it": item_rest_correlation(m[item], totals)})
    return pd.DataFrame(rows, columns=["butir", "poin_maks", "n", "p", "d", "r_it"])


def test_statistics(matrix: pd.DataFrame, max_points: pd.Series[float]) -> dict[str, Any]:
    """One assignment as a test: ``n, k, alpha`` (and which formula it is), mean and SD of totals."""
    m = matrix.astype(float).dropna(axis=0, how="any")
    totals = m.sum(axis=1)
    top = float(pd.Series(max_points, dtype=float).sum())
    mean = float(totals.mean()) if len(totals) else NAN
    return {
        "n": len(m), "k": m.shape[1],
        "alpha": cronbach_alpha(m),
        "rumus": "KR-20" if is_dichotomous(m, max_points) else "alfa Cronbach",
        "poin_maks": top,
        "rata_rata": mean,
        "sd": float(totals.std(ddof=1)) if len(totals) >= 2 else NAN,
        "rata_rata_persen": 100 * mean / top if top > 0 and mean == mean else NAN,
    }
