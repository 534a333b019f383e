"""``spptik lab``: JupyterLab on the course (participants) or on a cohort (trainers).

The interface is Indonesian through ``jupyterlab-language-pack-id-ID``: the
project writes JupyterLab's ``overrides.json`` (its documented place for
defaults set by an administrator) in the environment, with the locale, the main
menu labels the pack leaves in English, and the "official Jupyter news" prompt
switched off. nbgrader's extensions
(assignment list, validate, formgrader) and ipywidgets come installed.

The file is written for every account to read, whatever the writer's umask: the hub
writes it as root under the systemd unit's ``UMask=0007``, and participants' servers
(other accounts) must read it, or their JupyterLab falls back to English.

The project's own JupyterLab extension (``autograder/site/labextensions/@spptik/tugas``,
prebuilt; its source is in ``autograder/site/labextension/``) corrects the language
pack's wrong menu texts everywhere, and gives participants on the site the Indonesian
*Tugas* panel: :func:`lab_command` and the participants' server settings add its folder
to JupyterLab's extension path.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

from autograder.course import manifest
from autograder.files import write_atomic

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

OVERRIDES: dict[str, dict[str, Any]] = {
    "@jupyterlab/translation-extension:plugin": {"locale": "id_ID"},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
    "@jupyterlab/mainmenu-extension:plugin": {
        "menus": [{"id": menu_id, "label": label} for menu_id, label in MENU_LABELS.items()],
    },
}


# Readable by every account: the settings folder and the file are read by other users' servers.
SETTINGS_DIR_MODE = 0o755
SETTINGS_FILE_MODE = 0o644

# The prebuilt extension (federated: JupyterLab loads it without a rebuild or node).
LABEXTENSIONS_DIR = Path(__file__).resolve().parent / "labextensions"


def settings_dir() -> Path:
    return Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"


def _open_folders(folder: Path, top: Path) -> None:
    """``folder`` (made if missing) and every folder up to ``top`` enterable and readable by all.

    Folders made under the unit's umask (0770), or left so by an earlier hub, are opened.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for path in [folder, *folder.parents]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o005 != 0o005:
            os.chmod(path, mode | SETTINGS_DIR_MODE)
        if path == top:
            break


def install_overrides(folder: Path | None = None) -> Path:
    """Merge the project's defaults into the environment's overrides.json, readable by all."""
    folder = Path(folder) if folder is not None else settings_dir()
    path = folder / "overrides.json"
    _open_folders(folder, folder.parents[2])  # .../share/jupyter/lab/settings: from share/ down
    current: dict[str, Any] = {}
    if path.is_file():
        try:
            current = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            current = {}
    for plugin, values in OVERRIDES.items():
        current[plugin] = {**current.get(plugin, {}), **values}
    write_atomic(path, json.dumps(current, indent=2, ensure_ascii=False), mode=SETTINGS_FILE_MODE)
    return path


def lab_command(root: Path, *, port: int | None = None, token: str | None = None,
                open_browser: bool = True, extra: list[str] | None = None) -> list[str]:
    """The jupyter lab command for a folder (a cohort workspace or the course)."""
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={root}",
               "--ServerApp.ip=127.0.0.1",
               f"--LabApp.extra_labextensions_path={LABEXTENSIONS_DIR}"]
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
