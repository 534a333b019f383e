"""The formgrader of a trainer on the training site, without its *Collect* button.

On the site, submissions come in from the exchange through ``spptik situs ambil``
(and the site's grading service), never through the formgrader's *Collect* (README,
"Fasilitator"). nbgrader renders its *Manage Assignments* page from a Jinja template
it loads from its own folder; this Jupyter server extension (enabled in
``deploy/jupyterhub/singleuser/fasilitator/jupyter_server_config.json``) wraps that
loader so the page is served without the *Collect* column and its instruction. The
collect API itself is left to nbgrader (it goes through the site's checks anyway).
"""

from __future__ import annotations

from jinja2 import BaseLoader

PAGE = "manage_assignments.tpl"
COLLECT_HEADER = '<th class="text-center no-sort">Collect</th>'
COLLECT_HINT = ('<li><i>(JupyterHub only)</i> To <b>collect</b> assignments, click the collect '
                'button.</li>')
# the cells of the column are made by nbgrader's script (class "collect"): hidden
HIDE_CELLS = "<style>td.collect { display: none; }</style>\n"


def without_collect(source: str) -> str:
    """The Manage Assignments template without the Collect column (header, cells, hint)."""
    source = source.replace(COLLECT_HEADER, "").replace(COLLECT_HINT, "")
    return source.replace("{%- block head -%}", "{%- block head -%}\n" + HIDE_CELLS, 1)


class WithoutCollect(BaseLoader):
    """nbgrader's template loader, with :func:`without_collect` applied to its page."""

    def __init__(self, inner: BaseLoader):
        self.inner = inner

    def get_source(self, environment, template):
        source, filename, uptodate = self.inner.get_source(environment, template)
        if template == PAGE:
            source = without_collect(source)
        return source, filename, uptodate

    def list_templates(self):
        return self.inner.list_templates()


def hide_collect(settings: dict) -> bool:
    """Wrap the formgrader's template loader in ``settings`` (a web app's); False if not there yet."""
    env = settings.get("nbgrader_jinja2_env")
    if env is None:
        return False
    if not isinstance(env.loader, WithoutCollect):
        env.loader = WithoutCollect(env.loader)
        if env.cache is not None:
            env.cache.clear()
    return True


def _jupyter_server_extension_points():
    return [{"module": "autograder.site.formgrader"}]


def _load_jupyter_server_extension(serverapp) -> None:
    hide_collect(serverapp.web_app.settings)  # when nbgrader's formgrader loaded first


async def _start_jupyter_server_extension(serverapp) -> None:
    # called once every extension is loaded (they load in name order: nbgrader's after this)
    if not hide_collect(serverapp.web_app.settings):
        serverapp.log.warning("Formgrader nbgrader tidak dimuat: tombol Collect tidak disembunyikan")
