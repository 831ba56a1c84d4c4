import datetime

import pytest

from content.fiscal import FiscalQuarter, fiscal_label


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("FY23 Q1", datetime.date(2022, 10, 1), datetime.date(2022, 12, 31)),
        ("FY23 Q2", datetime.date(2023, 1, 1), datetime.date(2023, 3, 31)),
        ("FY2023 Q3", datetime.date(2023, 4, 1), datetime.date(2023, 6, 30)),
        ("fy23 q4", datetime.date(2023, 7, 1), datetime.date(2023, 9, 30)),
    ],
)
def test_fiscal_quarters_start_in_october(label, start, end):
    quarter = FiscalQuarter.parse(label)
    assert (quarter.start_date, quarter.end_date) == (start, end)
    assert str(quarter).startswith("FY23 Q")


@pytest.mark.parametrize("bad", ["FY23 Q5", "FY23", "Q2 2023", "", "FY23 Q0"])
def test_bad_fiscal_quarters_are_refused(bad):
    with pytest.raises(ValueError, match="fiscal quarter"):
        FiscalQuarter.parse(bad)


def test_label():
    assert fiscal_label(2021, 3) == "FY21 Q3"
    assert fiscal_label(None, 3) == ""
