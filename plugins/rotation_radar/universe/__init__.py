"""The universe_holdings DAG's domain: basket members from ETF holdings files.

`parse_holdings` (the iShares format, in rotation_radar.sources.ishares) is the notebook API.
"""

from rotation_radar.sources.ishares import parse_holdings

__all__ = ["parse_holdings"]
