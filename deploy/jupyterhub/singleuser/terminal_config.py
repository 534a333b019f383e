"""The Terminal of a JupyterLab on the training site: bash with ``terminal_bashrc`` (beside this).

Loaded by both roles' ``jupyter_server_config.py`` (``load_subconfig``). JupyterLab would
start a login shell, whose /etc/profile resets PATH; this shell keeps the project's
environment first, and opens a trainer's terminal in the cohort (``SPPTIK_KOHORT``).
"""
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821

_env = [f"SPPTIK_BIN={Path(sys.executable).parent}"]
if os.environ.get("SPPTIK_KOHORT"):
    _env.append(f"SPPTIK_TERMINAL_DIR={os.environ['SPPTIK_KOHORT']}")
c.ServerApp.terminado_settings = {
    "shell_command": ["/usr/bin/env", *_env, "/bin/bash", "--rcfile",
                      str(Path(__file__).resolve().parent / "terminal_bashrc"), "-i"],
}
