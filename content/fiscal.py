"""Federal fiscal quarters: FY Q1 is October to December of the previous calendar year."""

import datetime
import re
from dataclasses import dataclass

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

QUARTER_VALIDATORS = [MinValueValidator(1), MaxValueValidator(4)]
YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]

_LABEL = re.compile(r"^\s*FY\s*(\d{2}|\d{4})\s*Q([1-4])\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class FiscalQuarter:
    year: int
    quarter: int

    def __post_init__(self):
        if self.quarter not in (1, 2, 3, 4):
            raise ValueError(f"quarter must be 1 to 4, not {self.quarter!r}")
        if not 1990 <= self.year <= 2100:
            raise ValueError(f"fiscal year {self.year!r} is out of range")

    @classmethod
    def parse(cls, text: str) -> "FiscalQuarter":
        """Read "FY23 Q2" or "FY2023 Q2"."""
        match = _LABEL.match(text or "")
        if not match:
            raise ValueError(f"{text!r} is not a fiscal quarter like 'FY23 Q2'")
        year = int(match.group(1))
        return cls(year + 2000 if year < 100 else year, int(match.group(2)))

    def __str__(self) -> str:
        return f"FY{self.year % 100:02d} Q{self.quarter}"

    @property
    def start_date(self) -> datetime.date:
        month = (self.quarter - 1) * 3 + 10
        year = self.year - 1
        if month > 12:
            month -= 12
            year += 1
        return datetime.date(year, month, 1)

    @property
    def end_date(self) -> datetime.date:
        start = self.start_date
        month, year = start.month + 3, start.year
        if month > 12:
            month, year = month - 12, year + 1
        return datetime.date(year, month, 1) - datetime.timedelta(days=1)


def fiscal_label(year: int | None, quarter: int | None) -> str:
    """ "FY23 Q2", or "" when either part is missing."""
    if not year or not quarter:
        return ""
    return str(FiscalQuarter(year, quarter))


def quarter_check(prefix: str = "", nullable: bool = False) -> models.CheckConstraint:
    """A database check that a quarter field holds 1 to 4."""
    field = f"{prefix}quarter"
    condition = models.Q(**{f"{field}__gte": 1, f"{field}__lte": 4})
    if nullable:
        condition |= models.Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(
        condition=condition, name=f"%(app_label)s_%(class)s_{field}_1_to_4"
    )
