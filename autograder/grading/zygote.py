"""Warm kernels: a process with the course's imports loaded forks a fresh kernel per notebook.

Starting a Python kernel and importing pandas costs about half a second of CPU
for every notebook nbgrader grades. The zygote pays it once: it imports
ipykernel, IPython, pandas, matplotlib and the course helpers, then waits on a
Unix socket. For each request it forks; the child becomes an ordinary
ipykernel (``IPKernelApp``) reading the connection file nbgrader's kernel
manager wrote. Nothing one participant's code does reaches the zygote or the
next child: each child is a copy of a process in which no student code ran.

Run as ``python -m autograder.grading.zygote SOCKET`` (inside the sandbox, see
``sandbox.py``); the grader talks to it with ``ZygoteClient``.

Its replacements of IPython's, stack_data's, pygments' and ipykernel's
internals are declared in ``patches.py`` and applied through it; with
``SPPTIK_TANPA_PERCEPATAN=1`` the zygote applies none, warms nothing, and each
child starts through ``ipykernel.kernelapp.launch_new_instance``. It still forks
every kernel confined: the sandbox is not a speed-up.
"""

from __future__ import annotations

import gc
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from autograder.errors import SpptikError

PRELOAD = [
    # what a course notebook imports
    "numpy", "pandas", "matplotlib", "matplotlib.pyplot", "ipywidgets", "coursekit",
    "coursekit.cek", "coursekit.indikator", "coursekit.kuis",
    # what a notebook's first chart, table display and pivot import lazily (measured on m03:
    # about 0.09 s of CPU a kernel otherwise). Not matplotlib_inline.backend_inline itself:
    # importing it connects matplotlib to the kernel's shell, which exists only in the child.
    "matplotlib.backends.backend_agg", "matplotlib_inline.config", "IPython.core.pylabtools",
    "pandas.plotting._matplotlib", "pandas.io.formats.html", "pandas.io.formats.string",
    "pandas.core.reshape.reshape", "IPython.core.logger",
    # what IPKernelApp.initialize imports lazily (measured: ~0.15 s a kernel otherwise)
    "ipykernel.debugger", "ipykernel.zmqshell", "ipykernel.comm", "IPython.core.completerlib",
    "IPython.core.debugger", "IPython.core.oinspect", "IPython.extensions.storemagic",
    "tornado.gen", "tornado.locks", "tornado.queues", "tornado.platform.asyncio", "pdb",
    "sqlite3", "http.server", "xmlrpc.server", "pydoc", "faulthandler",
    # what confines each kernel: loaded before it may read files
    "ctypes.util", "landlockpy", "pyseccomp", "autograder.grading.confine",
]


# Server (runs in the zygote process) -------------------------------------------------

def _preload(speedups: bool = True) -> None:
    from autograder.grading import patches

    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    import ipykernel.ipkernel  # noqa: F401
    import ipykernel.kernelapp  # noqa: F401
    import IPython  # noqa: F401

    for name in PRELOAD:
        try:
            __import__(name)
        except Exception:  # noqa: BLE001 - a missing optional module only costs speed
            pass
    import pkgutil

    import coursekit

    for module in pkgutil.iter_modules(coursekit.__path__):  # every course helper
        try:
            __import__(f"coursekit.{module.name}")
        except Exception:  # noqa: BLE001
            pass
    if speedups:
        patches.apply(patches.ZYGOTE, speedups)
        _warm_caches()
    _prepare_confinement()
    patches.apply(patches.FORK, speedups)  # after every import: the list of modules is complete
    import threading

    if threading.active_count() != 1:  # forking a process with threads is unsafe
        raise RuntimeError("zygote: impor awal memulai thread; tidak aman untuk fork")
    gc.collect()
    gc.freeze()  # the children's garbage collector leaves the shared pages alone


WARM_SOURCES = [
    "def periksa(nilai):\n    assert nilai == 2, 'contoh pemanasan'\n\nperiksa(1)\n",
    # a course check failing inside coursekit: its file is then read and parsed once here
    "from coursekit import cek\n\ncek.terisi(..., 'contoh pemanasan')\n",
]


def _warm_caches() -> None:
    """Fill, once, the per-process caches every kernel would otherwise fill again.

    Profiled on the course's notebooks, a forked kernel spent about 40% of its
    CPU formatting its first traceback (a failing check is common):
    ``inspect.getmodule`` indexing the file of every loaded module, pygments
    compiling its Python lexer, IPython and stack_data compiling regular
    expressions (the patches of stage ``patches.ZYGOTE`` make those caches
    last between tracebacks). Kernels also list the machine's addresses (importing psutil)
    and look up fonts for their first chart. Doing that here, before any
    participant's code exists, hands each child filled caches; what a child
    computes and prints is unchanged.
    """
    import io

    try:
        from jupyter_client import localinterfaces

        localinterfaces.localhost()
    except Exception:  # noqa: BLE001 - warming only saves time; a kernel works without it
        pass
    for number, source in enumerate(WARM_SOURCES):
        try:
            _format_warm_traceback(source, f"<spptik-pemanasan-{number}>")
        except Exception:  # noqa: BLE001
            pass
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        figure = Figure(figsize=(3, 2))
        axes = figure.add_subplot()
        axes.bar(["a", "b"], [1, 2], label="contoh")
        axes.set_title("Judul")
        axes.legend()
        FigureCanvasAgg(figure).print_png(io.BytesIO())
    except Exception:  # noqa: BLE001
        pass


def _prepare_confinement() -> None:
    try:
        from autograder.grading import confine

        confine.prepare()
    except Exception:  # noqa: BLE001 - each kernel then builds its own filter (or fails, reported)
        pass


def _format_warm_traceback(source: str, name: str) -> None:
    """Run ``source`` (it fails) and format its traceback as a kernel would."""
    import linecache
    import traceback

    from IPython.core import ultratb
    from IPython.core.inputtransformer2 import TransformerManager

    TransformerManager().transform_cell(source)
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    try:
        exec(compile(source, name, "exec"), {"__name__": "__pemanasan__"})
    except AssertionError as exc:
        # IPython's defaults in a kernel: the "neutral" theme, "Context" mode
        formatter = ultratb.AutoFormattedTB(mode="Context", theme_name="neutral", tb_offset=0)
        formatter.structured_traceback(type(exc), exc, exc.__traceback__)
        traceback.format_exception(exc)
        exc.__traceback__ = None
    finally:
        linecache.cache.pop(name, None)


# Applied through patches.py (entry: traceback-lexer).
def _reuse_traceback_lexer() -> None:
    """stack_data (IPython's traceback formatter) with one lexer class instead of one per frame.

    ``stack_data.utils._pygmented_with_ranges`` defines a new pygments lexer class
    on every call, and pygments then rebuilds all of Python's token rules for it
    (profiled: a quarter of a kernel's CPU on the course's notebooks, where failing
    checks are common). The class here is the same one, defined once; each call
    sets its highlighted ranges on the instance. The highlighted text is the same.
    """
    try:
        import pygments
        import stack_data.core
        import stack_data.utils
        from pygments.lexers import get_lexer_by_name
    except ImportError:
        return

    # the class of the installed pygments' python3 lexer, found at run time as stack_data finds it
    class RangeLexer(type(get_lexer_by_name("python3"))):  # type: ignore[misc]
        ranges = ()

        def get_tokens(self, text):
            length = 0
            for ttype, value in super().get_tokens(text):
                if any(start <= length < end for start, end in self.ranges):
                    ttype = ttype.ExecutingNode
                length += len(value)
                yield ttype, value

    def pygmented_with_ranges(formatter, code, ranges):
        lexer = RangeLexer(stripnl=False)
        lexer.ranges = ranges
        try:
            highlighted = pygments.highlight(code, lexer, formatter)
        except Exception:  # noqa: BLE001 - as stack_data: plain code rather than a crash
            highlighted = code
        return highlighted.splitlines()

    original = stack_data.utils._pygmented_with_ranges
    if getattr(stack_data.core, "_pygmented_with_ranges", None) is original:
        stack_data.core._pygmented_with_ranges = pygmented_with_ranges
        stack_data.utils._pygmented_with_ranges = pygmented_with_ranges


# Applied through patches.py (entry: traceback-styles, terminal256-colours).
def _reuse_traceback_styles() -> None:
    """IPython's coloured tracebacks with one style class and one colour table per style.

    For every traceback, IPython asks stack_data for a new pygments style class
    (the theme's colours plus the highlight of the failing expression), and
    pygments' 256-colour formatter then matches every colour of that style to the
    terminal palette again (profiled: about a tenth of a failing cell's cost).
    Here the same style and modifier give the same class, and a formatter for a
    style already seen copies its colour table instead of recomputing it. The
    escape codes written are the same.
    """
    try:
        import stack_data
        import stack_data.core
        from pygments.formatters.terminal256 import Terminal256Formatter
    except ImportError:
        return

    original_style = stack_data.core.style_with_executing_node
    styles: dict = {}

    def style_with_executing_node(style, modifier):
        try:
            return styles[(style, modifier)]
        except KeyError:
            made = styles[(style, modifier)] = original_style(style, modifier)
            return made
        except TypeError:  # an unhashable argument: as stack_data does
            return original_style(style, modifier)

    if getattr(stack_data, "style_with_executing_node", None) is original_style:
        stack_data.style_with_executing_node = style_with_executing_node
        stack_data.core.style_with_executing_node = style_with_executing_node

    # a private method of pygments (no stub declares it), replaced below: registered patch
    original_setup = Terminal256Formatter._setup_styles  # type: ignore[attr-defined]
    tables: dict = {}

    def _setup_styles(self):
        key = (type(self), self.style, self.usebold, self.useunderline, self.useitalic)
        cached = tables.get(key)
        if cached is None:
            original_setup(self)
            tables[key] = (dict(self.style_string), dict(self.best_match))
        else:
            self.style_string.update(cached[0])
            self.best_match.update(cached[1])

    Terminal256Formatter._setup_styles = _setup_styles  # type: ignore[attr-defined]  # as above


# Applied through patches.py (entry: getmodule-no-module).
def _remember_files_of_no_module() -> None:
    """``inspect.getmodule``: remember that a notebook cell's file belongs to no module.

    Formatting a traceback asks ``inspect.getmodule`` about each frame several
    times. For a frame of a notebook cell the answer is always "no module", found
    only after walking every loaded module (over a thousand here: pandas,
    matplotlib, IPython), each time; that walk was most of a traceback's cost.
    After the first such answer for a frame's file, the file is entered in
    inspect's own file-to-module table under a name no module has, so the next
    question about it gets the same answer (no module) at once.
    """
    import inspect

    original = inspect.getmodule
    no_module = "<bukan modul>"

    def getmodule(object, _filename=None):  # noqa: A002 - inspect's own parameter name
        module = original(object, _filename)
        if module is None and (inspect.isframe(object) or inspect.iscode(object)
                               or inspect.istraceback(object)):
            try:
                inspect.modulesbyfile.setdefault(inspect.getabsfile(object, _filename), no_module)
            except (TypeError, OSError):
                pass
        return module

    inspect.getmodule = getmodule


# Applied through patches.py (entry: plain-exception-storage).
def _plain_exception_storage() -> None:
    """With input history off (as grading kernels run), store exceptions without colouring.

    IPython 9 formats every exception a second time, coloured like the one shown,
    only to keep it in the history manager's ``exceptions``. Grading kernels keep
    no history (``HistoryManager.enabled=False``, see execution.py), so there the
    record is the plain Python traceback; what the notebook shows is unchanged.
    """
    try:
        from IPython.core.interactiveshell import InteractiveShell
    except ImportError:
        return
    original = InteractiveShell._format_exception_for_storage

    def format_for_storage(self, exception, *args, **kwargs):
        history = getattr(self, "history_manager", None)
        if history is not None and not history.enabled:
            import traceback

            return {"ename": type(exception).__name__, "evalue": str(exception),
                    "traceback": traceback.format_exception(exception)}
        return original(self, exception, *args, **kwargs)

    # replacing IPython's method on its class is the point (registered patch)
    InteractiveShell._format_exception_for_storage = format_for_storage  # type: ignore[method-assign]


# Options execution.py adds to every grading kernel's command line.
KERNEL_ARGS = ["--HistoryManager.enabled=False"]
# A grading kernel's whole command line besides ``-f <connection file>``: nbclient's
# in-memory history file, then ours. With these the kernel application's configuration
# is read once, in the zygote, instead of in every kernel.
PREPARED_ARGS = ["--HistoryManager.hist_file=:memory:", *KERNEL_ARGS]
_prepared: dict = {}


# Applied through patches.py (entry: prepared-kernel-app).
def _prepare_kernel_app() -> None:
    """Parse the kernel's options and load its configuration files once, before any fork.

    That is the first half of ``IPKernelApp.initialize`` (IPython's
    ``BaseIPythonApplication.initialize``: command line, profile folder, config
    files; about 20 ms of CPU a kernel). It starts no thread and opens no socket;
    each child sets its own connection file and does the rest (sockets, threads,
    the kernel and its shell) itself. Without this, children parse as usual.
    """
    try:
        from ipykernel.kernelapp import IPKernelApp
        from IPython.core.application import BaseIPythonApplication

        hook = sys.excepthook
        app = IPKernelApp.instance()
        BaseIPythonApplication.initialize(app, list(PREPARED_ARGS))
        sys.excepthook = hook  # the kernel's own hook is set in each child
        if app.subapp is None:
            _prepared.update(app=app, ipythondir=os.environ.get("IPYTHONDIR"))
    except Exception:  # noqa: BLE001 - only saves time: children then start the usual way
        _prepared.clear()
        try:
            from ipykernel.kernelapp import IPKernelApp

            IPKernelApp.clear_instance()
        except Exception:  # noqa: BLE001
            pass


def prepared_connection_file(args: list[str]) -> str | None:
    """The connection file of a kernel command line the prepared application fits, else None."""
    if "-f" not in args[:-1]:
        return None
    position = args.index("-f")
    rest = args[:position] + args[position + 2:]
    return args[position + 1] if rest == PREPARED_ARGS else None


def _launch_kernel(args: list[str]) -> None:
    """Run the kernel: from the prepared application where the options match, else as usual."""
    from ipykernel import kernelapp

    connection_file = prepared_connection_file(args)
    app = _prepared.get("app")
    if (app is not None and connection_file
            and os.environ.get("IPYTHONDIR") == _prepared.get("ipythondir")):
        from IPython.core.application import BaseIPythonApplication

        app.connection_file = connection_file
        app.init_crash_handler()
        # done before the fork; replacing the method on the class is the point
        BaseIPythonApplication.initialize = lambda self, argv=None: None  # type: ignore[method-assign]
        app.initialize([])
        app.start()
        return
    kernelapp.IPKernelApp.clear_instance()
    kernelapp.launch_new_instance(argv=args)


# Applied through patches.py (entry: kernel-modules-listed-once).
def _list_kernel_modules_once() -> None:
    """ipykernel's list of loaded modules' files, made once here instead of in every kernel.

    When a kernel starts, ipykernel lists the file of every loaded module (for its
    debugger's "just my code"). In a kernel forked from here that walk touches all
    1,300 module objects the zygote loaded, and every page they sit on is then
    copied for the child: about 2,500 page faults, 15 ms a kernel. Here the
    list is made once, into new objects that share a few pages, and ipykernel's
    module sees a ``sys`` whose ``modules.copy()`` returns them: the same list, as
    of the fork. Everything else on that ``sys`` (``sys.modules`` itself included)
    is the real one.
    """
    import types
    from collections.abc import Mapping

    try:
        from ipykernel import ipkernel
    except ImportError:
        return
    if getattr(ipkernel, "sys", None) is not sys:
        return
    files = [m.__file__ for m in sys.modules.copy().values() if hasattr(m, "__file__") and m.__file__]
    listing = {str(number): types.SimpleNamespace(__file__=(name + ".")[:-1])  # a new string
               for number, name in enumerate(files)}

    class ModulesAtFork(Mapping):
        """The real ``sys.modules``, except that its copy is the listing made before the fork."""

        def __getitem__(self, name):
            return sys.modules[name]

        def __iter__(self):
            return iter(sys.modules)

        def __len__(self):
            return len(sys.modules)

        def copy(self):
            return listing

    class SysForIpkernel(types.ModuleType):
        modules = ModulesAtFork()

        def __getattr__(self, name):
            return getattr(sys, name)

    ipkernel.sys = SysForIpkernel("sys")


class TracebackSources:
    """Library files that kernels' tracebacks went through, parsed here once for later kernels.

    To show a frame in a library file (pandas' ``generic.py``, a course helper),
    IPython's traceback formatter has stack_data parse the whole file and walk its
    syntax tree: 0.25-0.35 s of CPU in each kernel whose failing cell goes through
    pandas (m08: 7 of 60 benchmark submissions, 3 s of a 25 s run). stack_data keeps
    each file it parsed for the life of the process, so a kernel forked after the
    zygote parsed the file finds it there (measured: 0.03-0.04 s, the same text).

    Grading workers name the files they saw in tracebacks (``ZygoteClient.learn``).
    Only files of modules this zygote imported itself are taken (no file a participant
    wrote, nothing the zygote did not already trust), within a budget of lines
    (memory: about 1.5 KB a line), and only while no kernel is waiting to be forked.
    Parsing runs none of the file's code; a kernel forked earlier or later prints the
    same traceback.
    """

    MAX_LINES = 80_000  # pandas' frame, series, generic and indexes' base together: 52,000

    def __init__(self) -> None:
        self.enabled = False
        self.pending: list[str] = []
        self.seen: set[str] = set()
        self.lines_left = self.MAX_LINES
        self._module_files: set[str] | None = None

    def ask(self, paths) -> None:
        if not self.enabled or not isinstance(paths, list):
            return
        if self._module_files is None:
            self._module_files = {f for m in list(sys.modules.values())
                                  if isinstance(f := getattr(m, "__file__", None), str)
                                  and f.endswith(".py")}
        for path in paths[:100]:
            if isinstance(path, str) and path in self._module_files and path not in self.seen:
                self.seen.add(path)
                self.pending.append(path)

    def parse_next(self) -> None:
        path = self.pending.pop(0)
        try:
            import linecache

            import stack_data

            lines = linecache.getlines(path)
            if not lines or len(lines) > self.lines_left:
                return
            self.lines_left -= len(lines)
            source = stack_data.Source.for_filename(path)
            getattr(source, "pieces")  # noqa: B009 - a cached property, computed once here
        except Exception:  # noqa: BLE001 - only a speed-up: the kernel parses it itself
            pass
        finally:
            gc.freeze()  # what was parsed stays out of the children's garbage collection


_sources = TracebackSources()


# Applied through patches.py (entry: traceback-sources-learned).
def _learn_traceback_sources() -> None:
    """The zygote takes the library files kernels' tracebacks went through (``TracebackSources``)."""
    _sources.enabled = True


def _keeper(request: dict, conn: socket.socket, policy: dict) -> None:
    """In the forked child: confine and fork the kernel, hand the grader its pidfd, keep it. Never returns."""
    try:
        from autograder.grading import confine

        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the zygote ignores its children; we wait
        confined = policy.get("mode") in ("bubblewrap", "landlock")
        namespaces = confine.enter_namespaces(policy) if confined else False
        if confined and not namespaces:
            confine.become_subreaper()
        # a user id of its own where it can still read Python (see sandbox.confinement)
        own_uid = confined and (policy.get("own_uid") or namespaces)
        uid = confine.kernel_uid(os.getpid()) if own_uid else None
        status_r, status_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(status_r)
            conn.close()
            _kernel(request, policy, namespaces, uid, status_w)
        os.close(status_w)
        status = b""
        while chunk := os.read(status_r, 4096):
            status += chunk
            if status.startswith(b"siap"):
                break
        pidfd = os.pidfd_open(pid)
        reply = {"pid": pid, "ok": status.startswith(b"siap"),
                 "error": status.decode(errors="replace")[:2000]}
        socket.send_fds(conn, [json.dumps(reply).encode() + b"\n"], [pidfd])
        conn.close()
        os.close(pidfd)
        os.close(status_r)
        confine.keep(pid, namespaces)
    finally:
        os._exit(0)


def _kernel(request: dict, policy: dict, namespaces: bool, uid, status_fd: int) -> None:
    """In the kernel's process: confine, then become an ipykernel. Never returns."""
    try:
        os.environ.clear()
        os.environ.update(request.get("env") or {})
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        # nobody reads the zygote's pipes: never block on them (a log file helps debugging)
        log = request.get("log")
        out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600) if log else devnull
        os.dup2(out, 1)
        os.dup2(out, 2)
        if policy.get("mode") in ("bubblewrap", "landlock"):
            from autograder.grading import confine

            kernel = confine.Kernel(work=request["cwd"], channel=request["channel"],
                                    home=request["home"], shared=tuple(policy.get("shared", ())))
            confine.confine(policy, kernel, namespaces, uid, status_fd)
        else:  # trusted: the grader's own rights, with the resource limits
            from autograder.grading import confine

            confine.set_limits(policy)
            os.chdir(request["cwd"])
        os.write(status_fd, b"siap")
        os.close(status_fd)
    except BaseException as exc:  # noqa: BLE001 - told to the grader, the kernel never starts
        try:
            os.write(status_fd, f"gagal: {type(exc).__name__}: {exc}".encode())
        finally:
            os._exit(1)
    try:
        sys.path[:] = [p for p in sys.path if p not in ("", ".")]
        sys.argv = ["ipykernel_launcher", *request["args"]]
        _launch_kernel(request["args"])
    except Exception:  # noqa: BLE001 - into the kernel's log (SPPTIK_KERNEL_LOG), then end
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
    finally:
        os._exit(0)


def _authorised(request: dict, policy: dict) -> bool:
    """Only the grader may ask for kernels: it holds the token whose hash the zygote was given.

    A kernel is a copy of the zygote, so the zygote keeps no secret a kernel could
    use; the hash alone lets nobody ask for a kernel.
    """
    import hashlib
    import hmac

    token = str(request.get("token", ""))
    digest = hashlib.sha256(token.encode()).hexdigest()
    return hmac.compare_digest(digest, str(policy.get("token_sha256", "")))


def serve(socket_path: str, policy_path: str) -> None:
    policy = json.loads(Path(policy_path).read_text(encoding="utf-8"))
    _preload(bool(policy.get("speedups", True)))
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # keepers are reaped by the system
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    # bound and listening under another name first: the socket's path appearing means ready
    server.bind(socket_path + ".tmp")
    server.listen(64)
    os.rename(socket_path + ".tmp", socket_path)
    sys.stdout.write("siap\n")
    sys.stdout.flush()
    while True:
        if _sources.pending and not select.select([server], [], [], 0)[0]:
            _sources.parse_next()  # no kernel is waiting
            continue
        conn, _ = server.accept()
        with conn:
            data = b""
            while not data.endswith(b"\n") and len(data) < 1 << 20:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
            try:
                request = json.loads(data)
            except ValueError:
                continue
            if not isinstance(request, dict) or not _authorised(request, policy):
                continue
            if request.get("stop"):
                return
            if "sumber" in request:
                _sources.ask(request["sumber"])
                continue
            if os.fork() == 0:
                server.close()
                _keeper(request, conn, policy)


# Client (runs in the grading worker) --------------------------------------------------

class ZygoteError(SpptikError, RuntimeError):
    pass


def _die_with_parent() -> None:
    """In the zygote before exec: end when the grading worker ends (Linux prctl)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _font_list_cache() -> Path | None:
    """Where this user's matplotlib font list is kept between grading runs (None: no matplotlib)."""
    import hashlib
    from importlib.util import find_spec

    spec = find_spec("matplotlib")  # finds the package without importing it
    if spec is None or not spec.origin:
        return None
    origin = Path(spec.origin).parent / "font_manager.py"
    stamp = f"{origin}:{origin.stat().st_mtime_ns}"  # another matplotlib: another list
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "spptik" / f"matplotlib-{hashlib.sha256(stamp.encode()).hexdigest()[:12]}"


def _seed_font_list(config_dir: Path) -> None:
    """Give the zygote's matplotlib the font list of an earlier run.

    Kernels keep matplotlib's files in the run's scratch folder, so matplotlib
    would search the system's fonts in every grading run (a second of CPU). The
    list is built once per user, outside the sandbox, by a separate process that
    runs no participant code; each run copies it in. Without it, the zygote
    builds its own as before.
    """
    import shutil

    config_dir.mkdir(parents=True, exist_ok=True)
    try:
        cache = _font_list_cache()
        if cache is None:
            return
        found = sorted(cache.glob("fontlist-*.json"))
        for path in found:
            shutil.copy2(path, config_dir / path.name)
        if not found:  # for the next run; this one goes on without waiting
            cache.mkdir(parents=True, exist_ok=True)
            subprocess.Popen([sys.executable, "-c", "import matplotlib.font_manager"],
                             env={**os.environ, "MPLCONFIGDIR": str(cache)},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    except OSError:
        pass


class ZygoteClient:
    """Starts a zygote (inside the sandbox) and asks it for kernels.

    ``ZygoteClient.connect(scratch, token)`` talks to a zygote another process
    started (grading workers share the one the grading run starts).
    """

    process = None

    @classmethod
    def connect(cls, scratch: Path, token: str) -> ZygoteClient:
        client = cls.__new__(cls)
        client.scratch = Path(scratch)
        client.socket_path = str(client.scratch / "zygote.sock")
        client.token = token
        return client

    def __init__(self, scratch: Path, policy: dict, env: dict[str, str], wrap=None,
                 speedups: bool = True):
        """Start the zygote; it preloads in the background until ``wait_ready``.

        ``policy`` (from ``sandbox.SandboxPolicy.confinement``) tells its children how
        to confine themselves; ``env`` is its whole environment (an allowlist: a
        kernel is a copy of the zygote, its first environment included).
        ``speedups`` False: no patch, no warm-up (``patches.py``); still confined.
        """
        import hashlib
        import secrets

        self.scratch = Path(scratch)
        self.socket_path = str(self.scratch / "zygote.sock")
        self.token = secrets.token_hex(32)
        policy = {**policy, "token_sha256": hashlib.sha256(self.token.encode()).hexdigest(),
                  "shared": [env["IPYTHONDIR"], env["MPLCONFIGDIR"]], "speedups": bool(speedups)}
        policy_path = self.scratch / "zygote.json"
        policy_path.write_text(json.dumps(policy), encoding="utf-8")
        command = [sys.executable, "-m", "autograder.grading.zygote", self.socket_path, str(policy_path)]
        if wrap:
            command = wrap(command)
        if speedups:
            _seed_font_list(Path(env["MPLCONFIGDIR"]))
        else:
            Path(env["MPLCONFIGDIR"]).mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, env=env,
                                        cwd=str(self.scratch), start_new_session=True,
                                        preexec_fn=_die_with_parent)

    @classmethod
    def start(cls, policy, speedups: bool = True) -> ZygoteClient:
        """A zygote for ``policy`` (a ``sandbox.SandboxPolicy``), in its sandbox, in its scratch folder."""
        from autograder.grading import sandbox

        scratch = Path(policy.scratch)
        env = sandbox.kernel_env(str(scratch / "rumah"),
                                 {"IPYTHONDIR": str(scratch / ".ipython"),
                                  "MPLCONFIGDIR": str(scratch / ".matplotlib")})
        return cls(scratch, policy.confinement(), env,
                   wrap=lambda command: sandbox.zygote_command(command, policy), speedups=speedups)

    def wait_ready(self) -> None:
        """Block until the zygote has preloaded; on failure stop it and tell waiting clients."""
        if self.process is None or self.process.stdout is None:  # a client made by connect()
            raise ZygoteError("klien ini tidak memulai proses kernel hangat")
        line = self.process.stdout.readline()
        if line.strip() != b"siap":
            self.close()
            Path(self.socket_path + ".gagal").touch()
            raise ZygoteError("proses kernel hangat gagal dimulai")

    def wait_for_server(self, timeout: float = 120.0) -> bool:
        """In a client made by ``connect``: wait until the zygote listens (False: it failed)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if os.path.exists(self.socket_path):
                return True
            if os.path.exists(self.socket_path + ".gagal"):
                return False
            time.sleep(0.02)
        return False

    def spawn(self, args: list[str], cwd: str, channel: str, home: str,
              env: dict[str, str]) -> ForkedKernelProcess:
        """A confined kernel running ``args`` in ``cwd``; raises ZygoteError if it could not start."""
        log = str(self.scratch / "kernel.log") if os.environ.get("SPPTIK_KERNEL_LOG") else None
        request = {"token": self.token, "args": args, "cwd": cwd, "channel": channel,
                   "home": home, "env": env, "log": log}
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(self.socket_path)
            conn.sendall(json.dumps(request).encode() + b"\n")
            message, fds, _, _ = socket.recv_fds(conn, 65536, 1)
            while message and not message.endswith(b"\n"):
                chunk = conn.recv(65536)
                if not chunk:
                    break
                message += chunk
        if not message or not fds:
            for fd in fds:
                os.close(fd)
            raise ZygoteError("proses kernel hangat berhenti")
        reply = json.loads(message)
        process = ForkedKernelProcess(int(reply["pid"]), fds[0])
        if not reply.get("ok"):
            process.kill()
            process.close()
            raise ZygoteError(f"sandbox kernel gagal disiapkan: {reply.get('error')}")
        return process

    def learn(self, paths: list[str]) -> None:
        """Tell the zygote which library files a kernel's tracebacks went through (``TracebackSources``)."""
        request = {"token": self.token, "sumber": list(paths)}
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.connect(self.socket_path)
                conn.sendall(json.dumps(request).encode() + b"\n")
        except OSError:  # only a speed-up
            pass

    def alive(self) -> bool:
        if self.process is None:
            return os.path.exists(self.socket_path)
        return self.process.poll() is None

    def close(self) -> None:
        if self.process is None:
            return
        log = os.environ.get("SPPTIK_KERNEL_LOG")  # kernels' output, for debugging the sandbox
        if log and (self.scratch / "kernel.log").is_file():
            with open(log, "ab") as out:
                out.write((self.scratch / "kernel.log").read_bytes())
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.process.stdout:
            self.process.stdout.close()


class ForkedKernelProcess:
    """A Popen-like handle on a kernel forked by the zygote, through its pidfd.

    The kernel is not our child and may live in another process namespace (its
    pid there means nothing here): a pidfd names it anywhere, tells when it
    ended, and signals it.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int, pidfd: int):
        self.pid = pid  # as the zygote sees it; for messages only
        self.pidfd: int | None = pidfd
        self.returncode: int | None = None

    def poll(self) -> int | None:
        import select

        if self.returncode is None and self.pidfd is not None:
            readable, _, _ = select.select([self.pidfd], [], [], 0)
            if readable:  # the process has ended (we cannot read its exit status)
                self.returncode = -1
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        started = time.monotonic()
        while (code := self.poll()) is None:
            if timeout is not None and time.monotonic() > started + timeout:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.01)
        self.close()
        return code

    async def wait_async(self, timeout: float) -> int | None:
        """Wait without blocking the event loop until the process has ended, or ``timeout``."""
        import asyncio

        if self.pidfd is None or self.poll() is not None:
            return self.returncode
        loop = asyncio.get_running_loop()
        ended: asyncio.Future[None] = loop.create_future()

        def on_readable() -> None:
            if not ended.done():
                ended.set_result(None)

        loop.add_reader(self.pidfd, on_readable)
        try:
            await asyncio.wait_for(ended, timeout)
        except TimeoutError:
            pass
        finally:
            loop.remove_reader(self.pidfd)
        return self.poll()

    def send_signal(self, signum: int) -> None:
        if self.pidfd is None or self.poll() is not None:
            return
        try:
            signal.pidfd_send_signal(self.pidfd, signum)
        except ProcessLookupError:
            pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def close(self) -> None:
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None


if __name__ == "__main__":
    # patches.py names its functions "autograder.grading.zygote:...": this module, not a second copy
    sys.modules.setdefault("autograder.grading.zygote", sys.modules["__main__"])
    serve(sys.argv[1], sys.argv[2])
