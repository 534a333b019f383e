"""What the grading service tells each participant, and how their server finds it.

Beside nbgrader's released feedback (``<exchange>/<course>/feedback/<hash>.html``,
``hash = notebook_hash(secret, notebook_id)`` as ``release_feedback`` names it), the
service (:mod:`autograder.site.live`) leaves one status file per submission,
``<exchange>/<course>/feedback/<sha256>.json`` (:func:`status_name`). Both names come
from the submission's ``submission_secret.txt``, which only the submission and the
participant's nbgrader cache hold; the folder is not listable (0711), the files are
0644, so each participant reaches only their own. The participant's server reads
them with :func:`participant_results`.

A status file (``versi`` 1), all keys always present::

    peserta        the account that submitted ("pst-0001")
    tugas          the assignment ("m00")
    waktu_kirim    nbgrader's time of submission, as in the folder name ("2026-12-03 14:00:00.123456 UTC")
    status         antre | dinilai | menunggu_manual | gagal | ditolak | digantikan
    label          the status in Indonesian, for the participant
    nilai, nilai_maks, persen      the score so far (null until graded)
    menunggu_fasilitator_maks      points still to be graded by hand (0 when none)
    umpan_balik    {notebook name: feedback file name in the same folder}
    pesan          an Indonesian explanation ("" when none)
    diperbarui     when the file was written (ISO 8601, UTC)
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

FEEDBACK_DIR = "feedback"         # <exchange>/<course>/feedback, nbgrader's name
STATUS_VERSION = 1

# A submission's state (journal "tahap", status file "status")
QUEUED = "antre"
GRADED = "dinilai"
AWAITING_MANUAL = "menunggu_manual"
FAILED = "gagal"
REFUSED = "ditolak"
SUPERSEDED = "digantikan"

STATE_LABELS = {
    QUEUED: "Diterima, sedang dinilai",
    GRADED: "Sudah dinilai",
    AWAITING_MANUAL: "Dinilai otomatis; sebagian menunggu penilaian fasilitator",
    FAILED: "Belum dapat dinilai otomatis",
    REFUSED: "Kiriman ditolak",
    SUPERSEDED: "Digantikan kiriman yang lebih baru",
}


def status_name(secret: str) -> str:
    """The status file of the submission with this ``submission_secret.txt``.

    64 hex characters (nbgrader's feedback files are 32): the two never collide.
    """
    return hashlib.sha256(("spptik-status\0" + secret.strip()).encode()).hexdigest() + ".json"


def feedback_name(secret: str, notebook_id: str) -> str:
    """nbgrader's own name of a notebook's released feedback (``release_feedback``)."""
    from nbgrader.utils import notebook_hash

    return notebook_hash(secret=secret, notebook_id=notebook_id) + ".html"


def feedback_folder(exchange: Path, course_id: str) -> Path:
    return Path(exchange) / course_id / FEEDBACK_DIR


def participant_results(exchange: Path, course_id: str, cache: Path | None = None) -> list[dict]:
    """The status of every submission in a participant's nbgrader cache, newest first.

    For the participant's own server: ``cache`` is nbgrader's ``Exchange.cache``
    (default ``~/.local/share/jupyter/nbgrader_cache``); each submission there is
    ``<course>/<student>+<assignment>+<timestamp>/submission_secret.txt``. A submission
    the service has not taken in yet is reported as ``{"status": "dikirim", ...}``.
    """
    if cache is None:
        from jupyter_core.paths import jupyter_data_dir

        cache = Path(jupyter_data_dir()) / "nbgrader_cache"
    folder = feedback_folder(exchange, course_id)
    found = []
    for sub in sorted((Path(cache) / course_id).glob("*+*+*")):
        secret_file = sub / "submission_secret.txt"
        try:
            secret = secret_file.read_text(encoding="utf-8")
        except OSError:
            continue
        student, assignment, stamp = sub.name.split("+", 2)
        try:
            status = json.loads((folder / status_name(secret)).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            status = {"versi": STATUS_VERSION, "status": "dikirim", "label": "Terkirim, menunggu diambil",
                      "peserta": student, "tugas": assignment, "waktu_kirim": stamp}
        status["folder_umpan_balik"] = str(folder)
        found.append(status)
    found.sort(key=lambda s: s.get("waktu_kirim", ""), reverse=True)
    return found


