"""Claims and their ledger: the schema of a claim (``schema``), what each type checks
(``checks``), and the ledger of a run (``ledger``)."""
from .checks import CHECKS, solution_models
from .ledger import COLUMNS, claim_status, evaluate_claims, ledger
from .schema import CHECK_TYPES, outcome_key, outcomes_of, validate_claims

__all__ = ["CHECKS", "CHECK_TYPES", "COLUMNS", "claim_status", "evaluate_claims", "ledger", "outcome_key", "outcomes_of",
           "solution_models", "validate_claims"]
