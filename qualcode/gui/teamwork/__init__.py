"""Teamwork in the window: coder copies, the merge wizard, agreement, disagreement review, and
others' live changes on a team project."""
