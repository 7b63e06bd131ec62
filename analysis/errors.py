"""The study side's exception: a problem with a study's files, settings or command line.

The engine (``analysis.qca``) raises ``QCAError`` for what its functions are given; everything the
compendium reads around it (a study file, raw data, a results folder, an option of the
pipeline) raises ``StudyError``, whose message names the file, field, column, case or option and
what to do.  The command lines print either on one line and exit with status 2.

>>> issubclass(StudyError, ValueError)
True
>>> INPUT_ERRORS
(<class 'analysis.qca.errors.QCAError'>, <class 'analysis.errors.StudyError'>)
"""
from .qca.errors import QCAError

__all__ = ["INPUT_ERRORS", "StudyError"]


class StudyError(ValueError):
    """Bad input of the study side; the message is meant for the user (one line)."""


#: What a command line reports on one line and exits 2 for: the engine's and the study side's errors.
INPUT_ERRORS = (QCAError, StudyError)
