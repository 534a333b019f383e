"""The training site as a hostile participant sees it (issue 13, "The training site").

Submissions are made the way nbgrader's ``submit`` leaves them in the exchange's
``inbound`` folder (folder ``<student>+<assignment>+<timestamp>+<random>`` at mode
0777, files 0644, ``timestamp.txt``), owned by synthetic uids standing for the
participants' Linux accounts (the tests run as root and ``chown`` them; the uid →
account lookup is the only thing replaced). Each attack is then collected with
``collect_exchange`` exactly as ``spptik situs ambil`` does, and the test checks what
a trainer would: who the notebook was filed as, that every other participant's
submission is untouched, that nothing in ``inbound`` was changed, and that what was
refused sits in ``karantina/`` with an Indonesian reason.

One test runs real processes under other uids (``setpriv``): nbgrader's own ``submit``
with the participants' site settings, and an attacker trying to empty or refill a
classmate's folder, once closed by the site's submit plugin and once left 0777 as
nbgrader leaves it. The formgrader's *Collect* is checked to go through the same
checks. The real hub's version of the file-name attack is in ``tests/test_hub.py``.

The last tests cover the bring-up: no full names in account comments, secrets only
in 0600 files and environments, and ``hidepid`` for ``/proc`` in the plan.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import stat
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from autograder.cohort.roster import Participant
from autograder.cohort.workspace import Workspace
from autograder.demo import synthetic
from autograder.site import exchange as hub_exchange
from autograder.site import hub
from autograder.site import setup as hub_setup

UIDS = {"pst-0001": 20001, "pst-0002": 20002, "pst-0003": 20003, "pelatih": 20009}


class Site:
    """A cohort with an exchange, and a way to submit as an account."""

    def __init__(self, ws: Workspace, exchange: Path, release: dict, answers: dict):
        self.ws, self.exchange = ws, exchange
        self.inbound = exchange / ws.info["course_id"] / "inbound"
        self.full = synthetic.fill(release, answers)                        # every answer right
        self.part = synthetic.fill(release, answers, {sorted(answers)[0]})  # one answer

    def submit(self, account: str, files: dict[str, object], *, named: str | None = None,
               when: datetime | None = None, stamp: str | None = None) -> Path:
        """What nbgrader's submit leaves in inbound, owned by ``account`` (named ``named``)."""
        text = (when or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
        folder = self.inbound / f"{named or account}+m00+{text}+{secrets.token_urlsafe(9)}"
        folder.mkdir()
        for rel, content in files.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, dict):
                content = json.dumps(content, ensure_ascii=False, indent=1)
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
        (folder / "timestamp.txt").write_text(stamp if stamp is not None else text)
        uid = UIDS[account]
        for path in [*sorted(folder.rglob("*"), reverse=True), folder]:
            os.chown(path, uid, uid)
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        os.chmod(folder, 0o777)  # nbgrader's choice
        return folder

    def collect(self, **kwargs) -> hub_exchange.ExchangeCollect:
        return hub_exchange.collect_exchange(Workspace(self.ws.root), **kwargs)

    def filed(self, pid: str) -> str | None:
        path = self.ws.submitted / pid / "m00" / "m00.ipynb"
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None

    def quarantined(self) -> dict[str, str]:
        """File name in karantina/ → its reason file's text."""
        found = {}
        for reason in self.ws.quarantine.rglob("*.alasan.txt"):
            found[reason.name.removesuffix(".alasan.txt")] = reason.read_text(encoding="utf-8")
        return found

    def inbound_state(self) -> dict[str, tuple]:
        state = {}
        for path in sorted(self.inbound.rglob("*")):
            st = os.lstat(path)
            data = path.read_bytes() if stat.S_ISREG(st.st_mode) else b""
            state[str(path)] = (st.st_uid, stat.S_IMODE(st.st_mode), st.st_ctime_ns,
                                hashlib.sha256(data).hexdigest())
        return state


@pytest.fixture
def site(fresh_cohort, tmp_path, monkeypatch, answer_keys):
    exchange = tmp_path / "exchange"
    hub_exchange.prepare_exchange(exchange, fresh_cohort.info["course_id"])
    hub_exchange.set_cohort_exchange(fresh_cohort.root, exchange)
    names = {uid: name for name, uid in UIDS.items()}
    real = hub_exchange._account
    monkeypatch.setattr(hub_exchange, "_account", lambda uid: names.get(uid) or real(uid))
    release, answers = answer_keys["m00"]
    return Site(fresh_cohort, exchange, release, answers)


@pytest.fixture
def victim(site):
    """PST-0002's own partial submission, already collected and filed."""
    site.submit("pst-0002", {"m00.ipynb": site.part})
    first = site.collect()
    assert not first.refused, first.refused
    digest = site.filed("PST-0002")
    assert digest
    return digest


def _untouched(site: Site, victim_digest: str) -> None:
    assert site.filed("PST-0002") == victim_digest, "kiriman PST-0002 berubah"
    assert not (site.ws.archive / "PST-0002").exists(), "kiriman PST-0002 diarsipkan"


# Identity: the account that owns the folder, never a name in a file ----------------------

def test_another_id_in_the_file_name_is_quarantined(site, victim):
    """The attack of issue 13: PST-0002_m00.ipynb in pst-0001's own m00/, submitted normally."""
    folder = site.submit("pst-0001", {"m00.ipynb": site.part, "PST-0002_m00.ipynb": site.full})
    before = site.inbound_state()
    result = site.collect()
    _untouched(site, victim)
    assert site.filed("PST-0001")  # their own notebook is filed as theirs
    reasons = site.quarantined()
    assert "PST-0002_m00.ipynb" in reasons
    why = reasons["PST-0002_m00.ipynb"]
    assert "menyebut peserta lain (PST-0002)" in why and "dikirim oleh PST-0001" in why
    assert str(folder / "PST-0002_m00.ipynb") in why
    quarantined = next(site.ws.quarantine.rglob("PST-0002_m00.ipynb"))
    assert json.loads(quarantined.read_text()) == site.full  # kept, byte for byte
    assert site.inbound_state() == before  # the collector changed nothing in inbound
    assert folder.name in result.new


def test_another_full_name_in_the_file_name_is_quarantined(site, victim):
    other = site.ws.participants[1]
    site.submit("pst-0001", {f"m00 - {other.nama}.ipynb": site.full})
    site.collect()
    _untouched(site, victim)
    assert site.filed("PST-0001") is None
    assert any(f"({other.id_peserta})" in why for why in site.quarantined().values())


def test_own_name_containing_a_classmates_name_is_not_another():
    people = [Participant("PST-0001", "Ani", "P", "Perpustakaan Desa", "desa"),
              Participant("PST-0002", "Ani Lubis", "P", "Perpustakaan Desa", "desa"),
              Participant("PST-0003", "Ani Lubis", "P", "Perpustakaan Kota", "kabupaten")]
    assert hub_exchange.others_named("m00 - Ani Lubis.ipynb", "PST-0002", people) == []
    assert hub_exchange.others_named("m00 - Ani Lubis.ipynb", "PST-0001", people) == ["PST-0002", "PST-0003"]
    assert hub_exchange.others_named("m00_pst-0003.ipynb", "PST-0002", people) == ["PST-0003"]
    assert hub_exchange.others_named("m00.ipynb", "PST-0001", people) == []


def test_another_name_in_the_notebook_metadata_changes_nothing(site, victim):
    notebook = json.loads(json.dumps(site.full))
    notebook["metadata"]["spptik"] = {"id_peserta": "PST-0002", "nama": site.ws.participants[1].nama}
    notebook["cells"][0]["metadata"]["student_id"] = "PST-0002"
    site.submit("pst-0001", {"m00.ipynb": notebook})
    result = site.collect()
    assert not result.refused
    _untouched(site, victim)
    filed = json.loads((site.ws.submitted / "PST-0001" / "m00" / "m00.ipynb").read_text())
    assert filed["metadata"]["spptik"]["id_peserta"] == "PST-0002"  # filed as the sender's


def test_folder_named_for_another_account_is_refused(site, victim):
    folder = site.submit("pst-0001", {"m00.ipynb": site.full}, named="pst-0002")
    result = site.collect()
    _untouched(site, victim)
    assert site.filed("PST-0001") is None
    assert result.refused == [(folder.name, "dikirim oleh akun 'pst-0001' atas nama 'pst-0002': "
                                            "tidak diterima")]
    assert any("atas nama 'pst-0002'" in why for why in site.quarantined().values())


def test_trainer_or_unknown_account_is_not_a_participant(site):
    site.submit("pelatih", {"m00.ipynb": site.full})
    ghost = site.submit("pst-0003", {"m00.ipynb": site.full})
    os.chown(ghost, 30333, 30333)  # an uid with no account
    result = site.collect()
    reasons = dict(result.refused)
    assert any("bukan peserta" in why for why in reasons.values())
    assert reasons[ghost.name] == "folder milik uid 30333, yang bukan akun di server ini"
    assert not any(site.filed(p.id_peserta) for p in site.ws.participants)


# Inbound folders are 0777: another account's hand in them --------------------------------

def test_a_file_added_by_another_account_refuses_the_folder(site):
    folder = site.submit("pst-0001", {"m00.ipynb": site.part})
    planted = folder / "m00-baru.ipynb"
    planted.write_text(json.dumps(site.full))
    os.chown(planted, UIDS["pst-0002"], UIDS["pst-0002"])
    result = site.collect()
    assert site.filed("PST-0001") is None and site.filed("PST-0002") is None
    (name, why), = result.refused
    assert name == folder.name and "'m00-baru.ipynb' milik akun 'pst-0002'" in why
    reasons = site.quarantined()
    assert {"m00.ipynb", "m00-baru.ipynb", "timestamp.txt"} <= set(reasons)  # all kept


def test_a_replaced_notebook_is_refused(site):
    """pst-0002 learns pst-0001's folder name, deletes the notebook and puts their own."""
    folder = site.submit("pst-0001", {"m00.ipynb": site.full})
    (folder / "m00.ipynb").unlink()
    (folder / "m00.ipynb").write_text(json.dumps(site.part))
    os.chown(folder / "m00.ipynb", UIDS["pst-0002"], UIDS["pst-0002"])
    result = site.collect()
    assert site.filed("PST-0001") is None
    assert "milik akun 'pst-0002', bukan milik pengirim" in result.refused[0][1]


def test_symlink_in_the_folder_is_not_followed(site, victim, tmp_path):
    secret = tmp_path / "rahasia.txt"
    secret.write_text("kata sandi basis data")
    folder = site.submit("pst-0001", {})
    os.symlink(site.ws.submitted / "PST-0002" / "m00" / "m00.ipynb", folder / "m00.ipynb")
    os.symlink(secret, folder / "catatan.ipynb")
    for link in ("m00.ipynb", "catatan.ipynb"):
        os.chown(folder / link, UIDS["pst-0001"], UIDS["pst-0001"], follow_symlinks=False)
    result = site.collect()
    _untouched(site, victim)
    assert site.filed("PST-0001") is None
    assert "adalah tautan simbolik" in result.refused[0][1]
    notes = {p.name: p.read_text() for p in site.ws.quarantine.rglob("*.catatan.txt")}
    assert set(notes) == {"m00.ipynb.catatan.txt", "catatan.ipynb.catatan.txt"}
    assert str(secret) in notes["catatan.ipynb.catatan.txt"]
    copied = b"".join(p.read_bytes() for p in site.ws.quarantine.rglob("*") if p.is_file())
    assert b"kata sandi basis data" not in copied  # the link's target was never read


def test_a_symlinked_submission_folder_is_not_followed(site, victim):
    real = site.submit("pst-0001", {"m00.ipynb": site.full})
    target = site.ws.root.parent / "di-luar"
    real.rename(target)
    link = site.inbound / real.name
    os.symlink(target, link)
    os.chown(link, UIDS["pst-0001"], UIDS["pst-0001"], follow_symlinks=False)
    result = site.collect()
    assert site.filed("PST-0001") is None
    assert "tautan simbolik" in dict(result.refused)[link.name]
    assert any(p.name.endswith(".txt") for p in site.ws.quarantine.rglob("*"))


def test_a_hard_link_is_refused(site, tmp_path):
    outside = tmp_path / "di-rumah-peserta.ipynb"
    outside.write_text(json.dumps(site.part))
    os.chown(outside, UIDS["pst-0001"], UIDS["pst-0001"])
    folder = site.submit("pst-0001", {})
    os.link(outside, folder / "m00.ipynb")
    result = site.collect()
    assert site.filed("PST-0001") is None
    assert "tautan keras (hard link)" in result.refused[0][1]


def test_a_fifo_does_not_hang_the_collector(site):
    folder = site.submit("pst-0001", {"m00.ipynb": site.full})
    os.mkfifo(folder / "pipa.ipynb")
    started = time.monotonic()
    result = site.collect()
    assert time.monotonic() - started < 30
    assert "'pipa.ipynb' bukan berkas atau folder biasa" in result.refused[0][1]


def test_a_huge_submission_is_not_read_into_memory(site, monkeypatch):
    monkeypatch.setattr(hub_exchange, "MAX_FOLDER_BYTES", 12_000)
    folder = site.submit("pst-0001", {"a.ipynb": b"x" * 8000, "b.ipynb": b"y" * 8000})
    found = hub_exchange.read_inbound(folder)
    assert found.entry("a.ipynb").data and found.entry("b.ipynb").data is None
    result = site.collect()
    assert "'b.ipynb' tidak disalin: kiriman lebih dari 100 MB" in result.refused[0][1]
    assert "b.ipynb.catatan.txt" in site.quarantined()


# The time nbgrader wrote, against the kernel's times ---------------------------------------

def _accepted_now(site: Site, folder: Path) -> bool:
    accounts = {p.id_peserta.lower(): p.id_peserta for p in site.ws.participants}
    return hub_exchange.judge(hub_exchange.read_inbound(folder), accounts).accepted


def test_modified_after_the_timestamp_is_refused(site, monkeypatch):
    """The owner rewrites the notebook after submitting and sets its mtime back: ctime tells."""
    monkeypatch.setattr(hub_exchange, "CTIME_SLACK", 3)
    folder = site.submit("pst-0001", {"m00.ipynb": site.part})
    assert _accepted_now(site, folder)
    notebook = folder / "m00.ipynb"
    old = notebook.stat()
    time.sleep(4)
    notebook.write_text(json.dumps(site.full))
    os.utime(notebook, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert notebook.stat().st_mtime_ns == old.st_mtime_ns  # mtime lies
    result = site.collect()
    assert site.filed("PST-0001") is None
    assert "'m00.ipynb' diubah setelah waktu kirim" in result.refused[0][1]


def test_an_emptied_folder_is_refused(site, monkeypatch):
    monkeypatch.setattr(hub_exchange, "CTIME_SLACK", 3)
    folder = site.submit("pst-0001", {"m00.ipynb": site.full, "data.csv": "a,b\n"})
    assert _accepted_now(site, folder)
    time.sleep(4)
    (folder / "data.csv").unlink()
    result = site.collect()
    assert "isi folder diubah setelah waktu kirim" in result.refused[0][1]


def test_a_timestamp_set_back_or_ahead_is_refused(site):
    early = datetime.now(UTC) - timedelta(hours=3)
    site.submit("pst-0001", {"m00.ipynb": site.full}, when=early)
    late = datetime.now(UTC) + timedelta(days=2)
    site.submit("pst-0002", {"m00.ipynb": site.full}, when=late)
    text = early.strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    site.submit("pst-0003", {"m00.ipynb": site.full}, stamp=text)  # disagrees with the name
    result = site.collect()
    reasons = " | ".join(why for _name, why in result.refused)
    assert "'m00.ipynb' diubah setelah waktu kirim" in reasons
    assert "ada di masa depan" in reasons
    assert "tidak sama dengan waktu di nama folder" in reasons
    assert len(result.refused) == 3
    assert not any(site.filed(p.id_peserta) for p in site.ws.participants)


def test_a_folder_without_timestamp_waits_then_is_refused(site):
    folder = site.submit("pst-0001", {"m00.ipynb": site.full})
    (folder / "timestamp.txt").unlink()
    first = site.collect()
    assert first.pending == 1 and not first.new
    later = site.collect(now=time.time() + hub_exchange.PENDING_LIMIT + 60)
    assert later.refused and "kiriman tidak lengkap" in later.refused[0][1]
    assert "m00.ipynb" in site.quarantined()


def test_an_honest_submission_is_filed_and_refusals_are_not_repeated(site, victim):
    site.submit("pst-0001", {"m00.ipynb": site.full, "catatan/data.csv": "a,b\n"})
    site.submit("pst-0003", {"m00.ipynb": site.full}, named="pst-0001")
    first = site.collect()
    assert site.filed("PST-0001") and len(first.refused) == 1
    second = site.collect()
    assert second.seen == 3 and not second.new and not second.refused


# Real processes of other accounts, and nbgrader's own submit ---------------------------------

ATTACK = """
import json, os, sys
closed, opened, notebook = sys.argv[1:4]
tried = {}
def attempt(name, action):
    try:
        action()
        tried[name] = "berhasil"
    except OSError as exc:
        tried[name] = exc.errno
def write(path, text, mode="w"):
    with open(path, mode) as handle:
        handle.write(text)
full = open(notebook).read()
attempt("tambah_tertutup", lambda: write(os.path.join(closed, "m00-baru.ipynb"), full))
attempt("hapus_tertutup", lambda: os.unlink(os.path.join(closed, "m00.ipynb")))
attempt("tulis_tertutup", lambda: write(os.path.join(closed, "m00.ipynb"), " ", "a"))
attempt("ganti_nama_folder", lambda: os.rename(closed, closed + "-x"))
attempt("hapus_terbuka", lambda: os.unlink(os.path.join(opened, "m00.ipynb")))
attempt("ganti_terbuka", lambda: write(os.path.join(opened, "m00.ipynb"), full))
print(json.dumps(tried))
"""


@pytest.fixture
def shared_base():
    """A folder other uids can reach (pytest's own tmp folder is root's only)."""
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="spptik-situs-"))
    os.chmod(base, 0o755)
    yield base
    shutil.rmtree(base, ignore_errors=True)


def as_account(account: str) -> list[str]:
    """The command prefix that runs as the account's uid, without any capability (util-linux)."""
    import shutil

    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) diperlukan untuk menjalankan proses sebagai akun lain"
    uid = UIDS[account]
    return [setpriv, f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all"]


def _nbgrader_submit(home: Path, account: str, course_id: str, exchange: Path, *extra: str):
    """``nbgrader submit m00`` as the account's uid, with the participants' site settings."""
    env = {"HOME": str(home), "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
           "JUPYTER_CONFIG_PATH": str(hub.SINGLEUSER_DIR / "peserta"),
           "JUPYTER_CONFIG_DIR": str(home / ".jupyter"), "SPPTIK_COURSE_ID": course_id,
           "SPPTIK_EXCHANGE": str(exchange), "SPPTIK_STUDENT_ID": account, "LANG": "C.UTF-8"}
    proc = subprocess.run([*as_account(account), sys.executable, "-m", "nbgrader", "submit", "m00", *extra],
                          cwd=home, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_other_accounts_processes_against_nbgrader_submissions(fresh_cohort, shared_base, monkeypatch,
                                                              answer_keys):
    """Real submits and a real attacker process, each under its own uid."""
    import shutil

    from autograder.course import manifest

    ws, course_id = fresh_cohort, fresh_cohort.info["course_id"]
    exchange = shared_base / "exchange"
    hub_exchange.prepare_exchange(exchange, course_id)
    hub_exchange.set_cohort_exchange(ws.root, exchange)
    shutil.copytree(manifest.RELEASE_DIR / "m00", exchange / course_id / "outbound" / "m00")
    names = {uid: name for name, uid in UIDS.items()}
    real = hub_exchange._account
    monkeypatch.setattr(hub_exchange, "_account", lambda uid: names.get(uid) or real(uid))
    release, answers = answer_keys["m00"]
    full, part = synthetic.fill(release, answers), synthetic.fill(release, answers, {sorted(answers)[0]})
    homes = {}
    for account, notebooks in (("pst-0001", {"m00.ipynb": part, "PST-0002_m00.ipynb": full}),
                               ("pst-0002", {"m00.ipynb": part})):
        home = homes[account] = shared_base / "home" / account
        for name, nb in notebooks.items():
            synthetic.dump(nb, home / "m00" / name)
        for path in [home, *home.rglob("*")]:
            os.chown(path, UIDS[account], UIDS[account])

    inbound = exchange / course_id / "inbound"
    _nbgrader_submit(homes["pst-0002"], "pst-0002", course_id, exchange)
    closed = next(inbound.iterdir())
    assert stat.S_IMODE(closed.stat().st_mode) == 0o755 and closed.stat().st_uid == UIDS["pst-0002"]
    # the same submit with nbgrader's own plugin leaves the folder open to all
    _nbgrader_submit(homes["pst-0002"], "pst-0002", course_id, exchange,
                     "--ExchangeFactory.submit=nbgrader.exchange.default.submit.ExchangeSubmit")
    opened = next(p for p in inbound.iterdir() if p != closed)
    assert stat.S_IMODE(opened.stat().st_mode) == 0o777

    # pst-0001 has learned both folder names
    notebook = homes["pst-0001"] / "m00" / "PST-0002_m00.ipynb"
    proc = subprocess.run([*as_account("pst-0001"), sys.executable, "-c", ATTACK, str(closed), str(opened),
                           str(notebook)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    tried = json.loads(proc.stdout)
    import errno
    for attempt in ("tambah_tertutup", "hapus_tertutup", "tulis_tertutup", "ganti_nama_folder"):
        assert tried[attempt] in (errno.EACCES, errno.EPERM), (attempt, tried)
    assert tried["hapus_terbuka"] == tried["ganti_terbuka"] == "berhasil"  # nbgrader's 0777

    _nbgrader_submit(homes["pst-0001"], "pst-0001", course_id, exchange)
    result = hub_exchange.collect_exchange(Workspace(ws.root))
    assert len(result.new) == 3
    refused = dict(result.refused)
    assert list(refused) == [opened.name]
    assert "'m00.ipynb' milik akun 'pst-0001', bukan milik pengirim" in refused[opened.name]
    filed = json.loads((ws.submitted / "PST-0002" / "m00" / "m00.ipynb").read_text())
    assert synthetic.answer_cells(filed) and filed["cells"] == json.loads(
        (homes["pst-0002"] / "m00" / "m00.ipynb").read_text())["cells"]  # the victim's own work
    reasons = {p.name for p in ws.quarantine.rglob("*.alasan.txt")}
    assert "PST-0002_m00.ipynb.alasan.txt" in reasons and "m00.ipynb.alasan.txt" in reasons
    assert (ws.submitted / "PST-0001" / "m00" / "m00.ipynb").is_file()


# The formgrader's Collect button goes through the same checks ------------------------------

def test_formgrader_collect_uses_the_site_checks(site, victim, tmp_path):
    site.submit("pst-0001", {"m00.ipynb": site.part, "PST-0002_m00.ipynb": site.full})
    config = hub.SINGLEUSER_DIR / "fasilitator"
    code = (
        "import json, sys\n"
        "from autograder.site import exchange as hub_exchange\n"
        "names = {20001: 'pst-0001', 20002: 'pst-0002'}\n"
        "real = hub_exchange._account\n"
        "hub_exchange._account = lambda uid: names.get(uid) or real(uid)\n"
        "from nbgrader.apps.api import NbGraderAPI\n"
        "from nbgrader.apps import NbGrader\n"
        "app = NbGrader(); app.load_config_file()\n"
        "api = NbGraderAPI(config=app.config)\n"
        "print(json.dumps(api.collect('m00')))\n"
    )
    env = {**os.environ, "JUPYTER_CONFIG_PATH": str(config), "JUPYTER_CONFIG_DIR": str(tmp_path / "kosong"),
           "SPPTIK_KOHORT": str(site.ws.root), "SPPTIK_EXCHANGE": str(site.exchange)}
    env.pop("SPPTIK_DB_URL", None)
    proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    answer = json.loads(proc.stdout.strip().splitlines()[-1])
    assert answer["success"], answer
    assert "PST-0002_m00.ipynb" in answer["log"] and "karantina" in answer["log"]
    _untouched(site, victim)
    assert site.filed("PST-0001")
    assert not (site.ws.submitted / "pst-0001").exists()  # nbgrader's own collect would file here


# Bring-up: names, secrets and /proc ---------------------------------------------------------

PEOPLE = [Participant("PST-0001", "Ani Lubis", "P", "Perpustakaan Desa", "desa"),
          Participant("PST-0002", "Budi Santoso", "L", "Perpustakaan Desa", "desa")]


def test_account_comments_hold_no_full_names():
    accounts = hub_setup.plan_accounts(PEOPLE, ["pelatih"])
    commands = [c for a in accounts for c in hub_setup.account_commands(a)]
    text = json.dumps(commands)
    assert "Ani" not in text and "Budi" not in text and "Lubis" not in text
    useradd = [c for c in commands if c[0] == "useradd"]
    assert len(useradd) == 3
    for command in useradd:
        comment = command[command.index("--comment") + 1]
        assert comment == command[-1]  # the account's own name, nothing else


def test_existing_accounts_lose_full_names(monkeypatch):
    import pwd as pwd_module

    entries = {"pst-0001": "Ani Lubis,,,", "pst-0002": "pst-0002", "pelatih": "Pelatih Satu"}

    def fake_getpwnam(name):
        if name not in entries:
            raise KeyError(name)
        return pwd_module.struct_passwd((name, "x", 20000, 20000, entries[name], f"/home/{name}",
                                         "/bin/bash"))

    monkeypatch.setattr(hub_setup.pwd, "getpwnam", fake_getpwnam)
    calls = []
    accounts = hub_setup.plan_accounts(PEOPLE, ["pelatih"])
    hub_setup.create_accounts(accounts, None, dry_run=True, run=calls.append, echo=calls.append)
    shown = "\n".join(str(c) for c in calls)
    assert "usermod --comment pst-0001 pst-0001" in shown
    assert "usermod --comment pst-0002" not in shown  # already only the id
    assert "usermod --comment pelatih" not in shown    # trainers keep what they chose


def test_secrets_stay_in_private_files_and_environments(fresh_cohort, tmp_path, monkeypatch):
    exchange = tmp_path / "exchange"
    hub_exchange.prepare_exchange(exchange, fresh_cohort.info["course_id"])
    password, token = "RahasiaSekali123", "a" * 64
    settings = hub.settings_from_env({
        "SPPTIK_KOHORT": str(fresh_cohort.root), "SPPTIK_FASILITATOR": "pelatih",
        "SPPTIK_EXCHANGE": str(exchange), "SPPTIK_HUB_DATA": str(tmp_path / "hub"),
        "SPPTIK_DB_URL": f"postgresql://spptik:{password}@localhost/kohort",
        "SPPTIK_HUB_API_TOKEN": token})
    env_file, unit = tmp_path / "etc" / "situs.env", tmp_path / "spptik-hub.service"
    calls = []
    # no real accounts, exchange owner or checkout check: the commands are recorded, not run
    monkeypatch.setattr(hub_setup, "prepare_exchange", lambda *args, **kwargs: [])
    monkeypatch.setattr(hub_setup, "checkout_problem", lambda: None)
    hub_setup.bring_up(settings, fresh_cohort.participants[:1], tmp_path / "kartu.csv", env_file=env_file,
                       unit_file=unit, fstab=tmp_path / "fstab",
                       run=lambda command, **kw: calls.append(command), echo=lambda _text: None)
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    assert password in env_file.read_text() and token in env_file.read_text()
    assert ["mount", "-o", "remount,hidepid=2", "/proc"] in calls
    for command in calls:  # every command line the bring-up ran
        assert password not in " ".join(command) and token not in " ".join(command)
    assert password not in unit.read_text() and token not in unit.read_text()
    # the gradebook URL reaches trainers' servers through their environment, never argv
    class Spawner:
        environment, args = {}, []
        user = type("User", (), {"name": "pelatih"})()
        home_dir = None
    spawner = Spawner()
    hub.configure_spawner(spawner, settings)
    assert spawner.environment["SPPTIK_DB_URL"].endswith("@localhost/kohort")
    assert password not in " ".join(spawner.args)
    assert password not in " ".join(hub.singleuser_command())


def test_hidepid_is_in_the_bring_up_plan(fresh_cohort, tmp_path):
    settings = hub.settings_from_env({
        "SPPTIK_KOHORT": str(fresh_cohort.root), "SPPTIK_FASILITATOR": "pelatih",
        "SPPTIK_EXCHANGE": str(tmp_path / "ex"), "SPPTIK_HUB_DATA": str(tmp_path / "hub")},
        check_exchange=False)
    shown = []
    fstab = tmp_path / "fstab"
    fstab.write_text("UUID=abc / ext4 defaults 0 1\n")
    result = hub_setup.bring_up(settings, fresh_cohort.participants, None, dry_run=True,
                                env_file=tmp_path / "situs.env", unit_file=tmp_path / "u.service",
                                fstab=fstab, echo=shown.append)
    text = "\n".join(shown)
    assert "mount -o remount,hidepid=2 /proc" in text
    assert ["mount", "-o", "remount,hidepid=2", "/proc"] in result.commands
    assert "proc /proc proc defaults,hidepid=2 0 0" in text and str(fstab) in text
    assert fstab.read_text() == "UUID=abc / ext4 defaults 0 1\n"  # dry run: unchanged
    assert "ProtectProc=invisible" in hub_setup.systemd_unit_text(tmp_path / "situs.env")
    # what a trainer sees with `spptik situs siapkan --dry-run` (and siapkan-situs.sh --dry-run)
    from click.testing import CliRunner

    from autograder.cli import main as cli
    shown = CliRunner().invoke(cli, ["situs", "siapkan", str(fresh_cohort.root), "--fasilitator", "pelatih",
                                     "--exchange", str(tmp_path / "ex"), "--dry-run"])
    assert shown.exit_code == 0, shown.output
    assert "mount -o remount,hidepid=2 /proc" in shown.output


def test_hidepid_step_writes_fstab_once_and_reports_failure(tmp_path):
    fstab = tmp_path / "fstab"
    fstab.write_text("UUID=abc / ext4 defaults 0 1\n")
    shown, calls = [], []

    def refuse(command, **kwargs):
        calls.append(command)
        raise subprocess.CalledProcessError(32, command)

    hub_setup.hide_processes(fstab=fstab, run=refuse, echo=shown.append)
    hub_setup.hide_processes(fstab=fstab, run=refuse, echo=shown.append)
    lines = fstab.read_text().splitlines()
    assert lines == ["UUID=abc / ext4 defaults 0 1", "proc /proc proc defaults,hidepid=2 0 0"]
    assert calls == [["mount", "-o", "remount,hidepid=2", "/proc"]] * 2
    assert any("PERINGATAN" in line and "hidepid" in line for line in shown)
