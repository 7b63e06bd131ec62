"""The exception types of the engine.

Every problem with the user's input (a file, a column, a case, a parameter) is raised as a
``QCAError`` whose message names what is wrong and what to do.  The command line and the
pipeline print that message on one line and exit non-zero; they never show a traceback for it.

``UndefinedSolution`` is the one ``QCAError`` that is not a mistake: a solution that does not
exist for this truth table, where R's ``minimize`` stops with an error too (no row has OUT = 1,
so there is nothing to explain; or no row is negative, so every condition is minimised away).
``solve`` catches it and reports the solution as undefined, with the reason, beside the
solutions that exist.

>>> issubclass(UndefinedSolution, QCAError)
True
"""

__all__ = ["QCAError", "UndefinedSolution"]


class QCAError(ValueError):
    """Bad input or a problem the engine refuses to solve; the message is meant for the user."""


class UndefinedSolution(QCAError):
    """A solution that does not exist for the truth table (R's ``minimize`` stops here too)."""
