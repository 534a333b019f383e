"""The course: its manifest (course.toml), the curriculum checks, authoring helpers and the nbgrader
settings every cohort and every grading run share."""
