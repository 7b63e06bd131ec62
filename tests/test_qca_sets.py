"""Set algebra and expressions (analysis.qca.sets, analysis.qca.expressions)."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.qca import QCAError, is_set_name, membership, negate, parse, term_membership
from analysis.qca.sets import models_membership


@given(st.lists(st.floats(0, 1), min_size=1, max_size=20))
def test_double_negation_is_identity(xs):
    x = np.array(xs)
    np.testing.assert_allclose(negate(negate(x)), x, atol=1e-15)
    df = pd.DataFrame({"A": x})
    np.testing.assert_allclose(membership(df, "~~A"), x)


def test_expressions_are_parsed_and_checked_against_the_data():
    assert parse("DEV*~IND + URB") == ((("DEV", True), ("IND", False)), (("URB", True),))
    with pytest.raises(QCAError, match="unknown condition 'X'"):
        parse("A*X", ["A", "B"])
    with pytest.raises(QCAError, match="empty term"):
        parse("A + ")
    assert is_set_name("DEV") and not is_set_name("A*B") and not is_set_name("~A") and not is_set_name("1A")


def test_term_and_model_membership():
    data = pd.DataFrame({"A": [0.9, 0.2, 0.6], "B": [0.3, 0.8, 0.5]})
    np.testing.assert_allclose(term_membership(data, (("A", True), ("B", False))), [0.7, 0.2, 0.5])
    a, b = ((("A", True),),), ((("B", True),),)
    np.testing.assert_allclose(models_membership(data, [a, b], 3), [0.9, 0.8, 0.6])
    assert models_membership(data, [], 3).tolist() == [0.0, 0.0, 0.0]
    np.testing.assert_allclose(membership(data, "A + B"), [0.9, 0.8, 0.6])
