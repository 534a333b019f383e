"""JupyterHub configuration of the SPP-TIK training site.

Settings come from environment variables (on a server: /etc/spptik/situs.env, read by
the systemd unit that `spptik situs siapkan` writes):

    SPPTIK_KOHORT            the cohort workspace (spptik init); required
    SPPTIK_FASILITATOR       trainers' account names, comma-separated; required
    SPPTIK_EXCHANGE          nbgrader's exchange folder (default: kohort.toml, else /srv/nbgrader/exchange)
    SPPTIK_ROSTER            who may log in (default: the cohort's roster.csv)
    SPPTIK_HUB_IP, SPPTIK_HUB_PORT                  where participants connect (default: all, 8000)
    SPPTIK_HUB_INTERNAL_PORT, SPPTIK_PROXY_API_PORT internal ports (default 8081, 8001)
    SPPTIK_HUB_DATA          the hub's own files (default /var/lib/spptik-hub)
    SPPTIK_HUB_DB_URL        the hub's database (default SQLite in SPPTIK_HUB_DATA)
    SPPTIK_HUB_API_TOKEN     optional token of the 'spptik-admin' service (scripts)
    SPPTIK_HUB_SSL_CERT, SPPTIK_HUB_SSL_KEY          optional HTTPS
    SPPTIK_DB_URL            the gradebook (e.g. PostgreSQL), passed to trainers' servers
    SPPTIK_HUB_HOMES         tests and measurements only: homes as <folder>/<user>, servers
                             run as the hub's own account (with JupyterHub's 'simple' spawner)

The logic lives in autograder/site/hub.py.
"""
import sys

from autograder.site import hub
from autograder.site.lab import install_overrides

c = get_config()  # noqa: F821

try:
    settings = hub.settings_from_env()
except hub.SiteError as exc:
    sys.exit(f"Gagal: {exc}")

install_overrides()  # the Indonesian interface for every JupyterLab of this environment
hub.apply_config(c, settings)
