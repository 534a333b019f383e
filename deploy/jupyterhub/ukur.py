"""Measure what one server holds: the site's hub with N JupyterLab servers at once.

    .venv/bin/python deploy/jupyterhub/ukur.py --n 10 25 50 [--kernel] [--json hasil.json]

For each N it starts the project's hub (deploy/jupyterhub/jupyterhub_config.py) on
127.0.0.1 with a synthetic cohort of N participants, JupyterHub's test authenticator
and SimpleLocalProcessSpawner (every server as this user: run it on a test machine,
not on a live site), then

* times the hub's start (process start → its REST API answers),
* asks for all N servers at once and times until every one is ready,
* reads the memory of every single-user server (its process and children): RSS and
  PSS (shared pages divided among the processes sharing them, from
  /proc/PID/smaps_rollup), and of the hub and the proxy,
* with ``--kernel``: starts one Python kernel per participant and runs what a lesson
  runs first (pandas, matplotlib, coursekit), then reads the memory again.

Everything it started is stopped at the end. Figures go to stdout (and ``--json``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from autograder.cohort.roster import write_roster  # noqa: E402
from autograder.cohort.workspace import init_workspace  # noqa: E402
from autograder.demo import synthetic  # noqa: E402
from autograder.site import exchange as hub_exchange  # noqa: E402
from autograder.site import hub  # noqa: E402
from autograder.site import setup as hub_setup  # noqa: E402

TRAINER = "pelatih"
LESSON_START = ("import pandas as pd, matplotlib.pyplot as plt, coursekit\n"
                "df = coursekit.baca_data('kunjungan_bulanan.csv')")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, method="GET", token=None, body=None, timeout=300):
    headers = {"Authorization": f"token {token}"} if token else {}
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


# Memory ----------------------------------------------------------------------------------

def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _tree(pid: int, tree: dict[int, list[int]]) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(tree.get(p, []))
    return out


def memory_kb(pids: list[int]) -> tuple[int, int]:
    """(RSS, PSS) in kB, summed over ``pids``."""
    rss = pss = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                key, _, value = line.partition(":")
                if key == "Rss":
                    rss += int(value.split()[0])
                elif key == "Pss":
                    pss += int(value.split()[0])
        except OSError:
            continue
    return rss, pss


def processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                env = (entry / "environ").read_bytes().decode(errors="replace")
                cmd = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if marker in env or marker in cmd:
                found.append(int(entry.name))
    return found


# Kernels ---------------------------------------------------------------------------------

async def run_in_new_kernel(base: str, user: str, token: str, code: str) -> float:
    """Start a kernel on a user's server, run ``code`` through its websocket; seconds taken."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    started = time.monotonic()
    status, kernel = await asyncio.to_thread(
        request, f"{base}/user/{user}/api/kernels", "POST", token, {"name": "python3"})
    assert status == 201, kernel
    ws_url = base.replace("http", "ws", 1) + f"/user/{user}/api/kernels/{kernel['id']}/channels"
    conn = await websocket_connect(HTTPRequest(ws_url, headers={"Authorization": f"token {token}"}))
    msg_id = uuid.uuid4().hex
    await conn.write_message(json.dumps({
        "header": {"msg_id": msg_id, "username": user, "session": uuid.uuid4().hex,
                   "msg_type": "execute_request", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
    }))
    while True:
        raw = await asyncio.wait_for(conn.read_message(), timeout=300)
        if raw is None:
            raise RuntimeError(f"kernel {user} closed")
        msg = json.loads(raw)
        if msg.get("msg_type") == "execute_reply" and msg["parent_header"].get("msg_id") == msg_id:
            assert msg["content"]["status"] == "ok", msg["content"]
            break
    conn.close()
    return time.monotonic() - started


# One run -----------------------------------------------------------------------------------

def measure(n: int, base_dir: Path, cohort: Path, with_kernel: bool, at_once: int = 0) -> dict:
    work = base_dir / f"n{n}"
    work.mkdir()
    exchange = work / "exchange"
    course_id = hub.cohort_settings(cohort).course_id
    hub_exchange.prepare_exchange(exchange, course_id)
    token, port = os.urandom(24).hex(), free_port()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "SPPTIK_KOHORT": str(cohort), "SPPTIK_FASILITATOR": TRAINER,
           "SPPTIK_EXCHANGE": str(exchange), "SPPTIK_HUB_IP": "127.0.0.1",
           "SPPTIK_HUB_PORT": str(port), "SPPTIK_HUB_INTERNAL_PORT": str(free_port()),
           "SPPTIK_PROXY_API_PORT": str(free_port()), "SPPTIK_HUB_DATA": str(work / "hub"),
           "SPPTIK_HUB_API_TOKEN": token, "SPPTIK_HUB_HOMES": str(work / "home")}
    command = [str(Path(sys.executable).parent / "jupyterhub"),
               "-f", str(hub.DEPLOY_DIR / "jupyterhub_config.py"),
               "--JupyterHub.authenticator_class=dummy", "--JupyterHub.spawner_class=simple",
               f"--SimpleLocalProcessSpawner.home_dir_template={work / 'home'}/{{username}}",
               "--JupyterHub.concurrent_spawn_limit=200"]
    base = f"http://127.0.0.1:{port}"
    log = (work / "hub.log").open("w")
    t0 = time.monotonic()
    proc = subprocess.Popen(command, env=env, cwd=work, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    result: dict = {"n": n, "at_once": at_once or n}
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/hub/api", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() - t0 > 120:
                    raise RuntimeError("hub tidak mulai; lihat " + str(work / "hub.log")) from None
                time.sleep(0.2)
        result["hub_start_s"] = round(time.monotonic() - t0, 2)

        users = [u["name"] for u in request(base + "/hub/api/users", token=token)[1]
                 if u["name"] != TRAINER][:n]
        t1 = time.monotonic()
        ready_at: dict[str, float] = {}

        def ready(name):
            ready_at[name] = time.monotonic() - t1

        # the whole room at once (at_once=n): the worst case of a first login
        failed = hub_setup.start_servers(base, token, users, at_once=at_once or n, on_ready=ready)
        if failed:
            raise RuntimeError(f"{len(failed)} dari {n} server gagal mulai: {failed}")
        result["all_ready_s"] = round(max(ready_at.values()), 1)
        result["first_ready_s"] = round(min(ready_at.values()), 1)
        time.sleep(5)  # let start-up settle

        state = {u["name"]: u["servers"][""]["state"]["pid"]
                 for u in request(base + "/hub/api/users", token=token)[1]
                 if u["name"] in users}

        def snapshot():
            tree = _children()
            per_server = [memory_kb(_tree(pid, tree)) for pid in state.values()]
            hub_rss, hub_pss = memory_kb([proc.pid])
            proxy_pids = [p for p in _tree(proc.pid, tree) if p != proc.pid
                          and p not in {q for pid in state.values() for q in _tree(pid, tree)}]
            proxy_rss, proxy_pss = memory_kb(proxy_pids)
            rss = sorted(r for r, _ in per_server)
            pss = sorted(p for _, p in per_server)
            return {
                "server_rss_mb_median": round(rss[len(rss) // 2] / 1024, 1),
                "server_pss_mb_median": round(pss[len(pss) // 2] / 1024, 1),
                "servers_pss_total_mb": round(sum(pss) / 1024),
                "hub_rss_mb": round(hub_rss / 1024, 1), "proxy_rss_mb": round(proxy_rss / 1024, 1),
                "hub_pss_mb": round(hub_pss / 1024, 1), "proxy_pss_mb": round(proxy_pss / 1024, 1),
            }

        result["idle"] = snapshot()
        if with_kernel:
            tokens = {}
            for name in users:
                status, value = request(f"{base}/hub/api/users/{name}/tokens", "POST", token,
                                        {"scopes": [f"access:servers!user={name}"], "expires_in": 3600})
                tokens[name] = value["token"]

            async def all_kernels():
                sem = asyncio.Semaphore(8)

                async def one(name):
                    async with sem:
                        return await run_in_new_kernel(base, name, tokens[name], LESSON_START)
                return await asyncio.gather(*(one(u) for u in users))

            t2 = time.monotonic()
            seconds = asyncio.run(all_kernels())
            result["kernels_s"] = round(time.monotonic() - t2, 1)
            result["kernel_start_and_imports_s_median"] = round(sorted(seconds)[len(seconds) // 2], 1)
            time.sleep(3)
            result["with_kernel"] = snapshot()
        with open("/proc/meminfo") as fh:
            info = dict(line.split(":", 1) for line in fh)
        result["mem_available_gb"] = round(int(info["MemAvailable"].split()[0]) / 1024 / 1024, 1)
    finally:
        t3 = time.monotonic()
        hub_setup.stop_hub(proc, timeout=120)
        result["hub_stop_s"] = round(time.monotonic() - t3, 1)
        log.close()
        time.sleep(1)
        for pid in processes_with(str(work)):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10, 25, 50])
    parser.add_argument("--kernel", action="store_true", help="juga satu kernel per peserta")
    parser.add_argument("--serentak", type=int, default=0,
                        help="server yang dinyalakan bersamaan (bawaan: semua, seperti satu kelas masuk)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    if not hub.PROXY_COMMAND.is_file():
        sys.exit("configurable-http-proxy belum dipasang: jalankan make hub-setup")
    base = Path(tempfile.mkdtemp(prefix="spptik-ukur-"))
    try:
        roster = base / "peserta.csv"
        write_roster(synthetic.make_roster(max(args.n), prefix="UKUR"), roster)
        cohort = init_workspace(base / "kohort", roster, "Ukur situs (sintetis)").root
        results = []
        for n in args.n:
            r = measure(n, base, cohort, args.kernel, args.serentak)
            print(json.dumps(r), flush=True)
            results.append(r)
        if args.json:
            args.json.write_text(json.dumps(results, indent=1))
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
