"""The one exception type of the engine.

Every problem with the user's input (a file, a column, a case, a parameter) is raised as a
``QCAError`` whose message names what is wrong and what to do.  The command line and the
pipeline print that message on one line and exit non-zero; they never show a traceback for it.
"""


class QCAError(ValueError):
    """Bad input or a problem the engine refuses to solve; the message is meant for the user."""
