"""Self-check questions for lessons: a multiple-choice widget that answers at once.

The logic (``periksa``) is a plain function so it can be tested without a
browser; the widget only wires it to radio buttons, a button and an output.
Answers given here are for practice only: graded answers live in code cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
from IPython.display import display


@dataclass
class Soal:
    """One self-check question: text, options by letter, the right letter, why."""

    pertanyaan: str
    pilihan: dict[str, str]
    benar: str
    penjelasan: str

    def periksa(self, jawaban: str | None) -> tuple[bool, str]:
        """Whether ``jawaban`` (a letter) is right, and a kind message that says why."""
        if not jawaban:
            return False, "Pilih salah satu jawaban dulu, lalu klik Periksa."
        if jawaban == self.benar:
            return True, f"Benar! {self.penjelasan}"
        return False, (
            f"Belum tepat. Jawaban yang tepat adalah ({self.benar}) "
            f"{self.pilihan[self.benar]}. {self.penjelasan}"
        )


class Kuis:
    """A widget for one ``Soal``: choose, click *Periksa*, read the feedback."""

    def __init__(self, soal: Soal):
        self.soal = soal
        self.opsi = widgets.RadioButtons(
            options=[(f"{k}. {v}", k) for k, v in soal.pilihan.items()],
            value=None,
            layout=widgets.Layout(width="max-content"),
        )
        self.tombol = widgets.Button(description="Periksa", button_style="primary")
        self.hasil = widgets.HTML()
        self.tombol.on_click(self._on_click)
        self.kotak = widgets.VBox(
            [widgets.HTML(f"<b>{soal.pertanyaan}</b>"), self.opsi, self.tombol, self.hasil]
        )

    def _on_click(self, _button=None) -> None:
        benar, pesan = self.soal.periksa(self.opsi.value)
        warna = "#1b5e20" if benar else "#b71c1c"
        tanda = "✔" if benar else "✘"
        self.hasil.value = f'<span style="color:{warna}">{tanda} {pesan}</span>'

    def _ipython_display_(self):
        display(self.kotak)


def kuis(pertanyaan: str, pilihan: dict[str, str], benar: str, penjelasan: str) -> Kuis:
    """Build a self-check widget; show it by leaving it as the last line of a cell."""
    if benar not in pilihan:
        raise ValueError(f"Kunci jawaban '{benar}' tidak ada di pilihan.")
    return Kuis(Soal(pertanyaan, pilihan, benar, penjelasan))
