"""Command lines that report every mistake on one line: the parser of ``python -m analysis.qca``,
``analysis.pipeline`` and ``analysis.multiverse``, and their error lines.

argparse prints its whole usage before an error; here a mistake is one line ``error: ...`` on
standard error, exit status 2, with the nearest valid option when one is misspelled.  ``error``
prints a refusal (a ``QCAError``) the same way; ``unexpected`` a bug, in one line that says how to
see the traceback (``ANALYSIS_TRACEBACK=1`` re-raises it).

>>> nearest_option("--incl-cutt", ["--incl-cut", "--pri-cut"])
'--incl-cut'
"""
from __future__ import annotations

import argparse
import difflib
import os
import re
import sys

__all__ = ["Parser", "nearest_option", "error", "unexpected", "exit_now"]


def error(message) -> int:
    """Print ``error: <message>`` as one line on standard error; return the exit status, 2.

    Parameters
    ----------
    message : object
        The message (a ``QCAError``, a string); its whitespace is collapsed to single spaces.

    Returns
    -------
    int
        2.

    Examples
    --------
    >>> error("incl_cut must lie in [0, 1]")
    2
    """
    print(f"error: {' '.join(str(message).split())}", file=sys.stderr)
    return 2


def unexpected(exc: Exception, also: str = "") -> int:
    """A bug, said in one line on standard error; returns the exit status, 2.

    Parameters
    ----------
    exc : Exception
        The exception being handled.
    also : str, default ""
        What the user may rely on (e.g. which outputs were written).

    Returns
    -------
    int
        2.  With ``ANALYSIS_TRACEBACK`` set in the environment, ``exc`` is raised again instead.

    Examples
    --------
    >>> import os
    >>> "ANALYSIS_TRACEBACK" in os.environ or unexpected(KeyError("x")) == 2
    True
    """
    if os.environ.get("ANALYSIS_TRACEBACK"):
        raise exc
    return error(f"unexpected {type(exc).__name__}: {exc}; " + (f"{also}; " if also else "")
                 + "please report it with the command you ran (ANALYSIS_TRACEBACK=1 shows where it happened)")


def nearest_option(word: str, options) -> str | None:
    """The valid option closest to ``word``, or None when none is close.

    Parameters
    ----------
    word : str
        What was typed, e.g. ``"--incl-cutt"`` or ``"--incl-cutt=0.8"``.
    options : iterable of str
        The valid options.

    Returns
    -------
    str or None

    Examples
    --------
    >>> nearest_option("--incl-cutt", ["--incl-cut", "--pri-cut"])
    '--incl-cut'
    >>> nearest_option("--foo", ["--incl-cut"]) is None
    True
    """
    close = difflib.get_close_matches(word.split("=", 1)[0], list(options), n=1, cutoff=0.6)
    return close[0] if close else None


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are one line, with "did you mean" for a misspelled option.

    Options must be spelled out (``allow_abbrev=False``): an abbreviation would accept a typo
    silently.  An unknown option is reported before a missing required one.

    Parameters
    ----------
    *args, **kwargs
        As ``argparse.ArgumentParser``.

    Examples
    --------
    >>> p = Parser(prog="demo")
    >>> _ = p.add_argument("--incl-cut")
    >>> p.parse_args(["--incl-cut", "0.8"]).incl_cut
    '0.8'
    >>> p.parse_args(["--incl-cutt", "0.8"])
    Traceback (most recent call last):
    ...
    SystemExit: 2
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def _options(self) -> list:
        return [s for a in self._actions if a.help != argparse.SUPPRESS for s in a.option_strings]

    def parse_args(self, args=None, namespace=None):
        """As ``argparse``'s, but an unknown ``--option`` is reported first (before "required" errors)."""
        args = sys.argv[1:] if args is None else list(args)
        known = {s for a in self._actions for s in a.option_strings}
        for arg in args:                   # an unknown option first, before "required" errors
            if arg.startswith("--") and arg.split("=", 1)[0] not in known:
                self.error(f"unrecognized arguments: {arg}")
        self._once(args)
        return super().parse_args(args, namespace)

    def _once(self, args) -> None:
        """Refuse an option with one value given twice: argparse would keep the last silently."""
        single = {s for a in self._actions if a.nargs is None and a.option_strings
                  and isinstance(a, argparse._StoreAction) for s in a.option_strings}
        seen, i = {}, 0
        while i < len(args) and args[i] != "--":
            name, eq, value = args[i].partition("=")
            if name in single:
                if not eq:                 # the value is the next argument
                    i += 1
                    value = args[i] if i < len(args) else ""
                if name in seen:
                    self.error(f"{name} is given twice ({seen[name]!r} and {value!r}); give it once")
                seen[name] = value
            i += 1

    def error(self, message):
        """Print the error as one line (with the nearest valid option) on standard error; exit with 2."""
        unknown = re.match(r"unrecognized arguments: (\S+)", message)
        hint = ""
        if unknown:
            near = nearest_option(unknown.group(1), self._options())
            hint = (f"; did you mean {near}?" if near else
                    f"; options: {', '.join(o for o in self._options() if o.startswith('--'))}")
        print(f"error: {message}{hint} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(2)


def exit_now(status: int) -> None:
    """End the process with ``status`` once standard output and error are flushed, without the
    interpreter's teardown (the other exit handlers, every module taken apart): ``os._exit``.

    For a process with nothing else to close: the engine's command line, which writes only to its
    standard streams (pandas' teardown cost about 60 ms of a small analysis), and a Dask worker
    that has closed (``analysis.workers.exit_at_once``).  A stream that cannot be flushed (a
    closed pipe, none at all) is passed over.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(status)
