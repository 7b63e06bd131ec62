"""A bare multi-value condition is not a set, also beside a bracketed literal (R errors on both).

R's QCA 3.25.1 (``tests/fixtures/reference/mv/datasets/LM.csv`` is ``data(LM)``)::

    compute("DEV", data = LM)         # Error: Part(s) of the expression refer to multi-value data.
    compute("DEV*STB[1]", data = LM)  # Error: Condition 'AE' does not match the set names ...
    compute("DEV[1]*STB[1]", data = LM)[1:6]   # 0 0 1 0 1 0
"""
from pathlib import Path

import pandas as pd
import pytest

from analysis.qca import QCAError, membership
from analysis.qca.expressions import parse

LM = pd.read_csv(Path(__file__).parent / "fixtures" / "reference" / "mv" / "datasets" / "LM.csv", index_col=0)


@pytest.mark.parametrize("expression", ["DEV", "DEV*STB[1]", "STB[1]*DEV", "URB[1] + DEV", "~DEV*STB[1]"])
def test_a_bare_multivalue_condition_is_refused_naming_it(expression):
    with pytest.raises(QCAError, match=r"^DEV is multi-value \(values 0 to 2\), not a set: name its value\(s\)"):
        membership(LM, expression)


def test_named_values_beside_binary_sets_are_computed_as_R():
    assert membership(LM, "DEV[1]*STB[1]").tolist()[:6] == [0, 0, 1, 0, 1, 0]
    # a binary condition written bare or as its value 1 is the same set
    assert membership(LM, "URB*STB[1]").tolist() == membership(LM, "URB[1]*STB[1]").tolist()


def test_parse_without_the_data_levels_keeps_a_bare_name():
    """Without the number of values (no data) parse cannot tell; with them it refuses."""
    assert str(parse("DEV*STB[1]")[0]) == "DEV[1]*STB[1]"
    with pytest.raises(QCAError, match="DEV is multi-value"):
        parse("DEV*STB[1]", levels={"DEV": 3})
