"""nbgrader settings of a trainer's JupyterLab on the training site: the cohort workspace.

Found through JUPYTER_CONFIG_PATH, which the hub sets per user (autograder/hub.py).
The formgrader, `spptik` and nbgrader's CLI read the same settings (kohort.toml;
SPPTIK_EXCHANGE and SPPTIK_DB_URL from the hub).
"""
import os

from autograder.course.nbgrader_settings import configure_workspace
from autograder.site.exchange import site_collect_class

c = get_config()  # noqa: F821

configure_workspace(c, os.environ["SPPTIK_KOHORT"])
# several trainers share the cohort folder through their group
if os.environ.get("SPPTIK_GROUPSHARED") == "1":
    c.CourseDirectory.groupshared = True
# the formgrader's Collect (and `nbgrader collect`) check who sent each submission, as
# `spptik situs ambil` does: the owner of the folder, never the name on it
c.ExchangeFactory.collect = site_collect_class()
