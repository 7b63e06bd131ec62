"""Published data sets bundled with the engine, for examples, tests and teaching.

==========  ======================================================  ==========================
name        what                                                    source
==========  ======================================================  ==========================
``LF``      Lipset's conditions of democratic survival in interwar  R's QCA ``LF`` (Ragin 2008;
            Europe, fuzzy memberships; outcome ``SURV``             Dusa 2019)
``LR``      the same 18 cases, raw values; outcome ``SURV``         R's QCA ``LR``
``CVF``     ethnopolitical protest in Central and Eastern Europe,  R's QCA ``CVF`` (Cebotari &
            fuzzy; outcome ``PROTEST``                              Vink 2013)
``Krook``   women's representation in parliaments, crisp; outcome  R's QCA ``Krook`` (Krook
            ``WNP``                                                 2010)
``SCHF``    export performance of 19 OECD economies in 1990-2003,  SetMethods ``SCHF``
            fuzzy; outcome ``EXPORT`` (country-year cases)          (Schneider et al. 2010)
``SCHLF``   the same data in long format with ``COUNTRY`` and      SetMethods ``SCHLF``
            ``YEAR`` columns, for clustered data
==========  ======================================================  ==========================

Licence: the data come from R's QCA package (GPL >= 3) and SetMethods (GPL-2); they are
redistributed here under those licences (see the repository's ``LICENSE``).

>>> load("LF").loc["BE", "SURV"]
np.float64(0.95)
>>> sorted(names())
['CVF', 'Krook', 'LF', 'LR', 'SCHF', 'SCHLF']
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["load", "names"]

HERE = Path(__file__).resolve().parent
INDEXED = {"LF", "LR", "CVF", "Krook", "SCHF"}     # the first column names the cases


def names() -> list:
    """The names of the bundled data sets.

    Returns
    -------
    list of str
        The file stems, sorted by file name: ``["CVF", "Krook", "LF", "LR", "SCHF", "SCHLF"]``.

    Notes
    -----
    Sources and licences in the module docstring.

    Examples
    --------
    >>> names()
    ['CVF', 'Krook', 'LF', 'LR', 'SCHF', 'SCHLF']
    """
    return [p.stem for p in sorted(HERE.glob("*.csv"))]


def load(name: str):
    """One bundled data set as a DataFrame (cases as the index, where the data name them).

    Parameters
    ----------
    name : str
        ``"LF"``, ``"LR"``, ``"CVF"``, ``"Krook"``, ``"SCHF"`` or ``"SCHLF"``.

    Returns
    -------
    pandas.DataFrame
        One row per case; ``SCHLF`` (long format) keeps its ``COUNTRY`` and ``YEAR`` columns and a
        plain index.

    Raises
    ------
    KeyError
        An unknown name (the message lists the available ones).

    Notes
    -----
    The data of R's QCA (``LF``, ``LR``, ``CVF``, ``Krook``) and SetMethods (``SCHF``, ``SCHLF``);
    the files are read without guessing missing values, so a case called ``NA`` stays a name.

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press (``LF``, ``LR``: Lipset's conditions of democratic survival).

    Cebotari, V., & Vink, M. P. (2013). A configurational analysis of ethnic protest in Europe.
    *International Journal of Comparative Sociology*, 54(4), 298-324 (``CVF``).

    Krook, M. L. (2010). Women's representation in parliament: A qualitative comparative
    analysis. *Political Studies*, 58(5), 886-908 (``Krook``).

    Schneider, M. R., Schulze-Bentrop, C., & Paunescu, M. (2010). Mapping the institutional
    capital of high-tech firms: A fuzzy-set analysis of capitalist variety and export performance.
    *Journal of International Business Studies*, 41(2), 246-266 (``SCHF``, ``SCHLF``).

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer.

    Examples
    --------
    >>> load("Krook").shape
    (22, 6)
    >>> load("LF").loc["BE", "SURV"]
    np.float64(0.95)
    >>> load("SCHLF").columns.tolist()[-2:]
    ['COUNTRY', 'YEAR']
    """
    import pandas as pd
    path = HERE / f"{name}.csv"
    if name not in names():
        raise KeyError(f"no bundled data set {name!r}; available: {', '.join(names())}")
    frame = pd.read_csv(path, keep_default_na=False, na_values=[])
    return frame.set_index(frame.columns[0]) if name in INDEXED else frame
