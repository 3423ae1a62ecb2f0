"""The command line: every headless job the GUI can do."""
