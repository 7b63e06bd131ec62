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
    """The names of the bundled data sets."""
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
        One row per case; ``SCHLF`` keeps its ``COUNTRY`` and ``YEAR`` columns.

    Examples
    --------
    >>> load("Krook").shape
    (22, 6)
    """
    import pandas as pd
    path = HERE / f"{name}.csv"
    if name not in names():
        raise KeyError(f"no bundled data set {name!r}; available: {', '.join(names())}")
    frame = pd.read_csv(path, keep_default_na=False, na_values=[])
    return frame.set_index(frame.columns[0]) if name in INDEXED else frame
