"""The earnings_sec DAG's domain: SEC XBRL facts and point-in-time TTM fundamentals.

`ttm_fundamentals` is the notebook API (DESIGN.md, "Python API").
"""

from rotation_radar.earnings.fundamentals import ttm_fundamentals

__all__ = ["ttm_fundamentals"]
