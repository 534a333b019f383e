"""Start a user's JupyterLab for the hub: ``jupyterhub-singleuser``, about 2.5 s of CPU quicker.

jsonschema (imported by every Jupyter server through jupyter_events and nbformat)
loads the optional ``rfc3987_syntax`` checker for the "iri" formats, which builds
some 35 Lark parsers at import: 2.5–3 s of CPU per server start on this project's
2-core machine (python-jsonschema/jsonschema#1428). No Jupyter schema uses those
formats, so this entry point hides that module (``autograder/lean.py``); jsonschema
then skips the check. Fifty participants logging in at once start about a minute sooner.
"""
import sys

# isort: off
import autograder.lean  # noqa: F401 - before anything imports jsonschema
from jupyterhub.singleuser import main
# isort: on

if __name__ == "__main__":
    sys.exit(main())
