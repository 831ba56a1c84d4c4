"""Load the milestones of strategies and goals."""

from content.fiscal import FiscalQuarter
from content.importing import DataDir, Upserter
from milestones.models import Milestone, Progress

PROGRESS = {value: value for value in Progress.values}


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
                "source_changelog": record.items("changelog"),
                **record.provenance(),
            },
        )
