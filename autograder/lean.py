"""Keep one slow, unneeded import out of the grading processes.

jsonschema imports ``rfc3987_syntax`` when it is installed (JupyterLab's
jupyter-events asks for it) to offer the "iri" string format; that module
builds a whole grammar when imported: about 1.8 s of CPU on this machine, in
every process that imports nbformat or nbgrader. Grading never checks string
formats (nbgrader validates cell metadata without a format checker, nbformat
uses fastjsonschema), so the processes that import this module first mark it
missing, and jsonschema simply goes without the "iri" format.
"""

from __future__ import annotations

import sys

if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)
