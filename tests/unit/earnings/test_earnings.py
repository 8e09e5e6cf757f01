"""Unit tests of rotation_radar.earnings.fundamentals on small companyfacts dicts built here."""

from __future__ import annotations

import calendar
import datetime as dt
import math

import pandas as pd
import pytest

from rotation_radar.earnings.fundamentals import (
    COLUMNS,
    CONCEPTS,
    HISTORY_COLUMNS,
    METRICS,
    consolidate,
    facts_frame,
    fundamentals,
    quarterly,
    raw_facts,
    split_adjusted,
    ttm_fundamentals,
    ttm_history,
)

D = dt.date.fromisoformat


def fact(start, end, val, filed, accn="0000000000-00-000001", fy=2023, fp="Q1", form="10-Q"):
    f = {"end": end, "val": val, "accn": accn, "fy": fy, "fp": fp, "form": form, "filed": filed}
    if start is not None:
        f["start"] = start
    return f


def companyfacts(us_gaap=None, dei=None, cik=1234):
    """{'facts': {'us-gaap': {Concept: {'units': {unit: [facts]}}}}}; a concept's value
    is a list (unit USD, or USD/shares for EPS, shares for share counts) or a dict by unit."""
    facts = {}
    for taxonomy, concepts in (("us-gaap", us_gaap), ("dei", dei)):
        if concepts is None:
            continue
        facts[taxonomy] = {}
        for name, entries in concepts.items():
            if isinstance(entries, list):
                unit = "USD/shares" if "PerShare" in name else "USD"
                unit = "shares" if "SharesOutstanding" in name else unit
                entries = {unit: entries}
            facts[taxonomy][name] = {"label": name, "units": entries}
    return {"cik": cik, "entityName": "TEST CO", "facts": facts}


# Calendar 2023 reported the usual way: three 10-Qs (quarter + YTD) and a 10-K (annual).
CAL_2023 = [
    fact("2023-01-01", "2023-03-31", 100, "2023-05-01", "a-q1", 2023, "Q1"),
    fact("2023-04-01", "2023-06-30", 110, "2023-08-01", "a-q2", 2023, "Q2"),
    fact("2023-01-01", "2023-06-30", 210, "2023-08-01", "a-q2", 2023, "Q2"),
    fact("2023-07-01", "2023-09-30", 120, "2023-11-01", "a-q3", 2023, "Q3"),
    fact("2023-01-01", "2023-09-30", 330, "2023-11-01", "a-q3", 2023, "Q3"),
    fact("2023-01-01", "2023-12-31", 460, "2024-02-15", "a-k", 2023, "FY", "10-K"),
]
Q1_2024 = fact("2024-01-01", "2024-03-31", 140, "2024-05-01", "a-q124", 2024, "Q1")


def quarters_of(entries, as_of, concept="NetIncomeLoss"):
    frame = facts_frame(companyfacts({concept: entries}))
    return quarterly(frame, D(as_of))


def test_facts_frame_rows_and_key():
    cf = companyfacts(
        {"NetIncomeLoss": CAL_2023, "Revenues": [CAL_2023[0]], "Goodwill": [CAL_2023[0]]},
        dei={"EntityCommonStockSharesOutstanding": [fact(None, "2023-04-20", 50, "2023-05-01")]},
    )
    frame = facts_frame(cf)
    assert list(frame.columns) == COLUMNS
    assert set(frame["concept"]) == {
        "us-gaap:NetIncomeLoss",
        "us-gaap:Revenues",
        "dei:EntityCommonStockSharesOutstanding",
    }
    assert len(frame) == len(CAL_2023) + 2
    key = ["cik", "concept", "period_start", "period_end", "accession"]
    assert not frame.duplicated(subset=key).any()
    annual = frame[frame["fiscal_period"] == "FY"].iloc[0]
    assert annual["metric"] == "net_income" and annual["unit"] == "USD"
    assert annual["period_start"] == pd.Timestamp("2023-01-01")
    assert annual["filed"] == pd.Timestamp("2024-02-15") and annual["fiscal_year"] == 2023
    assert pd.isna(frame[frame["metric"] == "shares_outstanding"]["period_start"]).all()


def test_facts_frame_keeps_restatements_as_separate_rows():
    restated = fact("2023-01-01", "2023-03-31", 90, "2024-05-01", "a-q124", 2024, "Q1")
    frame = facts_frame(companyfacts({"NetIncomeLoss": [CAL_2023[0], restated]}))
    assert sorted(frame["value"]) == [90, 100]
    assert sorted(frame["accession"]) == ["a-q1", "a-q124"]


def test_facts_frame_of_empty_companyfacts():
    frame = facts_frame({"cik": 1, "facts": {}})
    assert frame.empty and list(frame.columns) == COLUMNS


def test_quarters_are_three_month_durations_and_ytd_is_not():
    q = quarters_of(CAL_2023[:5], "2023-12-01")
    assert list(q["value"]) == [100, 110, 120]
    assert list(q["period_end"].dt.strftime("%m-%d")) == ["03-31", "06-30", "09-30"]
    assert not q["derived"].any()


def test_q4_is_annual_minus_the_three_quarters():
    q = quarters_of(CAL_2023, "2024-03-01")
    q4 = q.iloc[-1]
    assert (q4["period_start"], q4["period_end"]) == (
        pd.Timestamp("2023-10-01"),
        pd.Timestamp("2023-12-31"),
    )
    assert q4["value"] == 460 - 100 - 110 - 120
    assert bool(q4["derived"]) and q4["filed"] == pd.Timestamp("2024-02-15")


def test_q4_from_nine_month_ytd_when_a_quarter_is_missing():
    entries = [e for e in CAL_2023 if e["end"] != "2023-06-30"]  # no Q2, no 6-month YTD
    q = quarters_of(entries, "2024-03-01")
    assert list(q["value"]) == [100, 120, 460 - 330]
    assert list(q["derived"]) == [False, False, True]


def test_direct_q4_is_not_replaced_by_a_derived_one():
    direct = fact("2023-10-01", "2023-12-31", 131, "2024-02-15", "a-k", 2023, "FY", "10-K")
    q = quarters_of([*CAL_2023, direct], "2024-03-01")
    assert list(q["value"]) == [100, 110, 120, 131] and not q["derived"].any()


def test_ttm_sums_four_contiguous_quarters():
    cf = companyfacts({"NetIncomeLoss": [*CAL_2023, Q1_2024]})
    assert ttm_fundamentals(cf, D("2024-03-01"))["net_income"] == 460
    assert ttm_fundamentals(cf, D("2024-06-01"))["net_income"] == 110 + 120 + 130 + 140


def test_missing_quarter_gives_none_not_a_partial_sum():
    entries = [e for e in CAL_2023 if e["end"] not in ("2023-09-30", "2023-12-31")]
    entries.append(fact("2023-10-01", "2023-12-31", 130, "2024-02-15", "a-k", 2023, "FY"))
    entries.append(Q1_2024)
    # Q2, [no Q3], Q4, Q1: the chain breaks at Q3.
    assert ttm_fundamentals(companyfacts({"NetIncomeLoss": entries}), D("2024-06-01")) == {
        "net_income": None,
        "eps_diluted": None,
        "revenue": None,
        "operating_income": None,
        "interest_expense": None,
        "shares_outstanding": None,
    }


def test_fewer_than_four_quarters_gives_none():
    cf = companyfacts({"NetIncomeLoss": CAL_2023[:5]})
    assert ttm_fundamentals(cf, D("2023-12-31"))["net_income"] is None


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2024-02-14", None),  # the 10-K (and so Q4) is filed tomorrow
        ("2024-02-15", 460),
        ("2024-04-30", 460),  # Q1 2024 ended but is not filed yet
        ("2024-05-01", 110 + 120 + 130 + 140),
    ],
)
def test_point_in_time_a_fact_filed_after_as_of_is_invisible(as_of, expected):
    cf = companyfacts({"NetIncomeLoss": [*CAL_2023, Q1_2024]})
    assert ttm_fundamentals(cf, D(as_of))["net_income"] == expected


def test_restatement_is_used_only_from_its_filed_date():
    # The Q1 2024 10-Q restates Q1 2023 (100 -> 90) as its comparative.
    restated = fact("2023-01-01", "2023-03-31", 90, "2024-05-01", "a-q124", 2024, "Q1")
    frame = facts_frame(companyfacts({"NetIncomeLoss": [*CAL_2023, restated]}))
    before = quarterly(frame, D("2024-04-30"))
    after = quarterly(frame, D("2024-05-01"))
    assert before.iloc[0]["value"] == 100 and after.iloc[0]["value"] == 90
    # Q4 is still annual minus the three quarters as known on each date.
    assert before.iloc[-1]["value"] == 130 and after.iloc[-1]["value"] == 140
    assert after.iloc[-1]["filed"] == pd.Timestamp("2024-05-01")


def test_fy_fp_describe_the_filing_not_the_period():
    # A FY2024 10-K carries 2023 and 2022 comparatives, all tagged fy=2024 fp=FY; the
    # 2023 10-Qs' comparatives for 2022 are tagged fy=2023. Periods come from the dates.
    k24 = {"accn": "k24", "fy": 2024, "fp": "FY", "form": "10-K"}
    entries = [
        fact("2022-01-01", "2022-12-31", 400, "2025-02-15", **k24),
        fact("2023-01-01", "2023-12-31", 460, "2025-02-15", **k24),
        fact("2024-01-01", "2024-12-31", 520, "2025-02-15", **k24),
        fact("2024-01-01", "2024-03-31", 120, "2024-05-01", "q124", 2024, "Q1"),
        fact("2023-01-01", "2023-03-31", 100, "2024-05-01", "q124", 2024, "Q1"),
        fact("2024-04-01", "2024-06-30", 130, "2024-08-01", "q224", 2024, "Q2"),
        fact("2024-07-01", "2024-09-30", 140, "2024-11-01", "q324", 2024, "Q3"),
        # fp says Q3 but this is the 9-month YTD: not a quarter
        fact("2024-01-01", "2024-09-30", 390, "2024-11-01", "q324", 2024, "Q3"),
    ]
    q = quarters_of(entries, "2025-03-01")
    ends = ["2023-03-31", "2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31"]
    assert list(q["period_end"].dt.date) == [D(e) for e in ends]
    assert list(q["value"]) == [100, 120, 130, 140, 520 - 390]
    cf = companyfacts({"NetIncomeLoss": entries})
    assert ttm_fundamentals(cf, D("2025-03-01"))["net_income"] == 520


def test_52_53_week_fiscal_years():
    # Fiscal years end on the Saturday nearest 30 September; FY2023 has 53 weeks and a
    # 14-week Q4 (end - start: 90 days a 13-week quarter, 97 a 14-week one, 370 the year).
    entries = [
        fact("2022-10-02", "2022-12-31", 10, "2023-02-01", "q1", 2023, "Q1"),
        fact("2023-01-01", "2023-04-01", 11, "2023-05-01", "q2", 2023, "Q2"),
        fact("2023-04-02", "2023-07-01", 12, "2023-08-01", "q3", 2023, "Q3"),
        fact("2022-10-02", "2023-10-07", 50, "2023-11-20", "k", 2023, "FY", "10-K"),
        fact("2023-10-08", "2024-01-06", 14, "2024-02-01", "q1b", 2024, "Q1"),
    ]
    q = quarters_of(entries, "2024-03-01")
    q4 = q[q["derived"]].iloc[0]
    assert (q4["period_start"], q4["period_end"], q4["value"]) == (
        pd.Timestamp("2023-07-02"),
        pd.Timestamp("2023-10-07"),
        50 - 10 - 11 - 12,
    )
    cf = companyfacts({"NetIncomeLoss": entries})
    assert ttm_fundamentals(cf, D("2024-03-01"))["net_income"] == 11 + 12 + 17 + 14


def test_concept_fallback_order():
    cf = companyfacts(
        {
            "ProfitLoss": CAL_2023,
            "NetIncomeLossAvailableToCommonStockholdersBasic": [
                {**e, "val": e["val"] - 1} for e in CAL_2023
            ],
            "RevenueFromContractWithCustomerExcludingAssessedTax": [
                {**e, "val": e["val"] * 10} for e in CAL_2023
            ],
            "InterestExpenseDebt": [{**e, "val": e["val"] * 2} for e in CAL_2023],
            "OperatingIncomeLoss": CAL_2023,
        }
    )
    got = ttm_fundamentals(cf, D("2024-03-01"))
    assert got["net_income"] == 460  # ProfitLoss before ...AvailableToCommonStockholders
    assert got["revenue"] == 4600
    assert got["operating_income"] == 460
    assert got["interest_expense"] == 920
    assert CONCEPTS["net_income"][0] == "us-gaap:NetIncomeLoss"


def test_first_concept_wins_when_both_complete():
    cf = companyfacts(
        {
            "Revenues": CAL_2023,
            "RevenueFromContractWithCustomerExcludingAssessedTax": [
                {**e, "val": e["val"] * 10} for e in CAL_2023
            ],
        }
    )
    assert ttm_fundamentals(cf, D("2024-03-01"))["revenue"] == 460


def test_concept_switch_uses_the_newer_concept_and_merges_across_the_switch():
    old = [
        fact("2017-04-01", "2017-06-30", 1, "2017-08-01", "o2", 2017, "Q2"),
        fact("2017-07-01", "2017-09-30", 2, "2017-11-01", "o3", 2017, "Q3"),
        fact("2016-10-01", "2016-12-31", 3, "2017-02-01", "o0", 2016, "FY"),
        fact("2017-01-01", "2017-03-31", 4, "2017-05-01", "o1", 2017, "Q1"),
        fact("2017-10-01", "2017-12-31", 5, "2018-02-01", "o4", 2017, "FY"),
    ]
    new = [
        fact("2018-01-01", "2018-03-31", 10, "2018-05-01", "n1", 2018, "Q1"),
        fact("2018-04-01", "2018-06-30", 20, "2018-08-01", "n2", 2018, "Q2"),
        fact("2018-07-01", "2018-09-30", 30, "2018-11-01", "n3", 2018, "Q3"),
        fact("2018-10-01", "2018-12-31", 40, "2019-02-01", "n4", 2018, "FY"),
    ]
    cf = companyfacts(
        {"SalesRevenueNet": old, "RevenueFromContractWithCustomerExcludingAssessedTax": new}
    )
    assert ttm_fundamentals(cf, D("2018-08-15"))["revenue"] == 2 + 5 + 10 + 20
    # The old concept still has a complete (stale) TTM; the newer one wins.
    assert ttm_fundamentals(cf, D("2019-03-01"))["revenue"] == 100


def test_no_us_gaap_gives_none_but_dei_shares():
    cf = companyfacts(
        dei={"EntityCommonStockSharesOutstanding": [fact(None, "2024-04-20", 5_000, "2024-05-01")]}
    )
    got = ttm_fundamentals(cf, D("2024-06-01"))
    assert got == {
        "net_income": None,
        "eps_diluted": None,
        "revenue": None,
        "operating_income": None,
        "interest_expense": None,
        "shares_outstanding": 5_000,
    }
    empty = ttm_fundamentals({"cik": 1, "facts": {}}, D("2024-06-01"))
    assert all(v is None for v in empty.values())


def test_shares_latest_instant_filed_by_as_of_and_classes_summed():
    dei = [
        fact(None, "2024-01-20", 900, "2024-02-15", "k"),
        # two share classes on the cover of the same 10-Q
        fact(None, "2024-04-20", 700, "2024-05-01", "q1"),
        fact(None, "2024-04-20", 300, "2024-05-01", "q1"),
    ]
    gaap = {"CommonStockSharesOutstanding": [fact(None, "2024-03-31", 950, "2024-05-01", "q1")]}
    cf = companyfacts(gaap, dei={"EntityCommonStockSharesOutstanding": dei})
    assert ttm_fundamentals(cf, D("2024-04-30"))["shares_outstanding"] == 900
    assert ttm_fundamentals(cf, D("2024-05-01"))["shares_outstanding"] == 1_000
    assert ttm_fundamentals(cf, D("2024-02-01"))["shares_outstanding"] is None
    # without dei, us-gaap CommonStockSharesOutstanding is the fallback
    assert ttm_fundamentals(companyfacts(gaap), D("2024-06-01"))["shares_outstanding"] == 950


def test_eps_is_the_sum_of_four_quarterly_eps():
    eps = [{**e, "val": e["val"] / 100} for e in [*CAL_2023, Q1_2024]]
    cf = companyfacts({"EarningsPerShareDiluted": eps})
    assert ttm_fundamentals(cf, D("2024-06-01"))["eps_diluted"] == 5.0


def test_eps_after_a_split_is_on_the_new_basis_from_the_split_filing():
    # A 3-for-1 split in 2024: the Q2 10-Q restates its comparatives, Q1 2024 and the
    # 2023 quarters stay as filed (old basis).
    eps = [{**e, "val": e["val"] / 100} for e in [*CAL_2023, Q1_2024]]
    eps += [
        fact("2024-04-01", "2024-06-30", 0.5, "2024-08-01", "q224", 2024, "Q2"),
        fact("2023-04-01", "2023-06-30", 0.37, "2024-08-01", "q224", 2024, "Q2"),
        fact("2023-01-01", "2023-06-30", 0.70, "2024-08-01", "q224", 2024, "Q2"),
        fact("2024-01-01", "2024-06-30", 0.97, "2024-08-01", "q224", 2024, "Q2"),
    ]
    cf = companyfacts({"EarningsPerShareDiluted": eps})
    assert ttm_fundamentals(cf, D("2024-07-31"))["eps_diluted"] == 5.0  # before: old basis
    got = ttm_fundamentals(cf, D("2024-08-01"))["eps_diluted"]
    assert got == pytest.approx((1.2 + 1.3 + 1.4) / 3 + 0.5, abs=0.01)
    adjusted = split_adjusted(facts_frame(cf), D("2024-08-01"))
    assert adjusted[adjusted["accession"] == "a-q1"]["value"].iloc[0] == pytest.approx(1 / 3)


def test_a_single_restated_eps_is_not_a_split():
    eps = [{**e, "val": e["val"] / 100} for e in [*CAL_2023, Q1_2024]]
    eps.append(fact("2023-01-01", "2023-03-31", 0.5, "2024-05-01", "q124", 2024, "Q1"))
    cf = companyfacts({"EarningsPerShareDiluted": eps})
    # Q1 2023 restated 1.00 -> 0.50 changes the derived Q4 (4.6 - 0.5 - 1.1 - 1.2 = 1.8)
    assert ttm_fundamentals(cf, D("2024-06-01"))["eps_diluted"] == pytest.approx(
        1.1 + 1.2 + 1.8 + 1.4
    )


# ------------------------------------------------------------------ raw facts


def test_raw_facts_lists_every_entry_as_given():
    shares = [
        fact(None, "2024-04-20", 700, "2024-05-01", "q1"),
        fact(None, "2024-04-20", 300, "2024-05-01", "q1"),  # a second share class
        fact(None, "2024-04-20", 300, "2024-05-01", "q1"),  # an exact repeat
    ]
    entries = [
        CAL_2023[0],
        {**CAL_2023[1], "val": "1,234"},
        {**CAL_2023[2], "val": "n/a"},
        {**CAL_2023[3], "val": True},
        {k: v for k, v in CAL_2023[4].items() if k not in ("val", "filed")},
        {k: v for k, v in CAL_2023[5].items() if k not in ("end", "accn")},
    ]
    cf = companyfacts(
        {"NetIncomeLoss": {"USD": entries, "EUR": [CAL_2023[0]]}, "Goodwill": [CAL_2023[0]]},
        dei={"EntityCommonStockSharesOutstanding": shares},
    )
    raw = raw_facts(cf)
    assert list(raw.columns) == [*COLUMNS, "value_raw"]
    assert len(raw) == len(entries) + 1 + len(shares)  # no de-duplication, no summing
    usd = raw[raw["unit"] == "USD"].reset_index(drop=True)
    assert usd["value_raw"].tolist() == ["100", "1,234", "n/a", "True", None, "460"]
    assert usd["value"].iloc[0] == 100 and usd["value"].iloc[5] == 460
    assert usd["value"].iloc[1:5].isna().all()  # not numbers, or absent
    assert pd.isna(usd["filed"].iloc[4]) and pd.isna(usd["period_end"].iloc[5])
    assert usd["accession"].iloc[5] is None
    for col in ("period_start", "period_end", "filed"):
        assert pd.api.types.is_datetime64_any_dtype(raw[col])
    eur = raw[raw["unit"] == "EUR"]
    assert (
        eur["concept"].tolist() == ["us-gaap:NetIncomeLoss"]
        and eur["metric"].iloc[0] == "net_income"
    )
    assert raw[raw["metric"] == "shares_outstanding"]["value"].tolist() == [700, 300, 300]


def test_consolidate_keeps_valid_facts_in_the_metric_unit_and_sums_share_classes():
    shares = [
        fact(None, "2024-04-20", 700, "2024-05-01", "q1"),
        fact(None, "2024-04-20", 300, "2024-05-01", "q1"),
        fact(None, "2024-04-20", 300, "2024-05-01", "q1"),  # an exact repeat is one class
    ]
    entries = [CAL_2023[0], {**CAL_2023[1], "val": "n/a"}, {**CAL_2023[2], "filed": None}]
    cf = companyfacts(
        {"NetIncomeLoss": {"USD": [*entries, CAL_2023[0]], "EUR": [CAL_2023[3]]}},
        dei={"EntityCommonStockSharesOutstanding": shares},
    )
    # the lake passes extra columns through validation; consolidate returns COLUMNS
    raw = raw_facts(cf).assign(symbol="TEST", raw_key="raw/x.json")
    facts = consolidate(raw)
    assert list(facts.columns) == COLUMNS
    assert facts[["concept", "value"]].values.tolist() == [
        ["us-gaap:NetIncomeLoss", 100.0],
        ["dei:EntityCommonStockSharesOutstanding", 1000.0],
    ]
    pd.testing.assert_frame_equal(facts, facts_frame(cf))
    assert consolidate(raw_facts({"cik": 1, "facts": {}})).empty


# ------------------------------------------------------------------ fundamentals and history


def generated_companyfacts(years=range(2019, 2024)) -> dict:
    """A calendar-year filer as SEC lists one: 10-Qs with the quarter and the year to date,
    this year's and last year's; 10-Ks with three annual figures and no Q4. Revenue moves
    from SalesRevenueNet to Revenues in 2021; the Q3 2022 10-Q restates Q3 2021; from the
    Q2 2022 10-Q on, diluted EPS is on a 2-for-1 basis (comparatives restated too); the
    cover reports two share classes."""
    restated_from = dt.date(2022, 11, 4)  # the Q3 2022 10-Q
    gaap = {
        c: [] for c in ("NetIncomeLoss", "SalesRevenueNet", "Revenues", "EarningsPerShareDiluted")
    }
    cover = []

    def quarter(year, q):  # (start, end)
        last_month = 3 * q
        end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
        return dt.date(year, last_month - 2, 1), end

    def income(year, q, filed):  # as reported by a filing on `filed`
        value = 100 + 10 * (year - years[0]) + q
        return value - 7 if (year, q) == (2021, 3) and filed >= restated_from else value

    for year in years:
        for q in (1, 2, 3, 4):
            filed = quarter(year, q)[1] + dt.timedelta(days=60 if q == 4 else 35)
            accn, fp = f"{year}-{q}", "FY" if q == 4 else f"Q{q}"
            basis = 2 if (year, q) >= (2022, 2) else 1  # shares per pre-split share
            if q < 4:  # (year, first quarter, last quarter) of each period the filing reports
                periods = {(y, first, q) for y in (year, year - 1) for first in (q, 1)}
            else:
                periods = {(y, 1, 4) for y in (year - 2, year - 1, year)}
            for y, first, last in sorted(periods):
                if y not in years:
                    continue
                value = sum(income(y, k, filed) for k in range(first, last + 1))
                start, end = quarter(y, first)[0].isoformat(), quarter(y, last)[1].isoformat()
                revenue = "SalesRevenueNet" if y < 2021 else "Revenues"
                eps = round(value / 100 / basis, 2)
                for name, val in (
                    ("NetIncomeLoss", value),
                    (revenue, 10 * value),
                    ("EarningsPerShareDiluted", eps),
                ):
                    gaap[name].append(fact(start, end, val, filed.isoformat(), accn, year, fp))
            cover_day = (filed - dt.timedelta(days=10)).isoformat()
            for class_shares in (600 + year, 400):
                cover.append(fact(None, cover_day, class_shares, filed.isoformat(), accn))
    return companyfacts(gaap, dei={"EntityCommonStockSharesOutstanding": cover})


def same(history_value, expected) -> bool:
    """A ttm_history cell (NaN/None where unknown) against a `fundamentals` value."""
    if expected is None:
        return history_value is None or math.isnan(history_value)
    return history_value == expected


def test_fundamentals_of_a_facts_frame_equal_ttm_fundamentals():
    cf = generated_companyfacts()
    facts = facts_frame(cf)
    for as_of in ("2019-01-01", "2020-05-05", "2022-08-04", "2022-08-05", "2024-06-01"):
        assert fundamentals(facts, D(as_of)) == ttm_fundamentals(cf, D(as_of))


def test_ttm_history_has_one_row_per_filing_date_equal_to_fundamentals():
    facts = facts_frame(generated_companyfacts())
    history = ttm_history(facts)
    assert list(history.columns) == HISTORY_COLUMNS
    assert list(history["known_from"]) == sorted(set(facts["filed"].dt.date))
    assert all(type(d) is dt.date for d in history["known_from"])
    for row in history.to_dict("records"):
        expected = fundamentals(facts, row["known_from"])
        for metric in METRICS:
            assert same(row[metric], expected[metric]), (row["known_from"], metric)
    # not a trivial company: TTMs are known, and EPS is split-adjusted from the Q2 2022 10-Q
    assert history["net_income"].notna().sum() > len(history) / 2
    row = history.set_index("known_from").loc[dt.date(2022, 8, 4)]  # the Q2 2022 10-Q
    q3_21, q4_21, q1_22, q2_22 = (123, 124, 131, 132)  # net income / 100 = EPS, old basis
    assert row["eps_diluted"] == pytest.approx(
        (q3_21 + q4_21 + q1_22) / 100 / 2 + round(q2_22 / 200, 2)
    )
    assert row["net_income"] == q3_21 + q4_21 + q1_22 + q2_22


def test_ttm_history_shares_and_their_date():
    history = ttm_history(facts_frame(generated_companyfacts(range(2022, 2024))))
    first = history.iloc[0]
    assert first["known_from"] == dt.date(2022, 5, 5)
    assert first["shares_outstanding"] == 600 + 2022 + 400  # two classes summed
    assert first["shares_as_of"] == dt.date(2022, 4, 25)
    assert math.isnan(first["net_income"])  # one quarter known


def test_ttm_history_without_facts():
    history = ttm_history(facts_frame({"cik": 1, "facts": {}}))
    assert history.empty and list(history.columns) == HISTORY_COLUMNS
    only_shares = companyfacts(
        dei={"EntityCommonStockSharesOutstanding": [fact(None, "2024-04-20", 5_000, "2024-05-01")]}
    )
    history = ttm_history(facts_frame(only_shares))
    assert history[["known_from", "shares_outstanding", "shares_as_of"]].values.tolist() == [
        [dt.date(2024, 5, 1), 5000.0, dt.date(2024, 4, 20)]
    ]
    assert history[list(METRICS[:-1])].isna().all(axis=None)
