"""User-facing errors. Each carries one clear message that names the problem.

Anything derived from `QualCodeError` is a user error: the CLI prints its message on one
line and the GUI shows it in a dialog. Other exceptions are bugs and keep their traceback.
"""

from __future__ import annotations


class QualCodeError(Exception):
    """A problem the user can understand and act on."""


class ValidationError(QualCodeError):
    """Input that breaks a rule (span out of range, empty name, wrong attribute type)."""


class NotFoundError(QualCodeError):
    """An id or name that names nothing in the project."""


class LevelRuleError(ValidationError):
    """A node placement that breaks the theme-level rule (parent must be a higher level)."""


class ProjectError(QualCodeError):
    """A file (the project, or one written from it) that cannot be created, opened or written."""


class ProjectLockedError(ProjectError):
    """The project is already open in another QualCode process."""


class ProjectReadOnlyError(ProjectError):
    """The project is in a place that cannot be written (read-only media or folder)."""
class ConflictError(QualCodeError):
    """Someone else changed the same thing since it was read (team projects): nothing was overwritten."""

class PermissionDeniedError(QualCodeError):
    """The team project's server refused a change the member's role does not permit."""


class ProjectDamagedError(ProjectError):
    """The project file fails SQLite's integrity check: restore it from a backup."""


class SchemaTooNewError(ProjectError):
    """The project was written by a newer QualCode than this one."""


class SchemaTooOldError(ProjectError):
    """The project uses an older schema and must be upgraded before it can be read."""

    def __init__(self, message: str, version: int) -> None:
        super().__init__(message)
        self.version = version


class CancelledError(QualCodeError):
    """The user cancelled a long-running job."""
