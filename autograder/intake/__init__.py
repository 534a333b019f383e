"""Submissions coming in: files, folders and zip archives checked and filed into nbgrader's layout."""
