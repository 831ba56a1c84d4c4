"""Line charts of survey results over fiscal quarters, laid out on the server and drawn as SVG.

`line_chart()` computes every coordinate; `svg()` writes the SVG. No chart
JavaScript runs in the browser. A quarter without a value is a gap in the line, and the chart's
description (and the data table beside it) says "No data" for it. A value based on few answers (see
`SMALL_SAMPLE`) is a hollow point, and the description says so. A chart with no value at all is not
drawn: the template says "No data reported" instead of showing empty axes.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from content.fiscal import FiscalQuarter

WIDTH, HEIGHT = 320, 190
LEFT, RIGHT, TOP, BOTTOM = 38, 14, 12, 40
# Past this many quarters, the x axis names only fiscal years, at least this far apart.
LABEL_EVERY_QUARTER_UP_TO = 12
MIN_YEAR_LABEL_GAP = 36

# A share of fewer answers than this is a "small sample": marked in charts and tables, and
# explained at /cx/reporting/#small-samples. Why 30: docs/decisions/0023-small-samples-and-trust-across-providers.md.
SMALL_SAMPLE = 30


def is_small_sample(answers) -> bool:
    """Whether a figure rests on so few answers (but some) that a reader should be warned."""
    return answers is not None and 0 < answers < SMALL_SAMPLE


def margin_of_error(answers: int) -> Decimal:
    """The widest 95% margin of error of a share of `answers` answers, in percentage points
    (at a share of 50%: 1.96 × √(0.25 / n)), to one decimal place: for the reporting page."""
    return Decimal(196 * math.sqrt(0.25 / answers)).quantize(Decimal("0.1"))


def next_quarter(quarter: FiscalQuarter) -> FiscalQuarter:
    if quarter.quarter == 4:
        return FiscalQuarter(quarter.year + 1, 1)
    return FiscalQuarter(quarter.year, quarter.quarter + 1)


def quarter_range(quarters) -> list[FiscalQuarter]:
    """Every quarter from the earliest to the latest of `quarters`, in order, gaps included."""
    quarters = sorted(set(quarters))
    if not quarters:
        return []
    span, current = [], quarters[0]
    while current <= quarters[-1]:
        span.append(current)
        current = next_quarter(current)
    return span


@dataclass
class Scale:
    """The value axis: its range, the gridlines, and how a value is written."""

    low: Decimal
    high: Decimal
    ticks: list
    unit: str  # for the description, e.g. "percent agreeing"
    suffix: str = ""  # written after a value, e.g. "%"
    places: int = 1

    def text(self, value) -> str:
        if value is None:
            return "No data"
        return f"{value:.{self.places}f}{self.suffix}"


PERCENT = Scale(Decimal(0), Decimal(100), [0, 25, 50, 75, 100], "percent agree", "%", 1)
MEAN_SCORE = Scale(Decimal(1), Decimal(5), [1, 2, 3, 4, 5], "mean score on a 1 to 5 scale", "", 2)


def fit(scale: Scale, values, steps) -> Scale:
    """`scale` with its bottom raised to just below the lowest of `values`, so that changes of a
    few points show. Small multiples share one fitted scale, so they can be compared.

    `steps` are the gridline spacings to try, smallest first; the first that leaves at most five
    gaps between gridlines is used.
    """
    values = [Decimal(value) for value in values if value is not None]
    if not values:
        return scale
    lowest = min(values)
    for step in steps:
        step = Decimal(step)
        # At least one step below the top: a chart of values all at 100% still has a range.
        low = max(scale.low, min((lowest // step) * step, scale.high - step))
        if (scale.high - low) / step <= 5:
            break
    places = max(0, -step.normalize().as_tuple().exponent)
    ticks, tick = [], low
    while tick <= scale.high:
        ticks.append(f"{tick:.{places}f}")
        tick += step
    return Scale(low, scale.high, ticks, scale.unit, scale.suffix, scale.places)


@dataclass
class ChartPoint:
    x: float
    y: float
    label: str  # "FY23 Q1: 90.4%"
    small: bool = False  # based on a small sample: drawn hollow


@dataclass
class AxisLabel:
    position: float
    text: str
    year: str = ""  # the fiscal year, under the first quarter shown of each year


@dataclass
class LineChart:
    id: str
    title: str
    desc: str
    has_data: bool
    has_small: bool = False  # some point rests on a small sample: the chart carries a note
    small_sample: int = SMALL_SAMPLE
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    paths: list = field(default_factory=list)
    points: list = field(default_factory=list)
    x_labels: list = field(default_factory=list)
    y_ticks: list = field(default_factory=list)

    @property
    def svg(self) -> str:
        return svg(self)


def line_chart(
    chart_id: str, title: str, quarters, values, scale: Scale, answers=None
) -> LineChart:
    """A chart of `values` (one per quarter in `quarters`, None for no data) on `scale`.

    `answers`, if given, is the number of answers behind each value: a value based on a small
    sample is marked (`is_small_sample`).
    """
    answers = list(answers) if answers is not None else [None] * len(quarters)
    small = [
        value is not None and is_small_sample(count)
        for value, count in zip(values, answers, strict=True)
    ]
    chart = LineChart(
        id=chart_id,
        title=title,
        desc=describe(title, quarters, values, scale, answers),
        has_data=any(value is not None for value in values),
        has_small=any(small),
    )
    plot_width = chart.right - chart.left
    plot_height = chart.bottom - chart.top
    step = plot_width / (len(quarters) - 1) if len(quarters) > 1 else 0

    def x_at(index: int) -> float:
        return round(chart.left + (index * step if step else plot_width / 2), 1)

    def y_at(value) -> float:
        share = (Decimal(value) - scale.low) / (scale.high - scale.low)
        share = min(max(share, Decimal(0)), Decimal(1))
        return round(chart.bottom - float(share) * plot_height, 1)

    chart.y_ticks = [AxisLabel(y_at(tick), f"{tick}{scale.suffix}") for tick in scale.ticks]

    every = len(quarters) <= LABEL_EVERY_QUARTER_UP_TO
    year_step = 1 if every else math.ceil(MIN_YEAR_LABEL_GAP / (4 * step or 1))
    seen_years = set()
    segment = []
    for index, (quarter, value, few) in enumerate(zip(quarters, values, small, strict=True)):
        x = x_at(index)
        if every:
            year = "" if quarter.year in seen_years else f"FY{quarter.year % 100:02d}"
            seen_years.add(quarter.year)
            chart.x_labels.append(AxisLabel(x, f"Q{quarter.quarter}", year))
        elif quarter.quarter == 1 and (quarter.year - quarters[0].year) % year_step == 0:
            chart.x_labels.append(AxisLabel(x, f"FY{quarter.year % 100:02d}"))
        if value is None:
            chart.paths.append(segment)
            segment = []
            continue
        y = y_at(value)
        segment.append((x, y))
        chart.points.append(ChartPoint(x, y, reading(quarter, value, scale, answers[index]), few))
    chart.paths.append(segment)
    chart.paths = [
        "M" + " L".join(f"{x},{y}" for x, y in segment)
        for segment in chart.paths
        if len(segment) > 1
    ]
    return chart


def reading(quarter, value, scale: Scale, answers=None) -> str:
    """One quarter in words: "FY23 Q1: 90.4%", or "FY22 Q1: 62.5% (small sample: 8 answers)"."""
    text = f"{quarter}: {scale.text(value)}"
    if value is not None and is_small_sample(answers):
        text += f" (small sample: {answers} answer{'s' if answers != 1 else ''})"
    return text


def describe(title: str, quarters, values, scale: Scale, answers=None) -> str:
    """The chart in words, for its <desc>: every quarter's value, or "No data"."""
    if not quarters or all(value is None for value in values):
        return f"{title}: no data reported."
    answers = answers or [None] * len(quarters)
    readings = "; ".join(
        reading(quarter, value, scale, count)
        for quarter, value, count in zip(quarters, values, answers, strict=True)
    )
    return f"{title}, {scale.unit}, {quarters[0]} to {quarters[-1]}. {readings}."


def svg(chart: LineChart) -> str:
    """The chart as SVG markup (with its small-sample note), or "No data reported" when it has
    no value. Written in Python rather than a template: a profile draws 14 charts of about 20
    points each, and the template's loops were a third of the page's time (ADR 0028). The
    markup is what templates/hisps/includes/chart.html wrote, character for character."""
    from django.urls import reverse
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    if not chart.has_data:
        return mark_safe(  # noqa: S308 - the id is escaped
            f'<p class="hisp-chart__empty" id="{escape(chart.id)}-empty">No data reported</p>'
        )
    cid = escape(chart.id)
    out = [
        f'<svg class="hisp-chart__svg" viewBox="0 0 {chart.width} {chart.height}" role="img"'
        f' aria-labelledby="{cid}-title {cid}-desc" xmlns="http://www.w3.org/2000/svg">\n'
        f'  <title id="{cid}-title">{escape(chart.title)}</title>\n'
        f'  <desc id="{cid}-desc">{escape(chart.desc)}</desc>\n'
        '  <g class="hisp-chart__grid">\n    '
    ]
    for tick in chart.y_ticks:
        out.append(
            f'<line x1="{chart.left}" x2="{chart.right}" y1="{tick.position}" y2="{tick.position}"'
            ' stroke="#dfe1e2" stroke-width="1"/>\n'
            f'    <text x="{chart.left - 6}" y="{tick.position}" dy="0.32em" text-anchor="end"'
            f' font-size="12" fill="#1b1b1b">{escape(tick.text)}</text>\n    '
        )
    out.append(
        "\n  </g>\n"
        '  <g class="hisp-chart__axis">\n'
        f'    <line x1="{chart.left}" x2="{chart.right}" y1="{chart.bottom}" y2="{chart.bottom}"'
        ' stroke="#565c65" stroke-width="1"/>\n    '
    )
    for label in chart.x_labels:
        out.append(
            f'<text x="{label.position}" y="{chart.bottom + 15}" text-anchor="middle"'
            f' font-size="12" fill="#1b1b1b">{escape(label.text)}</text>\n    '
        )
        if label.year:
            out.append(
                f'<text x="{label.position}" y="{chart.bottom + 30}" text-anchor="middle"'
                ' font-size="12" font-weight="bold" fill="#1b1b1b">'
                f"{escape(label.year)}</text>"
            )
        out.append("\n    ")
    out.append('\n  </g>\n  <g class="hisp-chart__series">\n    ')
    for path in chart.paths:
        out.append(
            f'<path d="{escape(path)}" fill="none" stroke="#005ea2" stroke-width="2.5"'
            ' stroke-linejoin="round" stroke-linecap="round"/>'
        )
    out.append("\n    ")
    for point in chart.points:
        if point.small:
            out.append(
                f'<circle class="hisp-chart__point--small" cx="{point.x}" cy="{point.y}" r="4"'
                ' fill="#ffffff" stroke="#005ea2" stroke-width="2">'
                f"<title>{escape(point.label)}</title></circle>"
            )
        else:
            out.append(
                f'<circle cx="{point.x}" cy="{point.y}" r="3.5" fill="#005ea2" stroke="#ffffff"'
                f' stroke-width="1"><title>{escape(point.label)}</title></circle>'
            )
    out.append("\n  </g>\n</svg>")
    if chart.has_small:
        out.append(
            '\n<p class="hisp-chart__note"><svg class="hisp-chart__key" width="12" height="12"'
            ' viewBox="0 0 12 12" aria-hidden="true" focusable="false"><circle cx="6" cy="6"'
            ' r="4" fill="#ffffff" stroke="#005ea2" stroke-width="2"/></svg> A hollow point'
            f" rests on fewer than {chart.small_sample} answers:"
            f' <a href="{reverse("hisps:reporting")}#small-samples">a small sample</a>.</p>'
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped or a number
