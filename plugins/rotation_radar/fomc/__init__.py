"""The fomc_statements DAG's domain: FOMC statements (parsed, diffed) and FRED's policy series.

`parse_statement` and `diff_statements` are the notebook API (DESIGN.md, "Python API").
"""

from rotation_radar.fomc.statements import (
    StatementDiff,
    StatementFacts,
    diff_statements,
    parse_statement,
)

__all__ = ["StatementDiff", "StatementFacts", "diff_statements", "parse_statement"]
