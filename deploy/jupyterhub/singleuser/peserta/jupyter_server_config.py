"""A participant's Jupyter server on the training site (with jupyter_server_config.json beside it).

JupyterLab loads the project's prebuilt extension from the checkout (the Indonesian
*Tugas* panel and the language pack's corrections): no rebuild, no node on the server.
The Terminal keeps the course's Python on PATH (../terminal_config.py).
"""
from pathlib import Path

HERE = Path(__file__).resolve().parent

c = get_config()  # noqa: F821
c.LabApp.extra_labextensions_path = [str(HERE.parents[3] / "autograder" / "site" / "labextensions")]
load_subconfig(str(HERE.parent / "terminal_config.py"))  # noqa: F821
