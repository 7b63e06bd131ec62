"""Random CSVs and parameters thrown at the command line: a result or one clean error, never a traceback."""
import contextlib
import io
import json
import warnings

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from analysis.qca.__main__ import main

CELL = st.one_of(st.floats(0, 1).map(lambda v: f"{v:.2f}"), st.sampled_from(["", "x", "-1", "1.5", "nan", "0.5", " "]),
                 st.integers(-3, 3).map(str))
NAME = st.sampled_from(["A", "B", "C", "D", "Y", "case", "A", ""])


@st.composite
def csv_text(draw):
    if draw(st.booleans()):                      # well-formed memberships: a result is expected
        header = ["case", "A", "B", "C", "Y"]
        value = st.floats(0, 1).map(lambda v: f"{v:.2f}")
        rows = [[f"k{i}"] + [draw(value) for _ in range(4)] for i in range(draw(st.integers(2, 12)))]
        return "\n".join(",".join(r) for r in [header] + rows) + "\n"
    n_cols = draw(st.integers(1, 5))
    header = ["case"] + [draw(NAME) for _ in range(n_cols)]
    rows = [[f"k{i}"] + [draw(CELL) for _ in range(n_cols)] for i in range(draw(st.integers(0, 8)))]
    if draw(st.booleans()) and rows:
        rows[-1] = rows[-1][:-1]                 # a ragged line
    return "\n".join(",".join(r) for r in [header] + rows) + "\n"


@given(csv_text(), st.sampled_from(["Y", "Y", "A", "Z"]), st.sampled_from(["0.8", "0.8", "0.7", "1", "0", "1.2", "x", "0.8,0.6"]),
       st.sampled_from(["0", "0", "0.7", "-1"]), st.sampled_from(["1", "1", "2", "0", "1.5"]),
       st.sampled_from([None, "1,1,1", "1,-,0", "1,1", "2"]), st.booleans())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_cli_gives_a_result_or_one_clean_error(tmp_path, text, outcome, incl, pri, ncut, dir_exp, neg):
    path = tmp_path / "data.csv"
    path.write_text(text)
    args = ["--data", str(path), "--outcome", outcome, "--incl-cut", incl, "--pri-cut", pri, "--n-cut", ncut, "--json"]
    if dir_exp:
        args += ["--dir-exp", dir_exp]
    if neg:
        args.append("--negate-outcome")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = main(args)          # any exception other than a clean exit fails the test
    event(f"exit {code}")
    if code == 0:
        result = json.loads(out.getvalue())
        assert {"truth_table", "necessity", "solutions"} <= set(result)
    else:
        assert code == 2
        lines = [line for line in err.getvalue().splitlines() if line.startswith("error: ")]
        assert len(lines) == 1
        assert not lines[0].startswith("error: unexpected"), lines[0]        # a bug, not bad input
