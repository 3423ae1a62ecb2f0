"""Teamwork in the window: coder copies, the merge wizard, agreement, disagreement review."""
