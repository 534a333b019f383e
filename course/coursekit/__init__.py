"""Helpers for the SPP-TIK notebooks: data sets, self-checks, quiz widgets, indicators.

The functions a participant calls from a notebook carry Indonesian names
(``baca_data``, ``cek.terisi``): participants are library managers, not
programmers, and these names are part of what they read. Everything else in
the project is named in English.

Importing coursekit in IPython also turns on the Indonesian explanations of
Python's errors (``coursekit.galat``).
"""

import sys
import types

from coursekit import galat
from coursekit.data import baca_data, daftar_data

__all__ = ["baca_data", "daftar_data"]


class _RegistersOnUse(types.ModuleType):
    """coursekit imported where no IPython shell runs yet: register at the first use from one.

    The grading zygote (``autograder/zygote.py``) imports coursekit before it
    forks each kernel, so this module's code has run, shell-less, before the
    notebook's ``from coursekit import ...``, which then only reads attributes
    of this module. The first attribute read in a process with a shell turns
    the explanations on, and the module becomes a plain module again.
    """

    def __getattribute__(self, name):
        if galat.register():
            self.__class__ = types.ModuleType
        return types.ModuleType.__getattribute__(self, name)


if not galat.register():
    sys.modules[__name__].__class__ = _RegistersOnUse
