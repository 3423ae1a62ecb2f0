"""Realist evaluation in the window: the CMO workspace, tagging actions, evidence and viewer marks."""
