"""SetMethods' smmr (analysis.qca.casestudies): every case type against SetMethods 4.0 run in R on SCHF and
LF (tests/fixtures/setmethods/smmr, made by r_smmr.R), R's order of the terms, the models studied
and bad input.

The fixtures hold SetMethods' tables (``tables``) and those of SetMethods with its bugs fixed by
minimal edits of its code (``fixed``; r_smmr.R names each fix as the docstrings do).  Our tables
equal the fixed ones everywhere; they equal SetMethods' own wherever a fix changes nothing; and
each documented difference shows in SetMethods' own output on at least one fixture
(test_qca_smmr_differences.py).  The fixtures' helpers (``_ours``, ``_groups``, ``_differences``,
...) are in conftest.py.
"""
import json

import pytest

from analysis.qca import QCAError, solve, truth_table
from analysis.qca.datasets import load
from analysis.qca.casestudies import CASE_TYPES, model_frames, r_term_order, smmr
from analysis.qca.smmr_cases import _typical_table
from conftest import CALLS, SMMR_FIX, _call, _differences, _groups, _ours, _select, _solution, _unaffected


# --- the fixtures, all of them ------------------------------------------------------------------

FIXED = [i for i, (_, c) in CALLS.items() if not c["fixed_error"] and not i.endswith("nec_single_4_STOCK+MA")]
RIGHT = [i for i, (_, c) in CALLS.items() if _unaffected(c)]


@pytest.mark.parametrize("call_id", FIXED)
def test_equals_setmethods_with_its_bugs_fixed(call_id):
    call = _call(call_id)
    ours = _ours(call_id)
    groups = _groups(call, "fixed")
    assert [d for key, rows in groups for d in _differences(ours, key, rows)] == []
    assert sum(len(_select(ours, key)) for key, _ in groups) == len(ours)      # no table R does not have


@pytest.mark.parametrize("call_id", RIGHT)
def test_equals_setmethods_where_setmethods_is_right(call_id):
    ours = _ours(call_id)
    assert [d for key, rows in _unaffected(_call(call_id)) for d in _differences(ours, key, rows)] == []


def test_the_comparisons_cover_every_case_type_and_many_rows():
    compared = [(CALLS[i][1], rows) for i in RIGHT for _, rows in _unaffected(CALLS[i][1])]
    kinds = {(c["necessity"], c["match"], c["cases"]) for c, rows in compared if rows}
    every = {(n, m, k) for (rel, m), names in CASE_TYPES.items() for n in [rel == "necessity"]
             for k in range(1, len(names) + 1)}
    assert every - kinds == set()
    assert sum(len(rows) for _, rows in compared) > 1900          # 1996 rows where SetMethods is right
    assert sum(len(rows) for i in FIXED for _, rows in _groups(_call(i), "fixed")) > 2400      # 2458 rows


def test_where_setmethods_finds_no_case_ours_gives_an_empty_table():
    # no deviant coverage case for ~SURV: SetMethods (and its fixed twin) stop with an error
    assert _call("LF_neg_pars_single_4")["error"] == "no rows to aggregate"
    assert _ours("LF_neg_pars_single_4").empty


# --- R's order of the terms; the models ---------------------------------------------------------

ORDERS = json.loads((SMMR_FIX / "term_order.json").read_text())
BLOCKS = [(c["id"], b) for c in ORDERS for b in c["blocks"]]


@pytest.mark.parametrize("config,block", BLOCKS)
def test_term_order_and_models_equal_r(config, block):
    c = next(c for c in ORDERS if c["id"] == config)
    tt = truth_table(load(c["data"]), c["outcome"].lstrip("~"), incl_cut=c["incl_cut"], pri_cut=c["pri_cut"],
                     neg_out=c["outcome"].startswith("~"))
    sols = solve(tt, dir_exp=c["dir_exp"])
    ours = {"complex": sols.complex, "parsimonious": sols.parsimonious, **{b.label: b for b in sols.intermediate}}
    theirs = c["blocks"][block]
    assert len(ours[block].models) == len(theirs["models"])
    for i, model in enumerate(theirs["models"], 1):
        assert r_term_order(ours[block], tt, i) == tuple(p for p in theirs["pims"] if p in model)


def test_r_term_order_is_not_the_engines_order_where_r_sorts_otherwise():
    tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    block = solve(tt).complex
    assert block.models[0].expression == "DEV*~URB*LIT*~IND*STB + DEV*URB*LIT*IND*STB"
    assert r_term_order(block, tt) == ("DEV*URB*LIT*IND*STB", "DEV*~URB*LIT*~IND*STB")     # the C sort's quirk
    # so term=1 is SetMethods' first term, the engine's second
    first = smmr(block, tt, cases="typical fc", term=1)
    assert set(first.term) == {"DEV*URB*LIT*IND*STB"}
    assert smmr(block, tt, cases="typical fc", term="DEV*URB*LIT*IND*STB").equals(first)


def test_all_models_cover_every_tied_model_of_the_intermediate_solution():
    tt, sols = _solution("SCHF", "SCHF_int")
    assert len(sols.intermediate) == 1 and len(sols.intermediate[0].models) == 4
    every = smmr(sols, tt, cases="typical")
    assert list(every.model.unique()) == ["C1P1 M1", "C1P1 M2", "C1P1 M3", "C1P1 M4"]
    for i, model in enumerate(sols.intermediate[0].models, 1):
        one = smmr(sols, tt, cases="typical", sol=("C1P1", i)).drop(columns="model")
        mine = every[every.model == f"C1P1 M{i}"].drop(columns="model").reset_index(drop=True)
        assert mine.equals(one)
        frame = model_frames(sols, tt, sol=i)[0]
        assert frame.names == r_term_order(sols.intermediate[0], tt, i)
        assert set(frame.terms) == set(model.terms)
        # the tables of the terms with typical cases, in R's order of the terms
        assert list(dict.fromkeys(mine.term)) == [t for t, rows in _typical_table(frame).items() if rows]
    # the models differ in their terms: M2 has UNI*~OCCUP*STOCK*~MA, M1 not ~EMP*OCCUP*~STOCK*~MA (M3 has)
    assert "UNI*~OCCUP*STOCK*~MA" in set(every[every.model == "C1P1 M2"].term)
    assert "~EMP*OCCUP*~STOCK*~MA" not in set(every[every.model == "C1P1 M1"].term)
    # SetMethods' choice is the first model; sol="c1p1i2" its second (both compared with R above)
    first = every[every.model == "C1P1 M1"].reset_index(drop=True)
    assert smmr(sols, tt, cases="typical", models="first").equals(first)
    assert smmr(sols, tt, cases="typical", sol="c1p1i2").equals(
        smmr(sols, tt, cases="typical", sol=2))


def test_a_focal_conjunct_type_over_all_models_skips_the_models_without_the_term():
    tt, sols = _solution("SCHF", "SCHF_int")
    rows = smmr(sols, tt, cases="typical fc", term="UNI*~OCCUP*STOCK*~MA")
    assert list(rows.model.unique()) == ["C1P1 M2", "C1P1 M4"]
    assert set(rows.focal) == {"UNI", "~OCCUP", "STOCK", "~MA"}


def test_case_types_by_name_and_by_number_and_all():
    tt, block = _solution("SCHF", "SCHF_pars")
    for (relation, match), names in CASE_TYPES.items():
        kw = dict(match=match, necessity=relation == "necessity", nec_cond="STOCK+MA", term=2)
        parts = []
        for number, name in enumerate(names, 1):
            by_name = smmr(block, tt, cases=name.replace(" ", "_"), **kw)
            assert by_name.equals(smmr(block, tt, cases=number, **kw))
            assert set(by_name.type) == {name}
            parts.append(by_name)
        every = smmr(block, tt, cases=len(names) + 1, **kw)
        assert every.equals(smmr(block, tt, cases="all", **kw))
        assert len(every) == sum(len(p) for p in parts) and list(every.type.unique()) == list(names)


# --- bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs,words", [
    (dict(cases="typicall"), ["cases", "typical"]),
    (dict(cases=7), ["cases", "1 to 6"]),
    (dict(cases="typical-iir"), ["cases", "match=True"]),
    (dict(cases="typical fc", term="BARGAIN*UNI"), ["term", "BARGAIN*UNI"]),
    (dict(cases="typical fc", term=4), ["term", "1 to 3"]),
    (dict(cases="typical fc", term="BARGAIN*XYZ"), ["term", "XYZ"]),
    (dict(cases="typical fc", term="~EMP*OCCUP + BARGAIN*UNI*STOCK"), ["term", "sum of terms"]),
    (dict(cases="typical fc", nec_cond="STOCKS"), ["nec_cond", "STOCKS"]),
    (dict(cases="typical fc", nec_cond="STOCK*MA"), ["nec_cond", "'+'"]),
    (dict(cases="typical", necessity=True), ["nec_cond"]),
    (dict(cases="typical", necessity=True, nec_cond="A+B"), ["nec_cond", "'A'"]),
    (dict(cases="typical", necessity=True, nec_cond="STOCK*MA+UNI"), ["nec_cond", "mixes"]),
    (dict(cases="typical", sol="c2p1i1"), ["sol", "there is no model"]),
    (dict(cases="typical", sol=2), ["sol"]),
    (dict(cases="typical", models="every"), ["models", "'all'"]),
    (dict(cases="typical-iir", match=True, max_pairs=0), ["max_pairs"]),
])
def test_bad_input_is_one_clear_error(kwargs, words):
    tt, block = _solution("SCHF", "SCHF_pars")
    with pytest.raises(QCAError) as info:
        smmr(block, tt, **kwargs)
    message = str(info.value)
    assert "\n" not in message and all(w in message for w in words), message


def test_bad_solution_and_truth_table_arguments():
    tt, block = _solution("SCHF", "SCHF_pars")
    with pytest.raises(QCAError, match="^solution: "):
        smmr(None, tt, cases="typical")
    with pytest.raises(QCAError, match="^solution: this Solutions has no intermediate solution"):
        smmr(solve(tt), tt, cases="typical")
    with pytest.raises(QCAError, match="^tt: "):
        smmr(block, tt.data, cases="typical")
