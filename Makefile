# Two commands do everything on a machine with Python 3.11+ and make:
#   make reproduce   set up .venv, then regenerate every study under results/<study>/
#                    (make reproduce STUDY=lipset: one study; ARGS="--set incl_cut=0.85": changed inputs)
#   make test        set up .venv, then run the unit tests and re-execute the notebooks (nbval)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: reproduce test venv clean benchmark parity

# pip compiles every installed module to bytecode one file at a time (25 of its 38 CPU-s); here
# compileall does the same on every core, less the packages' own test suites (tests/ and test/
# folders: 2,740 of 8,843 modules, never imported here; tests/test_speed8_t_compile.py), beside the
# kernel's registration and the compilation of the numba kernels.
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --no-compile -r requirements.lock
	$(PY) -m pip install --quiet --no-compile --no-deps -e .
	$(PY) -m compileall -q -j 0 -x '/tests?/' $(VENV)/lib > /dev/null & compiling=$$!; \
	$(PY) -m ipykernel install --sys-prefix --name python3 > /dev/null && \
	$(PY) -m analysis.qca.kernels.warm; installed=$$?; \
	wait $$compiling && test $$installed = 0
	touch $@

venv: $(VENV)/.installed

reproduce: venv
	$(PY) -m analysis.pipeline $(if $(STUDY),--study $(STUDY)) $(ARGS)

# Both suites run, side by side, even when one fails; the last two lines say how each ended.  The
# notebooks are re-executed in order, each in a fresh kernel, into a temporary folder
# (COMPENDIUM_RESULTS), never into results/; their report is printed after the unit tests'.  The
# unit tests run on TEST_JOBS processes (pytest-xdist; TEST_JOBS=0: one process): the tests that
# share a study's run wait for the one process that makes it (conftest.study_runs).  The slowest
# tests are listed (--durations); `-m "not slow"` in PYTEST_ARGS skips the runs of whole studies.
# The tests' processes keep the bytecode they compile even where PYTHONDONTWRITEBYTECODE is set
# (the project's modules and pytest's rewritten test files, in __pycache__/, which git ignores):
# otherwise each of the about 190 Python processes a test run starts compiles them again.
TEST_JOBS ?= 2
test: venv
	@unset PYTHONDONTWRITEBYTECODE; units=passed; notebooks=passed; tmp=$$(mktemp -d); mkdir $$tmp/results; \
	COMPENDIUM_RESULTS=$$tmp/results $(PY) -m pytest --nbval notebooks --nbval-sanitize-with tests/nbval_sanitize.cfg \
		-p no:randomly > $$tmp/nbval.log 2>&1 & nbval=$$!; \
	$(PY) -m pytest --doctest-modules analysis tests -n $(TEST_JOBS) --dist loadgroup --durations=15 $(PYTEST_ARGS) \
		|| units=FAILED; \
	wait $$nbval || notebooks=FAILED; cat $$tmp/nbval.log; \
	rm -rf $$tmp; \
	echo "unit, R-parity and doctests: $$units"; echo "notebooks (nbval): $$notebooks"; \
	test $$units = passed && test $$notebooks = passed

# Parity with R's QCA 3.25.1 from the reference files in tests/fixtures/reference/.
parity: venv
	$(PY) tests/parity.py

benchmark: venv
	$(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) results
