"""The workbench core every feature plugs into: the main window and its project lifecycle, the
standard docks (documents, memos, journal, coded passages), coding actions and quick code.

Features add themselves through qualcode.gui.contributions, never by being imported here.
"""
