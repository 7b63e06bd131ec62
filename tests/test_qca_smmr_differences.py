"""SetMethods' smmr (see test_qca_smmr.py): each documented difference between the engine and
SetMethods 4.0, shown in SetMethods' own output on at least one fixture (tests/fixtures/setmethods/smmr,
r_smmr.R names each fix), and the engine's table where it differs.
"""
from analysis.qca.casestudies import model_frames, smmr
from analysis.qca.datasets import load
from analysis.qca.smmr_cases import _typical_table
from conftest import CALLS, _call, _differences, _groups, _ours, _solution, _table


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
