"""nbgrader settings of a participant's JupyterLab on the training site.

Found through JUPYTER_CONFIG_PATH, which the hub sets per user (autograder/hub.py);
the values come from the environment the hub gives the server.
"""
import os

c = get_config()  # noqa: F821

# the cohort's course and the site's shared exchange folder
c.CourseDirectory.course_id = os.environ.get("SPPTIK_COURSE_ID", "")
c.Exchange.root = os.environ.get("SPPTIK_EXCHANGE", "/srv/nbgrader/exchange")
# the hub user name is the student id (nbgrader would otherwise ask the OS account)
if os.environ.get("SPPTIK_STUDENT_ID"):
    c.CourseDirectory.student_id = os.environ["SPPTIK_STUDENT_ID"]

try:  # the course's own limits for the Validate button (same as autograding)
    from autograder.course.nbgrader_settings import apply
except ImportError:
    pass
else:
    apply(c)
    # Submit closes the submission folder nbgrader leaves open to all (0777) once written
    from autograder.site.exchange import site_submit_class

    c.ExchangeFactory.submit = site_submit_class()
