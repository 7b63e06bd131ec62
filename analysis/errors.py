"""The study side's exception: a problem with a study's files, settings or command line.

The engine (``analysis.qca``) raises ``QCAError`` for what its functions are given; everything the
compendium reads around it (a study file, raw data, a results folder, an option of the
pipeline) raises ``StudyError``, whose message names the file, field, column, case or option and
what to do.  The command lines print either on one line and exit with status 2.

>>> issubclass(StudyError, ValueError)
True
"""

__all__ = ["StudyError"]


class StudyError(ValueError):
    """Bad input of the study side; the message is meant for the user (one line)."""
