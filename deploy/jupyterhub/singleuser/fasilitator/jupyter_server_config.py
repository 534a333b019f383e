"""A trainer's Jupyter server on the training site (with jupyter_server_config.json beside it).

JupyterLab loads the project's prebuilt extension for its corrections to the language
pack's menu texts (the *Tugas* panel stays off: it is for participants, page_config.json
of ../peserta turns it on). The Terminal finds `spptik` and `nbgrader` and opens in the
cohort (../terminal_config.py).
"""
from pathlib import Path

HERE = Path(__file__).resolve().parent

c = get_config()  # noqa: F821
c.LabApp.extra_labextensions_path = [str(HERE.parents[3] / "autograder" / "site" / "labextensions")]
load_subconfig(str(HERE.parent / "terminal_config.py"))  # noqa: F821
