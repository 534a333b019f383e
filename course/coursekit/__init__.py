"""Helpers for the SPP-TIK notebooks: data sets, self-checks, quiz widgets, indicators.

The functions a participant calls from a notebook carry Indonesian names
(``baca_data``, ``cek.terisi``): participants are library managers, not
programmers, and these names are part of what they read. Everything else in
the project is named in English.
"""

from coursekit.data import baca_data, daftar_data

__all__ = ["baca_data", "daftar_data"]
