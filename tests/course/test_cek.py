"""Checks for exercises: kind Indonesian hints that never name a variable the cell lacks."""

import pytest

from coursekit import cek


def gagal(kode: str, namespace: dict) -> str:
    """Run ``kode`` as a check cell would (in the notebook's namespace); return its hint."""
    with pytest.raises(AssertionError) as info:
        exec(kode, {"cek": cek, **namespace})
    return str(info.value)


def test_hint_names_the_answer_variable_when_the_notebook_has_it():
    pesan = gagal('cek.salah_satu(jawaban_3, "abcd", "Jawaban 3")', {"jawaban_3": "e"})
    assert 'misalnya jawaban_3 = "a"' in pesan


def test_hint_names_no_variable_for_a_row_of_a_table():
    # m02 Bagian 1 checks rows of a table: there is no variable kondisi_di_baris_4
    pesan = gagal('cek.salah_satu(baris["kondisi"], ["baik", "rusak ringan"], "Kondisi di baris 4")',
                  {"baris": {"kondisi": "bagus"}})
    assert "kondisi_di_baris_4" not in pesan
    assert pesan.endswith('misalnya "baik".')


def test_stub_and_numbers_get_their_own_hints():
    assert "belum diisi" in gagal('cek.salah_satu(x, "ab", "Jawaban 1")', {"x": ...})
    assert "tanpa tanda petik" in gagal('cek.angka(x, "hari_buka")', {"x": "25"})
    assert cek.mendekati(35.04, 35.0, 0.1)


def test_right_answers_pass_quietly():
    cek.salah_satu(" B ", "abcd")
    cek.teks("dua kata", minimal_kata=2)
    assert cek.normal(" B ") == "b"
