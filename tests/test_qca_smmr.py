"""SetMethods' smmr (analysis.qca.casestudies): every case type against SetMethods 4.0 run in R on SCHF and
LF (tests/fixtures/setmethods/smmr, made by r_smmr.R), R's order of the terms, the models studied
and bad input.

The fixtures hold SetMethods' tables (``tables``) and those of SetMethods with its bugs fixed by
minimal edits of its code (``fixed``; r_smmr.R names each fix as the docstrings do).  Our tables
equal the fixed ones everywhere; they equal SetMethods' own wherever a fix changes nothing; and
each documented difference shows in SetMethods' own output on at least one fixture.
"""
import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from analysis.qca import QCAError, solve, truth_table
from analysis.qca.datasets import load
from analysis.qca.casestudies import CASE_TYPES, SETMETHODS_COLUMNS, model_frames, r_term_order, smmr
from analysis.qca.smmr_cases import _typical_table

FIX = Path(__file__).resolve().parent / "fixtures" / "setmethods" / "smmr"
TOL = 1e-9
FILES = {name: json.loads((FIX / f"smmr_{name}.json").read_text()) for name in ("SCHF", "LF", "necessity")}
CALLS = {c["id"]: (name, c) for name, f in FILES.items() for c in f["calls"]}
TITLE_PREFIXES = ("Typical Cases - Necessary Focal Conjunct ", "Typical Cases - Focal Conjunct ",
                  "Necessary Focal Conjunct ", "Focal Conjunct ", "Term ")


@lru_cache(maxsize=None)
def _solution(file: str, name: str):
    s = FILES[file]["solutions"][name]
    data = load("SCHF").rename(columns={"UNI": "STOCK2"}) if s["data"] == "SCHF2" else load(s["data"])
    tt = truth_table(data, s["outcome"].lstrip("~"), incl_cut=s["incl_cut"],
                     neg_out=s["outcome"].startswith("~"))
    sols = solve(tt, dir_exp=s["dir_exp"])
    if s["dir_exp"] is not None:
        return tt, sols
    return tt, sols.parsimonious if s["include"] == "?" else sols.complex


@lru_cache(maxsize=None)
def _ours(call_id: str):
    file, call = CALLS[call_id]
    tt, solution = _solution(file, call["solution"])
    kw = dict(cases=call["cases"], match=call["match"], necessity=call["necessity"], term=call["term"],
              nec_cond=call["nec_cond"], max_pairs=call["max_pairs"])
    if call["necessity"]:
        return smmr(None, tt, **kw)
    if call["sol"] == 1:
        return smmr(solution, tt, models="first", **kw)     # SetMethods' default model
    return smmr(solution, tt, sol=call["sol"], **kw)


def _groups(call: dict, key: str) -> list:
    """SetMethods' tables as [((term, focal), rows)]: a focal conjunct's or a term's table, a
    necessary condition's; the single tables of typical and deviant consistency cases split by
    their Term column."""
    out = []
    for table in call[key]:
        rows = table["results"] if isinstance(table["results"], list) else []
        prefix = next((p for p in TITLE_PREFIXES if table["title"].startswith(p)), None)
        name = table["title"][len(prefix):] if prefix else table["title"]
        if call["necessity"] or prefix == "Term ":
            out.append(((name, None), rows))
        elif prefix:
            out.append(((None, name), rows))
        elif rows and isinstance(rows[0].get("Term"), str):
            for term in dict.fromkeys(r["Term"] for r in rows):
                out.append(((term, None), [r for r in rows if r["Term"] == term]))
        else:
            out.append(((None, None), rows))
    return out


def _select(ours, key):
    term, focal = key
    if ours.empty:
        return []
    rows = ours if term is None else ours[ours.term == term]
    rows = rows if focal is None else rows[rows.focal == focal]
    return rows.to_dict("records")


def _equal(ours, theirs) -> bool:
    if theirs is None or theirs == "-":                  # R's NA, and "-" for a rank that does not apply
        return ours is None or (isinstance(ours, float) and math.isnan(ours))
    if isinstance(theirs, bool):
        return isinstance(ours, (bool, np.bool_)) and bool(ours) == theirs
    if isinstance(theirs, (int, float)):
        return not isinstance(ours, (str, bool, np.bool_)) and ours is not None and abs(ours - theirs) <= TOL
    return ours == theirs


def _differences(ours, key, rows) -> list:
    """Where our rows differ from SetMethods' table: cases, order, every column, to TOL."""
    mine = _select(ours, key)
    out = [f"{key}: {len(rows)} rows in R, {len(mine)} ours"] if len(rows) != len(mine) else []
    for n, (r, m) in enumerate(zip(rows, mine), 1):
        for column, value in r.items():
            if column == "_row":
                if "case" in m and not value.isdigit() and m["case"] != value:     # a case named by its row
                    out.append(f"{key} row {n}: case {value} in R, {m['case']} ours")
                continue
            if column == "Term" and isinstance(value, str):
                continue                                          # the table's term (the group)
            ours_column = SETMETHODS_COLUMNS.get(column, "outcome" if column in ("EXPORT", "SURV") else column)
            if ours_column not in m or not _equal(m[ours_column], value):
                out.append(f"{key} row {n}: {column} = {value!r} in R, {m.get(ours_column)!r} ours")
    return out


def _content(rows) -> list:
    """A table's rows without R's row numbers (a row name that is a case name stays)."""
    return [{k: v for k, v in r.items() if not (k == "_row" and v.isdigit())} for r in rows]


def _unaffected(call) -> list:
    """SetMethods' tables that its fixes leave as they are."""
    if call["error"] or call["fixed_error"]:
        return []
    fixed = dict((k, _content(rows)) for k, rows in _groups(call, "fixed"))
    return [(k, rows) for k, rows in _groups(call, "tables") if fixed.get(k) == _content(rows)]


def _call(call_id):
    return CALLS[call_id][1]


def _table(call_id, key, title):
    return next(t["results"] for t in _call(call_id)[key] if t["title"] == title)


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

ORDERS = json.loads((FIX / "term_order.json").read_text())
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


# --- each documented difference, in SetMethods' own output ---------------------------------------

def test_most_typical_term_of_focal_conjuncts():
    # SetMethods reads mtt$term and mtt$case (the columns are Term and Case) and marks no case
    for call_id, (_, call) in CALLS.items():
        if not call["match"] and call["cases"] == 2 and call["tables"]:
            assert not any(r["MostTypTerm"] for t in call["tables"] if isinstance(t["results"], list)
                           for r in t["results"] if "MostTypTerm" in r), call_id
    rows = _ours("SCHF_pars_single_2_term_2")
    assert set(rows[rows.most_typical_term].case) == {"Netherlands_03"}     # the term's most typical case
    typical = _table("SCHF_pars_single_1", "tables", "Typical Cases")
    assert [r["MostTyp"] for r in typical if r["Term"] == "BARGAIN*UNI*STOCK"] == [True, False, False]
    assert typical[[r["Term"] for r in typical].index("BARGAIN*UNI*STOCK")]["Case"] == "Netherlands_03"


def test_clean_corridor_of_a_necessary_focal_conjunct_uses_the_cases_own_maximum():
    # SetMethods assigns the complementary maximum in the data's order to the sorted table
    theirs = _table("SCHF_pars_single_2_term_2", "tables", "Typical Cases - Necessary Focal Conjunct STOCK")
    data = load("SCHF")
    row = next(r for r in theirs if r["_row"] == "Netherlands_03")
    high = max(data.loc["Netherlands_03", "BARGAIN"], data.loc["Netherlands_03", "UNI"])     # 1.0
    assert (row["FC"], row["Outcome"], high) == (1.0, 0.96, 1.0)
    own = bool(high > row["FC"] or high < row["Outcome"])    # FC >= Y: clean when high > FC or high < Y
    assert row["CleanCorr"] is True and own is False
    ours = _ours("SCHF_pars_single_2_term_2")
    assert not ours[(ours.focal == "STOCK") & (ours.case == "Netherlands_03")].clean_corridor.item()


def test_clean_corridor_is_computed_for_every_case():
    # SetMethods re-sorts the table inside the loop that computes the corridor and skips cases
    call_id = "LF_comp07_single_2_term_1"
    skipped = []
    for key, rows in _groups(_call(call_id), "tables"):
        for r in rows:
            le = r["FC<=Y"]
            formula = (r["CC_Min"] < r["FC"] or r["CC_Min"] > r["Outcome"]) if le else \
                (r["CC_Min"] > r["FC"] or r["CC_Min"] < r["Outcome"])
            if formula and not r["CleanCorr"]:
                skipped.append((key[1], r["_row"]))
    assert skipped
    ours = _ours(call_id)
    for focal, case in skipped:
        assert ours[(ours.focal == focal) & (ours.case == case)].clean_corridor.item()


def test_a_negated_one_literal_term():
    for call_id in ("LF_neg_pars_single_2_term_1", "LF_neg_pars_match_1_term_1", "LF_neg_pars_match_2_term_2"):
        assert _call(call_id)["error"] == "undefined columns selected"        # SetMethods: toupper("~DEV")
        assert not _call(call_id)["fixed_error"]
        assert len(_ours(call_id)) > 0
    assert set(_ours("LF_neg_pars_single_2_term_1").focal) == {"~DEV"}


def test_fc_ge_y_of_the_second_typical_case():
    # SetMethods sets FC>=Y1 twice; FC>=Y2 takes the value of the first pair for every pair
    theirs = _table("SCHF_pars_match_1_term_2", "tables", "Necessary Focal Conjunct STOCK")
    data = load("SCHF")
    assert data.loc["Ireland_95", "STOCK"] < data.loc["Ireland_95", "EXPORT"]             # FC < Y
    with_ireland = [r for r in theirs if r["TYP2"] == "Ireland_95"]
    assert with_ireland and all(r["FC>=Y"] == "both" for r in with_ireland)
    ours = _ours("SCHF_pars_match_1_term_2")
    assert set(ours[(ours.focal == "STOCK") & (ours.case2 == "Ireland_95")].fc_ge_y) == {"typ1"}
    # and where the first pair's second case has FC < Y, SetMethods stops
    assert _call("SCHF_pars_match_1_term_3_OCCUP")["error"].startswith("replacement has 4 rows")


def test_a_negated_focal_conjunct_named_necessary_is_ranked_as_necessary():
    # SetMethods titles the table by the literal and ranks by the condition without its tilde
    named = _call("SCHF_pars_match_1_term_3_notOCCUP")["tables"][0]
    assert named["title"] == "Necessary Focal Conjunct ~OCCUP"
    assert "FC<=Y" in named["results"][0] and "FC>=Y" not in named["results"][0]
    ours = _ours("SCHF_pars_match_1_term_3_notOCCUP")
    mine = ours[ours.focal == "~OCCUP"]
    assert mine.necessary_fc.all() and mine.fc_ge_y.notna().all()
    unnamed = _call("SCHF_pars_match_2_term_3_OCCUP")["tables"][0]
    assert unnamed["title"] == "Focal Conjunct ~OCCUP" and "FC>=Y" in unnamed["results"][0]
    ours = _ours("SCHF_pars_match_2_term_3_OCCUP")
    assert not ours[ours.focal == "~OCCUP"].necessary_fc.any()


def test_typical_typical_pairs_per_term_without_empty_pairs():
    # SetMethods orders the kept pairs by the distances of all pairs: NA pairs among the best
    theirs = _table("SCHF_pars_match_5", "tables", "Term BARGAIN*UNI*STOCK")
    assert [r["TYP1"] for r in theirs][3:] == [None, None] and theirs[3]["Best"] is None
    ours = _ours("SCHF_pars_match_5")
    assert ours.case1.notna().all() and len(ours[ours.term == "BARGAIN*UNI*STOCK"]) == 3


def test_most_typical_of_pairs_per_term_is_the_terms():
    call_id = "SCHF_int_match_5"
    term = "~BARGAIN*~OCCUP*STOCK*~MA"
    theirs = _table(call_id, "tables", f"Term {term}")
    tt, sols = _solution("SCHF", "SCHF_int")
    typ = _typical_table(model_frames(sols, tt, models="first")[0])
    most = {t: {r["case"] for r in rows if r["most_typical"]} for t, rows in typ.items()}
    other = set().union(*(cases for t, cases in most.items() if t != term)) - most[term]
    marked = [r for r in theirs if r["MostTyp"] in ("both", "typ2") and r["TYP2"] in other]
    assert marked                                   # SetMethods: most typical for another term
    ours = _ours(call_id)
    mine = ours[ours.term == term]
    expected = ["both" if a and b else "typ1" if a else "typ2" if b else "none"
                for a, b in zip(mine.case1.isin(most[term]), mine.case2.isin(most[term]))]
    assert len(mine) == 5 and list(mine.most_typical) == expected


def test_globally_uncovered_iir_case_is_the_iir_cases_own():
    # SetMethods indexes by the factor R$IIR, i.e. the level number: the k-th case of the data
    theirs = _table("LF_pars_match_6", "tables", "Term URB*STB")
    tt, block = _solution("LF", "LF_pars")
    frame = model_frames(block, tt)[0]
    x, y = frame.x[frame.names.index("URB*STB")], frame.y
    iir = list(frame.cases[(x < 0.5) & (y < 0.5)])
    sol = dict(zip(frame.cases, frame.sol))
    wrong = [r for r in theirs if r["GlobUncov"] != (sol[r["IIR"]] < 0.5)]
    assert wrong and all(r["GlobUncov"] == (frame.sol[iir.index(r["IIR"])] < 0.5) for r in wrong)
    ours = _ours("LF_pars_match_6")
    assert all(g == (sol[c] < 0.5) for g, c in zip(ours.globally_uncovered, ours.case2))


def test_where_setmethods_stops_for_want_of_pairs_ours_gives_the_tables():
    stops = {"SCHF_int_match_6": "undefined columns selected",        # a term without typical cases
             "LF_pars_match_4": "replacement has 1 row, data has 0",   # no pair in one truth table row
             "LF_pars_match_1_term_1": "invalid argument to unary operator"}   # one typical case
    for call_id, message in stops.items():
        assert _call(call_id)["error"] == message and not _call(call_id)["fixed_error"]
    assert set(_ours("SCHF_int_match_6").term) == {"~EMP*~BARGAIN*OCCUP", "BARGAIN*UNI*STOCK",
                                                   "~EMP*~OCCUP*STOCK*~MA", "~BARGAIN*~OCCUP*STOCK*~MA"}
    assert _ours("LF_pars_match_4").empty


def test_typical_deviant_consistency_pairs_for_a_negated_necessary_condition():
    # SetMethods keeps STB in the truth table row of ~STB, so no typical and deviant case share one
    assert _call("LF_neg_pars_nec_match_2_~STB")["tables"][0]["results"] == "There are no pairs in the same TT row"
    ours = _ours("LF_neg_pars_nec_match_2_~STB")
    assert len(ours) > 0 and "TT_STB" not in ours.columns


def test_necessity_with_three_disjuncts():
    assert _call("SCHF_pars_nec_match_2_STOCK+MA+UNI")["error"] == "‘<’ only defined for equally-sized data frames"
    # typical-IIR: SetMethods reads the first other disjunct only for globally_uncovered
    theirs = _table("SCHF_pars_nec_match_3_STOCK+MA+UNI", "tables", "UNI")
    data = load("SCHF")
    first_only = [r for r in theirs if r["GlobUncov"] and data.loc[r["IIR"], "MA"] >= 0.5]
    assert first_only and all(data.loc[r["IIR"], "STOCK"] < 0.5 for r in first_only)
    ours = _ours("SCHF_pars_nec_match_3_STOCK+MA+UNI")
    mine = ours[ours.term == "UNI"]
    assert all(g == ((data.loc[c, "STOCK"] < 0.5) and (data.loc[c, "MA"] < 0.5))
               for g, c in zip(mine.globally_uncovered, mine.case2))


def test_most_typical_of_a_necessary_conjunction_is_the_conjunctions():
    # SetMethods takes the most typical cases of the conjunction from those of its first conjunct
    tt, _ = _solution("necessity", "LF_pars")
    typical = smmr(None, tt, cases="typical", necessity=True, nec_cond="URB*LIT")
    most = {t: set(typical[(typical.term == t) & typical.most_typical].case) for t in ("URB", "URB*LIT")}
    assert most["URB"] != most["URB*LIT"]
    theirs = _table("LF_pars_nec_match_1_URB*LIT", "tables", "URB*LIT")
    assert {r["TYP"] for r in theirs if r["MostTyp"]} <= most["URB"]
    assert any(r["MostTyp"] != (r["TYP"] in most["URB*LIT"]) for r in theirs)
    ours = _ours("LF_pars_nec_match_1_URB*LIT")
    assert all(m == (c in most["URB*LIT"]) for m, c in zip(ours.most_typical, ours.case1))


def test_all_single_case_types_for_necessity():
    call = _call("SCHF_pars_nec_single_4_STOCK+MA")
    assert call["error"] == 'argument "nec.cond" is missing, with no default'      # smmr passes nnec.cond
    ours = _ours("SCHF_pars_nec_single_4_STOCK+MA")
    assert list(ours.type.unique()) == ["typical", "deviant consistency", "deviant relevance"]
    # the fixed SetMethods lists the first table of each type: the disjunct STOCK
    for table, kind in zip(call["fixed"], ["typical", "deviant consistency", "deviant relevance"]):
        assert _differences(ours[ours.type == kind], ("STOCK", None), table["results"]) == []


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


def test_complementary_conjuncts_are_the_other_literals():
    # UNI renamed STOCK2: SetMethods' grep("STOCK") drops STOCK2 too from STOCK's complement, so
    # its "term" is BARGAIN*STOCK and it lists cases that are not typical for BARGAIN*STOCK2*STOCK
    theirs = _table("SCHF2_pars_single_2_term_2", "tables", "Typical Cases - Focal Conjunct STOCK")
    data = load("SCHF")
    term = data[["BARGAIN", "UNI", "STOCK"]].min(axis=1)
    typical = set(data.index[(term > 0.5) & (data.EXPORT > 0.5) & (term <= data.EXPORT)])
    assert typical == {"Ireland_95", "Netherlands_03", "Netherlands_99"}
    assert {r["_row"] for r in theirs} - typical == {"Netherlands_95", "Ireland_90"}
    ireland = next(r for r in theirs if r["_row"] == "Ireland_95")
    assert ireland["CC_Min"] == data.loc["Ireland_95", "BARGAIN"] > data.loc["Ireland_95", "UNI"]
    ours = _ours("SCHF2_pars_single_2_term_2")
    mine = ours[ours.focal == "STOCK"]
    assert set(mine.case) == typical
    assert mine[mine.case == "Ireland_95"].cc_min.item() == data.loc["Ireland_95", "UNI"]
