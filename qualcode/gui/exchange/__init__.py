"""REFI-QDA import and export in the window (File menu) with the deviation report."""
