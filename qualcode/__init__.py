"""QualCode: qualitative coding, thematic networks and realist evaluation on the desktop."""

__version__ = "0.1.0"
