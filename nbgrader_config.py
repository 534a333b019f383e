"""nbgrader configuration for course authors working in this repository.

``nbgrader generate_assignment m03 --force`` turns ``source/m03`` into the
participant version in ``assignments/m03``. The gradebook it needs lives in a
git-ignored ``gradebook.db`` here. Cohort workspaces get their own config from
``spptik init``.
"""

import os

from autograder.course import nbgrader_settings

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "assignments"
nbgrader_settings.apply(c)
