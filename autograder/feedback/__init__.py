"""Feedback to participants: nbgrader's feedback, in Indonesian, with participants' output made inert."""
