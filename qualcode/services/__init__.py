"""Use cases of QualCode. Services take a session and plain ids/values, return dataclasses.

Every mutation is a `Command` (see qualcode.services.commands) so the GUI's undo stack, the
CLI and the tests share one undo mechanism.
"""
