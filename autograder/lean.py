"""Keep one slow, unneeded import out of spptik's processes and the hub's servers.

jsonschema imports ``rfc3987_syntax`` when it is installed (JupyterLab's
jupyter-events asks for it) to offer the "iri" string format; that module
builds a whole grammar when imported: about 1.8 s of CPU on this machine, in
every process that imports nbformat or nbgrader (python-jsonschema/jsonschema#1428).
No schema these processes check uses that format (nbgrader validates cell
metadata without a format checker, nbformat uses fastjsonschema, no Jupyter
event schema asks for "iri"), so the processes that import this module first
(the ``spptik`` command, grading workers, participants' servers on the hub)
mark it missing, and jsonschema simply goes without the "iri" format.

Registered as ``hide-rfc3987-grammar`` in ``patches.py``; not done with
``SPPTIK_TANPA_PERCEPATAN=1``.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import cast


def hide_rfc3987_syntax() -> None:
    if "jsonschema" not in sys.modules:
        # None in sys.modules makes an import fail (documented for sys.modules); typeshed types
        # the dict as holding modules only
        modules = cast("dict[str, ModuleType | None]", sys.modules)
        modules.setdefault("rfc3987_syntax", None)


from autograder.grading import patches  # noqa: E402 - imports only the standard library

patches.apply(patches.IMPORT)
