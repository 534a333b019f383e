"""The trainers' live view of the class: ``/services/dasbor/`` on the hub, ``spptik dasbor DIR`` without.

One page in Bahasa Indonesia: a grid of participants × assignments, each cell's
state (not fetched, fetched, submitted, graded with its %, awaiting hand grading,
needs attention), counts per assignment, who is behind on required work, and for
each assignment where the class is stuck: the checks that failed most in the latest
submissions, with the message participants saw (read from the autograded
notebooks' error outputs). The page polls ``api/kelas`` and redraws itself; every
text from participants goes into the page through ``textContent`` (the Jinja
template is autoescaped, the script never uses ``innerHTML``), and a strict
Content-Security-Policy forbids any script but the page's own.

On the hub the app is a managed service behind the hub's login (``HubOAuth``): only
users with ``access:services!service=dasbor`` (the trainers, through the role
:func:`autograder.site.hub.live_services` loads) and on ``SPPTIK_FASILITATOR`` get
in; a participant gets 403. Without a hub, :func:`serve_local` serves the same
app on 127.0.0.1 behind a random token in its address.

What the page shows is read by :mod:`autograder.site.classview`.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograder.site.classview import ClassReader, FetchWatcher

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger("autograder.site.dashboard")

SERVICE = "dasbor"
ASSETS = Path(__file__).resolve().parent / "templates" / "dasbor"
REFRESH_SECONDS = 3          # the page asks this often
CACHE_SECONDS = 2.0          # the class is read at most this often, whoever asks
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
       "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'")


# The web app ---------------------------------------------------------------------------------

@dataclass
class _ViewCache:
    """The class as last read, shared by every request of one app."""

    at: float = 0.0                             # time.monotonic() of the last read
    view: dict | None = None
    asking: asyncio.Future[None] | None = None  # the participants' servers being asked now


def make_app(reader: ClassReader, *, prefix: str = "/", hub_auth=None, trainers: tuple[str, ...] = (),
             token: str | None = None, watcher: FetchWatcher | None = None, formgrader: str | None = None):
    """The tornado app: ``prefix`` (page), ``prefix + "api/kelas"`` (JSON), static files.

    With ``hub_auth`` (a ``HubOAuth``) users log in through the hub and only
    ``trainers`` get in; with ``token`` the page needs ``?token=`` once (then a cookie).
    """
    import asyncio

    import jinja2
    from tornado import web

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ASSETS)), autoescape=True)
    state = _ViewCache()

    async def ask_servers(watcher: FetchWatcher) -> None:
        try:
            await watcher.poll(reader.released())
        except Exception:  # noqa: BLE001 - the page still shows what is known
            log.exception("Gagal menanyakan tugas yang diambil peserta")
        finally:
            state.asking = None

    async def current_view() -> dict:
        if watcher is not None:
            if state.asking is None:  # in the background: no page waits for slow servers
                state.asking = asyncio.ensure_future(ask_servers(watcher))
            reader.fetched = watcher.fetched
        view = state.view
        if view is None or time.monotonic() - state.at > CACHE_SECONDS:
            view, state.at = reader.view(), time.monotonic()
            state.view = view
        return view

    class Base(web.RequestHandler):
        def set_default_headers(self):
            self.set_header("Content-Security-Policy", CSP)
            self.set_header("X-Content-Type-Options", "nosniff")
            self.set_header("Referrer-Policy", "same-origin")
            self.set_header("Cache-Control", "no-store")

        def allowed(self) -> str | None:
            """The trainer's name, or None after answering 403 (or the hub's login)."""
            if hub_auth is not None:
                user = self.get_current_user()
                if not user:
                    return None
                if user.get("kind", "user") != "user" or user["name"] not in trainers:
                    raise web.HTTPError(403, "Halaman ini hanya untuk fasilitator.")
                return user["name"]
            given = self.get_argument("token", None)
            if given is not None and secrets.compare_digest(given, token or ""):
                self.set_cookie("spptik_dasbor", given, httponly=True, samesite="Strict", path=prefix)
                return "fasilitator"
            cookie = self.get_cookie("spptik_dasbor")
            if cookie is not None and secrets.compare_digest(cookie, token or ""):
                return "fasilitator"
            raise web.HTTPError(403, "Buka alamat lengkap yang dicetak spptik dasbor (dengan token).")

        def write_error(self, status_code, **kwargs):
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            reason = kwargs.get("exc_info", (None, None))[1]
            message = getattr(reason, "log_message", None) or self._reason
            self.finish(f"{status_code}: {message}\n")

    class Page(Base):
        async def get(self):
            if hub_auth is not None and not self.get_current_user():
                self.redirect(self.get_login_url())
                return
            user = self.allowed()
            if user is None:
                return
            links = {"formgrader": formgrader.format(user=user) if formgrader else None}
            html = env.get_template("index.html").render(
                kohort=reader.ws.name, prefix=prefix, refresh=REFRESH_SECONDS * 1000,
                user=user, formgrader=links["formgrader"], hub=hub_auth is not None,
                # the hub's check on cookie-authenticated requests from scripts (JupyterHub ≥4.1)
                xsrf=self.xsrf_token.decode() if hub_auth is not None else "")
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(html)

    class Api(Base):
        async def get(self):
            if hub_auth is not None and not self.get_current_user():
                raise web.HTTPError(403, "Masuk dulu lewat hub.")
            user = self.allowed()
            if user is None:
                return
            view = dict(await current_view())
            view["formgrader"] = formgrader.format(user=user) if formgrader else None
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(json.dumps(view, ensure_ascii=False))

    page: type[Base] = Page
    api: type[Base] = Api
    if hub_auth is not None:   # the hub's login in front of both (its methods before Base's)
        from jupyterhub.services.auth import HubOAuthenticated

        class HubPage(HubOAuthenticated, Page):
            pass

        class HubApi(HubOAuthenticated, Api):
            pass

        page, api = HubPage, HubApi

    handlers: list[tuple[str, Any] | tuple[str, Any, dict[str, Any]]] = [
        (prefix, page),
        (prefix + "api/kelas", api),
        (prefix + r"static/(dasbor\.(?:js|css))", web.StaticFileHandler, {"path": str(ASSETS)}),
    ]
    settings: dict[str, Any] = {"xsrf_cookies": False}
    if hub_auth is not None:
        from jupyterhub.services.auth import HubOAuthCallbackHandler

        handlers.append((prefix + "oauth_callback", HubOAuthCallbackHandler))
        settings.update(hub_auth=hub_auth, cookie_secret=os.urandom(32))
    app = web.Application(handlers, **settings)
    return app


def serve_local(ws, port: int = 0, *, open_browser: bool = True, on_ready=None) -> None:
    """``spptik dasbor DIR``: the page on 127.0.0.1 for a cohort that collects by file."""
    import asyncio

    from tornado.netutil import bind_sockets

    token = secrets.token_urlsafe(24)
    reader = ClassReader(ws)
    app = make_app(reader, token=token)

    async def serve():
        sockets = bind_sockets(port, "127.0.0.1")
        from tornado.httpserver import HTTPServer

        server = HTTPServer(app)
        server.add_sockets(sockets)
        url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/?token={token}"
        if on_ready:
            on_ready(url)
        if open_browser:
            import webbrowser

            webbrowser.open(url)
        await asyncio.Event().wait()

    asyncio.run(serve())


def main() -> int:
    """The hub's managed service ``dasbor`` (environment from JupyterHub and the site)."""
    import asyncio
    import sys
    from urllib.parse import urlparse

    from jupyterhub.services.auth import HubOAuth

    import autograder.lean  # noqa: F401 - keeps a slow import out
    from autograder.cohort.workspace import Workspace
    from autograder.errors import SpptikError
    from autograder.site.hub import parse_trainers

    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s spptik-dasbor: %(message)s")
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    try:
        ws = Workspace(os.environ["SPPTIK_KOHORT"])
    except (KeyError, SpptikError) as exc:
        log.error("Dasbor tidak dapat mulai: %s", exc)
        return 2
    exchange = Path(os.environ["SPPTIK_EXCHANGE"]) if os.environ.get("SPPTIK_EXCHANGE") else None
    trainers = parse_trainers(os.environ.get("SPPTIK_FASILITATOR"))
    prefix = os.environ["JUPYTERHUB_SERVICE_PREFIX"]
    auth = HubOAuth(api_token=os.environ["JUPYTERHUB_API_TOKEN"], cache_max_age=60)
    reader = ClassReader(ws, exchange=exchange, hub=True,
                         live_grading=os.environ.get("SPPTIK_PENILAIAN_LANGSUNG", "").strip() != "0")
    watcher = None
    if os.environ.get("SPPTIK_HUB_URL"):
        accounts = [p.id_peserta.lower() for p in ws.participants]
        watcher = FetchWatcher(ws, os.environ["SPPTIK_HUB_URL"], os.environ["JUPYTERHUB_API_TOKEN"], accounts)
    hub_prefix = os.environ.get("JUPYTERHUB_BASE_URL", "/")
    app = make_app(reader, prefix=prefix, hub_auth=auth, trainers=trainers, watcher=watcher,
                   formgrader=hub_prefix + "user/{user}/formgrader")
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])

    async def serve():
        app.listen(url.port, url.hostname)
        log.info("Dasbor kelas di %s (kohort %s)", prefix, ws.root)
        await asyncio.Event().wait()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
