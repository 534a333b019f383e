"""The package's one exception base.

Every error a trainer or staff member can act on (a bad roster, a folder that is not a cohort, a
broken course manifest, a refused gradebook, a missing sandbox, a site setting) derives from
``SpptikError`` and carries one Indonesian sentence that says what is wrong and what to do.
The command line prints that sentence and exits non-zero, never a traceback.
"""


class SpptikError(Exception):
    """An error with an Indonesian message meant for the person running the command."""
