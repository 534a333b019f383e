"""``spptik lab``: JupyterLab on the course (participants) or on a cohort (trainers).

The interface is Indonesian through ``jupyterlab-language-pack-id-ID``: the
project writes JupyterLab's ``overrides.json`` (its documented place for
defaults set by an administrator) in the environment, with the locale, the main
menu labels the pack leaves in English, and the "official Jupyter news" prompt
switched off. nbgrader's extensions
(assignment list, validate, formgrader) and ipywidgets come installed.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from autograder.course import manifest

# The id-ID language pack translates much of the interface but not the main menu
# bar (its catalogue has no "menu" context); the menu labels are set here instead.
MENU_LABELS = {
    "jp-mainmenu-file": "Berkas",
    "jp-mainmenu-edit": "Sunting",
    "jp-mainmenu-view": "Tampilan",
    "jp-mainmenu-run": "Jalankan",
    "jp-mainmenu-kernel": "Kernel",
    "jp-mainmenu-tabs": "Tab",
    "jp-mainmenu-settings": "Pengaturan",
    "jp-mainmenu-help": "Bantuan",
}

OVERRIDES = {
    "@jupyterlab/translation-extension:plugin": {"locale": "id_ID"},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
    "@jupyterlab/mainmenu-extension:plugin": {
        "menus": [{"id": menu_id, "label": label} for menu_id, label in MENU_LABELS.items()],
    },
}


def settings_dir() -> Path:
    return Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"


def install_overrides() -> Path:
    """Merge the project's defaults into the environment's overrides.json."""
    path = settings_dir() / "overrides.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    current = {}
    if path.is_file():
        try:
            current = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            current = {}
    for plugin, values in OVERRIDES.items():
        current[plugin] = {**current.get(plugin, {}), **values}
    path.write_text(json.dumps(current, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def lab_command(root: Path, *, port: int | None = None, token: str | None = None,
                open_browser: bool = True, extra: list[str] | None = None) -> list[str]:
    """The jupyter lab command for a folder (a cohort workspace or the course)."""
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={root}",
               "--ServerApp.ip=127.0.0.1"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    if port:
        command.append(f"--ServerApp.port={port}")
    if token is not None:
        command.append(f"--IdentityProvider.token={token}")
    if not open_browser:
        command.append("--no-browser")
    return command + (extra or [])


def default_root() -> Path:
    return manifest.COURSE_DIR
