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
    """Bad input or a problem the engine refuses to solve; the message is meant for the user.

    A subclass of ``ValueError``.  Its message names what is wrong (the file, column, case or
    parameter) and what to do; the command line prints it as one line ``error: ...`` and exits
    with status 2, without a traceback.

    Notes
    -----
    R's QCA stops with ``admisc::stopError`` in the same situations (an unknown column, a cut-off
    out of range, a solution that does not exist); the engine also refuses problems it cannot solve
    exactly within its limits (``analysis.qca.limits``) rather than return part of an answer as
    complete.

    Examples
    --------
    >>> from analysis.qca import QCAError, truth_table
    >>> from analysis.qca.datasets import load
    >>> try:
    ...     truth_table(load("LF"), "SURVIVAL")
    ... except QCAError as e:
    ...     print(e)
    outcome 'SURVIVAL' is not a column of the data; columns: DEV, URB, LIT, IND, STB, SURV
    """


class UndefinedSolution(QCAError):
    """A solution that does not exist for the truth table (R's ``minimize`` stops here too).

    Raised by ``minimize`` when no row has ``OUT = 1`` (nothing to explain) or when no row is
    negative (every condition would be minimised away); ``solve`` catches it and reports the
    solution as undefined (``Solution.undefined``) beside the solutions that exist.

    Notes
    -----
    R's ``minimize`` stops with an error in both situations (Dusa 2019, ch. 8); the engine
    distinguishes this case from a mistake by its own subclass of ``QCAError``.

    References
    ----------
    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 8.

    Examples
    --------
    >>> from analysis.qca import UndefinedSolution, minimize, truth_table
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=1)
    >>> try:
    ...     minimize(tt)
    ... except UndefinedSolution as e:
    ...     print(str(e).split(":")[0])
    no truth table row has OUT = 1 for SURV (incl_cut 1, pri_cut 0, n_cut 1)
    """
