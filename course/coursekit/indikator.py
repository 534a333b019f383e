"""Indicators the course teaches: TGM, IPLM and its UPLM, KPI colour bands.

Formulas and bands follow ``shared/FACTS.md`` (Perpusnas guidelines, simplified
as stated there). The KPI colour thresholds are this course's own convention:
the programme shows KPIs as hijau/kuning/merah; we found no thresholds in public sources.
"""

from __future__ import annotations

from collections.abc import Sequence

# National figures as gathered in FACTS.md; for 2023 sources disagree (another report: 68.19).
IPLM_NASIONAL = {2019: 48.17, 2020: 61.55, 2021: 64.40, 2022: 64.48, 2023: 69.42, 2024: 73.52}
TGM_NASIONAL = {
    2017: 36.48, 2018: 52.92, 2019: 53.48, 2020: 55.74,
    2021: 59.52, 2022: 63.90, 2023: 66.77, 2024: 72.44,
}

BOBOT_TGM = {"FM": 0.3, "DM": 0.3, "JB": 0.3, "FAI": 0.05, "DAI": 0.05}

# (upper bound inclusive, label); IPLM bands from the 2021 guideline.
KATEGORI_IPLM = [
    (29.9, "sangat rendah"),
    (49.9, "rendah"),
    (79.9, "sedang"),
    (89.9, "tinggi"),
    (100.0, "sangat tinggi"),
]
# TGM bands: the guideline names only the ranges.
RENTANG_TGM = [(20.0, "0–20"), (40.0, "20,1–40"), (60.0, "40,1–60"), (80.0, "60,1–80"),
               (100.0, "80,1–100")]

UNSUR_UPLM = [
    "pemerataan layanan perpustakaan",
    "ketercukupan koleksi",
    "ketercukupan tenaga perpustakaan",
    "tingkat kunjungan masyarakat per hari",
    "perpustakaan ber-SNP",
    "keterlibatan masyarakat dalam kegiatan sosialisasi/promosi",
    "anggota perpustakaan",
]

# Project convention for KPI colours: share of target reached.
BATAS_HIJAU = 1.0
BATAS_KUNING = 0.75


def _check_range(nilai: float, nama: str) -> float:
    if isinstance(nilai, bool) or not isinstance(nilai, (int, float)):
        raise ValueError(f"{nama} harus berupa angka, bukan {type(nilai).__name__}.")
    if not 0 <= nilai <= 100:
        raise ValueError(f"{nama} harus di antara 0 dan 100 (diberikan: {nilai}).")
    return float(nilai)


def tgm(fm: float, dm: float, jb: float, fai: float, dai: float) -> float:
    """Tingkat Gemar Membaca: 0.3·FM + 0.3·DM + 0.3·JB + 0.05·FAI + 0.05·DAI (each 0–100)."""
    nilai = {"FM": fm, "DM": dm, "JB": jb, "FAI": fai, "DAI": dai}
    total = sum(BOBOT_TGM[k] * _check_range(v, k) for k, v in nilai.items())
    return round(total, 2)


def rentang_tgm(nilai: float) -> str:
    """The TGM band a score falls in, written as the guideline writes it (e.g. '60,1–80')."""
    nilai = _check_range(nilai, "Nilai TGM")
    for batas, label in RENTANG_TGM:
        if nilai <= batas:
            return label
    return RENTANG_TGM[-1][1]


def kategori_iplm(nilai: float) -> str:
    """IPLM category: sangat rendah, rendah, sedang, tinggi or sangat tinggi.

    The guideline prints bounds to one decimal (0–29,9; 30–49,9; ...): each band
    starts at the round number, so a value between two printed bounds (29,95)
    still belongs to the lower band.
    """
    nilai = _check_range(nilai, "Nilai IPLM")
    for batas, label in KATEGORI_IPLM:
        if nilai < round(batas + 0.1, 1):
            return label
    return KATEGORI_IPLM[-1][1]


def iplm(uplm: Sequence[float]) -> float:
    """IPLM from its seven UPLM ratios (each 0–1): (Σ UPLM / 7) × 100, simplified."""
    if len(uplm) != 7:
        raise ValueError(f"IPLM memerlukan tepat 7 nilai UPLM (diberikan: {len(uplm)}).")
    for i, nilai in enumerate(uplm, start=1):
        if isinstance(nilai, bool) or not isinstance(nilai, (int, float)) or not 0 <= nilai <= 1:
            raise ValueError(f"UPLM{i} harus berupa rasio antara 0 dan 1 (diberikan: {nilai}).")
    return round(sum(uplm) / 7 * 100, 2)


def uplm_keterlibatan(peserta: int, penduduk: int) -> float:
    """UPLM6: people involved in socialisation/promotion activities / population × 100 %."""
    if penduduk <= 0:
        raise ValueError("Jumlah penduduk harus lebih dari 0.")
    return round(peserta / penduduk * 100, 2)


def warna_kpi(capaian: float, target: float) -> str:
    """'hijau' when the target is reached, 'kuning' from 75 % of it, otherwise 'merah' (course convention)."""
    if target <= 0:
        raise ValueError("Target harus lebih dari 0.")
    rasio = capaian / target
    if rasio >= BATAS_HIJAU:
        return "hijau"
    if rasio >= BATAS_KUNING:
        return "kuning"
    return "merah"
