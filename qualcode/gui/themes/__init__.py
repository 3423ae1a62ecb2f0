"""Thematic networks in the window: the theme review panel, its dialogs and the theme map."""
