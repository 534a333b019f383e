"""Self-check quizzes: the key travels as a token, feedback still explains, authors can convert."""

import nbformat
import pytest

from coursekit.kuis import (
    buat_kunci,
    buka_kunci,
    isi_panggilan,
    kuis,
    main,
    panggilan_kuis,
    sembunyikan_kunci,
)

PILIHAN = {"a": "Ctrl+S", "b": "Shift+Enter", "c": "Alt+F4"}
PENJELASAN = "Shift+Enter menjalankan sel lalu pindah ke sel berikutnya."


def test_token_hides_letter_and_explanation_and_opens_again():
    kunci = buat_kunci("b", PENJELASAN)
    assert PENJELASAN not in kunci and "Shift" not in kunci
    assert buka_kunci(kunci) == ("b", PENJELASAN)
    # authors may cut a long token over several lines; whitespace is ignored
    assert buka_kunci(kunci[:10] + "\n   " + kunci[10:]) == ("b", PENJELASAN)


def test_participant_gets_right_wrong_feedback_with_the_explanation():
    soal = kuis("Tombol apa yang menjalankan sel?", PILIHAN, buat_kunci("b", PENJELASAN)).soal
    assert soal.periksa("b") == (True, f"Benar! {PENJELASAN}")
    benar, pesan = soal.periksa("a")
    assert not benar and "(b) Shift+Enter" in pesan and PENJELASAN in pesan
    assert soal.periksa(None)[0] is False


def test_widget_shows_feedback_only_after_periksa():
    widget = kuis("Tombol apa yang menjalankan sel?", PILIHAN, buat_kunci("b", PENJELASAN))
    assert widget.hasil.value == ""
    widget.opsi.value = "c"
    widget._on_click()
    assert "Belum tepat" in widget.hasil.value and PENJELASAN in widget.hasil.value


def test_broken_token_and_key_outside_the_options_are_refused_in_indonesian():
    with pytest.raises(ValueError, match="tidak dapat dibaca"):
        kuis("Soal?", PILIHAN, "bukan-kunci")
    with pytest.raises(ValueError, match="tidak ada di pilihan"):
        kuis("Soal?", PILIHAN, buat_kunci("d", "Tidak ada pilihan d."))


def test_plain_form_still_works_for_drafts():
    assert kuis("Soal?", PILIHAN, "b", PENJELASAN).soal.benar == "b"
    assert kuis("Soal?", PILIHAN, benar="c", penjelasan=PENJELASAN).soal.benar == "c"


def test_sembunyikan_rewrites_plain_calls_and_keeps_the_rest_of_the_cell():
    sumber = (
        "from coursekit.kuis import kuis\n\n"
        'kuis("Soal pertama — dengan huruf non-ASCII?",\n'
        '     {"a": "satu", "b": "dua"},\n'
        '     benar="b",\n'
        '     penjelasan="Karena dua. " "Kalimat kedua yang cukup panjang supaya kuncinya terpotong '
        'menjadi beberapa baris.")\n'
    )
    baru = sembunyikan_kunci(sumber)
    assert baru.startswith("from coursekit.kuis import kuis\n")
    assert "benar=" not in baru and "Karena dua" not in baru
    compile(baru, "<sel>", "exec")
    (panggilan,) = panggilan_kuis(baru)
    isi = isi_panggilan(panggilan)
    assert isi["bentuk"] == "kunci" and isi["benar"] == "b"
    assert isi["penjelasan"].startswith("Karena dua. Kalimat kedua")
    assert isi["pertanyaan"] == "Soal pertama — dengan huruf non-ASCII?"
    assert sembunyikan_kunci(baru) == baru  # already hidden: left alone


def test_cli_converts_a_notebook_and_reads_its_keys(tmp_path, capsys):
    path = tmp_path / "pelajaran.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        'kuis("Soal?", {"a": "satu", "b": "dua"}, "a", "Satu benar.")')])
    nbformat.write(nb, path)
    assert main(["sembunyikan", str(path)]) == 0
    sumber = nbformat.read(path, as_version=4).cells[0].source
    assert "Satu benar" not in sumber
    capsys.readouterr()
    main(["baca", str(path)])
    keluaran = capsys.readouterr().out
    assert "jawaban: (a) satu" in keluaran and "Satu benar." in keluaran
