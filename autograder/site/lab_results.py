"""The participant's results, for the *Tugas* panel: ``GET <base>/spptik/hasil``.

A Jupyter server extension of the participant's server on the training site (enabled
in ``deploy/jupyterhub/singleuser/peserta/jupyter_server_config.json``). It answers with
:func:`autograder.site.results.participant_results` for the site's exchange and course
(``SPPTIK_EXCHANGE`` and ``SPPTIK_COURSE_ID``, which the hub gives the server): the
status file the grading service left for each of the participant's own submissions,
newest first. Only the logged-in participant reaches it (the server's own login).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from autograder.site.results import participant_results

ROUTE = "spptik/hasil"


class ResultsHandler(APIHandler):
    @web.authenticated
    def get(self) -> None:
        exchange = os.environ.get("SPPTIK_EXCHANGE", "")
        course_id = os.environ.get("SPPTIK_COURSE_ID", "")
        if not exchange or not course_id:
            self.finish(json.dumps({"success": False, "value": [],
                                    "pesan": "situs belum memberi SPPTIK_EXCHANGE dan SPPTIK_COURSE_ID"}))
            return
        value = participant_results(Path(exchange), course_id)
        self.finish(json.dumps({"success": True, "value": value}, ensure_ascii=False))


def _jupyter_server_extension_points():
    return [{"module": "autograder.site.lab_results"}]


def _load_jupyter_server_extension(serverapp) -> None:
    web_app = serverapp.web_app
    route = url_path_join(web_app.settings["base_url"], ROUTE)
    web_app.add_handlers(".*$", [(route, ResultsHandler)])
