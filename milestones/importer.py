"""Load the milestones of strategies and goals."""

from content.fiscal import FiscalQuarter
from content.importing import DataDir, Record, Upserter
from milestones.models import Milestone, Progress, as_of_date

PROGRESS = {value: value for value in Progress.values}


def changelog(record: Record) -> list:
    """performance.gov's changelog lines, as the file gives them: a line's text, or
    {"text", "as_of", "note"} where the date of the source that listed it is known ("2022-11" or
    "2022-11-15"). The page showed no date beside a line, so none is made up."""
    lines = record.items("changelog")
    for line in lines:
        if isinstance(line, str):
            continue
        if not isinstance(line, dict) or not isinstance(line.get("text"), str):
            record.fail("changelog", f"{line!r} is neither a line of text nor {{text, as_of}}")
        as_of = line.get("as_of")
        if as_of is not None and as_of_date(as_of) is None:
            record.fail("changelog", f"as_of {as_of!r} is not a month or a day like 2022-11")
    return lines


def load(data: DataDir, up: Upserter, strategies: dict, goals: dict) -> None:
    orders: dict = {}
    for record in data.records("milestones.json"):
        strategy_id = record.text("strategy_id", required=True)
        strategy = strategies.get(strategy_id)
        if strategy is None:
            record.fail("strategy_id", f"{strategy_id!r} is not a strategy id in strategies.json")
        goal_id = record.raw("goal_id")
        goal = goals.get(goal_id) if goal_id else None
        if goal_id and goal is None:
            record.fail("goal_id", f"{goal_id!r} is not a goal id in strategies.json")
        if goal and goal.strategy_id != strategy.pk:
            record.fail("goal_id", f"goal {goal_id!r} belongs to another strategy")
        timing = None
        if record.has("timing"):
            try:
                timing = FiscalQuarter.parse(record.text("timing"))
            except ValueError as error:
                record.fail("timing", str(error))
        orders[strategy_id] = orders.get(strategy_id, 0) + 1
        up.upsert(
            Milestone,
            record,
            record.ident,
            {
                "strategy": strategy,
                "goal": goal,
                "title": record.text("title", required=True),
                "progress": record.choice("status", PROGRESS),
                "fiscal_year": timing.year if timing else None,
                "quarter": timing.quarter if timing else None,
                "owner": record.text("owner"),
                "order": orders[strategy_id],
                "source_changelog": changelog(record),
                **record.provenance(),
            },
        )
