"""Solutions (analysis.qca.solutions): invariants of the minimisation on random data, and the
solutions that do not exist."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.qca import QCAError, UndefinedSolution, minimize, solve, truth_table
from analysis.qca.primes import covers


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def fuzzy_data(draw):
    k = draw(st.integers(2, 5))
    n = draw(st.integers(6, 30))
    seed = draw(st.integers(0, 2 ** 31 - 1))
    rng = np.random.default_rng(seed)
    x = np.round(rng.random((n, k)), 2)
    x[x == 0.5] = 0.51
    y = np.round(np.clip(np.maximum(np.minimum(x[:, 0], x[:, 1]), rng.random(n) * 0.6), 0, 1), 2)
    df = pd.DataFrame(x, columns=[f"C{i}" for i in range(k)], index=[f"k{i}" for i in range(n)])
    df["Y"] = y
    return df, draw(st.sampled_from([0.7, 0.75, 0.8, 0.9])), draw(st.booleans())


def solved(df, incl_cut, neg_out):
    tt = truth_table(df, "Y", incl_cut=incl_cut, neg_out=neg_out)
    k = tt.k
    sols = solve(tt, dir_exp=[1] * (k - 1) + ["-"])
    return tt, (None if sols.undefined else sols)


def model_digits(model, conditions):
    return np.array([[2 if c not in dict(t) else int(dict(t)[c]) for c in conditions] for t in model.terms])


@given(fuzzy_data())
@SETTINGS
def test_every_model_covers_every_positive_row_and_no_negative_row(case):
    tt, sols = solved(*case)
    if sols is None:
        return
    blocks = [sols.complex, sols.parsimonious, *sols.intermediate]
    for block in blocks:
        for m in block.models:
            cov = covers(model_digits(m, tt.conditions), np.concatenate([tt.positive, tt.negative]), tt.k)
            npos = len(tt.positive)
            assert cov[:, :npos].any(axis=0).all()
            assert not cov[:, npos:].any()


@given(fuzzy_data())
@SETTINGS
def test_complex_terms_are_implied_by_parsimonious_primes_and_solutions_nest(case):
    tt, sols = solved(*case)
    if sols is None:
        return
    everything = np.arange(2 ** tt.k)
    p_primes = sols.parsimonious.primes
    for m in sols.complex.models:
        for t in model_digits(m, tt.conditions):
            assert any(all(p == 2 or p == c for p, c in zip(pr, t)) for pr in p_primes)
    # rows covered: complex within intermediate within its parsimonious model
    c_rows = {frozenset(everything[covers(model_digits(m, tt.conditions), everything, tt.k).any(axis=0)])
              for m in sols.complex.models}
    for block in sols.intermediate:
        p_model = sols.parsimonious.models[int(block.label.split("P")[1]) - 1]
        p_rows = set(everything[covers(model_digits(p_model, tt.conditions), everything, tt.k).any(axis=0)])
        for m in block.models:
            i_rows = set(everything[covers(model_digits(m, tt.conditions), everything, tt.k).any(axis=0)])
            assert i_rows <= p_rows
            assert any(c <= i_rows for c in c_rows)


@given(fuzzy_data())
@SETTINGS
def test_fits_lie_in_unit_interval_and_tied_models_have_equal_size(case):
    tt, sols = solved(*case)
    if sols is None:
        return
    for block in [sols.complex, sols.parsimonious, *sols.intermediate]:
        assert len({len(m.terms) for m in block.models}) == 1
        table = block.fit_table()
        values = table[["inclS", "PRI", "covS", "covU"]].to_numpy(dtype=float)
        values = values[~np.isnan(values)]
        assert ((values >= -1e-12) & (values <= 1 + 1e-12)).all()


def _table(y):
    x = pd.DataFrame({"A": [0.9, 0.8, 0.2, 0.1], "B": [0.2, 0.9, 0.8, 0.1]}, index=list("pqrs"))
    return x.assign(Y=y)


def test_no_positive_row_leaves_every_solution_undefined_with_its_reason():
    tt = truth_table(_table([0.1, 0.2, 0.3, 0.2]), "Y", incl_cut=0.8)
    with pytest.raises(UndefinedSolution, match="no truth table row has OUT = 1"):
        minimize(tt, "")
    sols = solve(tt, dir_exp=[1, 1])
    assert set(sols.undefined) == {"complex", "parsimonious", "intermediate"}
    assert sols.complex.models == () and sols.intermediate == ()
    assert "nothing to explain" in sols.undefined["complex"] and "undefined" in repr(sols)


def test_no_negative_row_leaves_the_parsimonious_solution_undefined():
    tt = truth_table(_table([0.9, 0.95, 0.9, 0.95]), "Y", incl_cut=0.8)
    assert len(tt.negative) == 0
    sols = solve(tt)
    assert "parsimonious" in sols.undefined and "no truth table row is negative" in sols.undefined["parsimonious"]
    with pytest.raises(UndefinedSolution):
        minimize(tt, "?")


def test_a_refusal_is_not_an_undefined_solution(monkeypatch):
    # too many tied models is a refusal: solve raises it instead of reporting the solution undefined
    from analysis.qca import solutions
    def refuse(*args, **kwargs):
        raise QCAError("more than 100000 tied minimal models")
    monkeypatch.setattr(solutions, "solve_chart", refuse)
    tt = truth_table(_table([0.9, 0.8, 0.2, 0.1]), "Y", incl_cut=0.8)
    with pytest.raises(QCAError, match="tied minimal models"):
        solve(tt)


def test_solve_without_fits_gives_the_same_models():
    """fits=False (for callers that refit, the multiverse) changes nothing but the fits."""
    import numpy as np
    import pandas as pd
    from analysis.qca import solve, truth_table
    rng = np.random.default_rng(3)
    compared = 0
    for trial in range(120):
        k = int(rng.integers(2, 6))
        data = pd.DataFrame(rng.random((30, k + 1)), columns=[f"C{i}" for i in range(k)] + ["Y"])
        tt = truth_table(data, "Y", incl_cut=float(rng.choice([0.6, 0.7, 0.8])))
        full, bare = solve(tt, [1] * k), solve(tt, [1] * k, fits=False)
        assert full.undefined == bare.undefined
        for a, b in [(full.complex, bare.complex), (full.parsimonious, bare.parsimonious),
                     *zip(full.intermediate, bare.intermediate)]:
            assert [m.terms for m in a.models] == [m.terms for m in b.models]
            assert all(m.fit is None for m in b.models)
            compared += 1
        assert [b.label for b in full.intermediate] == [b.label for b in bare.intermediate]
    assert compared > 150
