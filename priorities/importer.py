"""Load priority areas, leaders, success metrics, strategies, goals, progress updates, highlights
and life experiences."""

import datetime
import re

from django.utils.text import slugify

from content.fiscal import FiscalQuarter
from content.importing import EARLIEST_PUBLISH_AT, DataDir, Record, Upserter, month_start
from content.publishing import Status
from priorities.links import is_unofficial, official_url
from priorities.models import (
    Goal,
    Highlight,
    Leader,
    LifeExperience,
    LifeExperienceProject,
    LifeExperienceStat,
    PriorityArea,
    ProgressUpdate,
    Strategy,
    SuccessMetric,
)

UPDATE_KINDS = {
    "summary_of_progress": ProgressUpdate.Kind.SUMMARY,
    "strategy_status": ProgressUpdate.Kind.STRATEGY_STATUS,
    "action_plan_progress_update_pdf": ProgressUpdate.Kind.ACTION_PLAN_PDF,
}


def load(data: DataDir, up: Upserter, agencies, log) -> dict:
    areas = _load_priority_areas(data, up)
    _load_leaders(data, up, areas, agencies)
    updates = data.records("progress_updates.json")
    strategies, goals = _load_strategies(data, up, areas, updates)
    _load_updates(up, updates, areas, strategies)
    _load_highlights(data, up, areas)
    projects = _load_life_experiences(data, up)
    return {"areas": areas, "strategies": strategies, "goals": goals, "projects": projects}


def _agenda_year(record: Record) -> int:
    match = re.search(r"(19|20)\d{2}", record.text("agenda", required=True))
    if not match:
        record.fail("agenda", "names no starting year, e.g. (2021–2025)")
    return int(match.group(0))


def _agenda_end_year(record: Record) -> int | None:
    """The second year of the agenda's "(2021–2025)", the year its term ended; None if it has none."""
    match = re.search(r"(?:19|20)\d{2}\s*[–-]\s*((?:19|20)\d{2})", record.text("agenda"))
    return int(match.group(1)) if match else None


def _load_priority_areas(data, up):
    records = data.records("priority_areas.json")
    years = {r.ident: _agenda_year(r) for r in records}
    newest = {}
    for record in records:
        slug = record.text("slug", required=True)
        newest[slug] = max(newest.get(slug, 0), years[record.ident])
    areas = {}
    for record in records:
        slug = record.text("slug", required=True)
        if years[record.ident] < newest[slug]:
            # An older agenda's area with the same short name keeps it with its start year: /pma/cx-2018/.
            slug = f"{slug}-{years[record.ident]}"
        existing = up.get(PriorityArea, record.ident)
        area = up.upsert(
            PriorityArea,
            record,
            record.ident,
            {
                "agenda": record.text("agenda", required=True),
                "agenda_start_year": years[record.ident],
                "agenda_end_year": _agenda_end_year(record),
                "number": record.integer("number", minimum=1),
                "title": record.text("title", required=True),
                "short_title": record.text("short_title", required=True),
                "goal_statement": record.text("goal_statement"),
                "quote": record.text("quote"),
                "quote_author": record.text("quote_author"),
                "challenge": record.text("challenge"),
                "opportunity": record.text("opportunity"),
                "original_url": record.text("url"),
                **record.provenance(),
            },
            on_create={"slug": existing.slug if existing else slug},
        )
        areas[record.ident] = area
        for order, item in enumerate(record.items("success_metrics"), start=1):
            metric = Record(record.file, f"{record.ident} success_metrics[{order}]", item)
            up.upsert(
                SuccessMetric,
                metric,
                f"{record.ident}:metric:{order}",
                {
                    "priority_area": area,
                    "key_question": metric.text("key_question", required=True),
                    "target": metric.text("contributes_to"),
                    "bottom_line": metric.text("bottom_line_up_front"),
                    "url": metric.text("url"),
                    "order": order,
                },
            )
    return areas


def _area(record: Record, areas: dict, field: str = "priority_area_id") -> PriorityArea:
    ident = record.text(field, required=True)
    if ident not in areas:
        record.fail(field, f"{ident!r} is not a priority area id in priority_areas.json")
    return areas[ident]


def _seat_start(record: Record) -> datetime.date:
    """When a leader began, for ordering a seat's holders: "2023-08", else a year in the text."""
    as_of = record.text("as_of")
    if re.fullmatch(r"\d{4}-\d{2}", as_of):
        return record.month("as_of")
    match = re.search(r"(19|20)\d{2}", as_of)
    return datetime.date(int(match.group(0)), 1, 1) if match else datetime.date.min


def _load_leaders(data, up, areas, agencies):
    """A seat is a priority area and an agency. Each holder serves until the seat's next holder."""
    records = data.records("leaders.json")
    seats: dict[tuple, list] = {}
    for order, record in enumerate(records):
        area = _area(record, areas)
        agency = agencies.department(record.text("agency", required=True), record, "agency")
        seats.setdefault((area.pk, agency.pk), []).append(
            (_seat_start(record), order, record, area, agency)
        )
    for holders in seats.values():
        holders.sort(key=lambda item: (item[0], item[1]))
        for index, (_start, order, record, area, agency) in enumerate(holders):
            following = holders[index + 1][0] if index + 1 < len(holders) else None
            served_from = (
                record.month("as_of")
                if re.fullmatch(r"\d{4}-\d{2}", record.text("as_of"))
                else None
            )
            up.upsert(
                Leader,
                record,
                record.ident,
                {
                    "priority_area": area,
                    "agency": agency,
                    "name": record.text("name"),
                    "honorific": record.text("honorific"),
                    "title": record.text("title"),
                    "role": record.text("role") or "Priority Area Lead",
                    "order": order,
                    "as_of": record.text("as_of"),
                    "served_from": served_from,
                    "served_to": following
                    if following and following != datetime.date.min
                    else None,
                    "publish_at": month_start(served_from) or EARLIEST_PUBLISH_AT,
                    **record.provenance(),
                },
            )


def _load_strategies(data, up, areas, updates):
    as_of = {}
    for update in updates:
        if update.raw("strategy_id") and update.has("date"):
            day = update.month("date")
            as_of[update.raw("strategy_id")] = max(as_of.get(update.raw("strategy_id"), day), day)
    strategies, goals = {}, {}
    for record in data.records("strategies.json"):
        area = _area(record, areas)
        strategy = up.upsert(
            Strategy,
            record,
            record.ident,
            {
                "priority_area": area,
                "number": record.integer("number", minimum=1),
                "title": record.text("title", required=True),
                "cap_goal": bool(record.raw("cap_goal_designated")),
                "as_of": as_of.get(record.ident),
                "original_url": record.text("url"),
                **record.provenance(),
            },
        )
        strategies[record.ident] = strategy
        for index, item in enumerate(record.items("goals"), start=1):
            goal = Record(record.file, f"{record.ident} goals[{index}]", item)
            ident = goal.text("id", required=True)
            goals[ident] = up.upsert(
                Goal,
                goal,
                ident,
                {
                    "strategy": strategy,
                    "number": goal.text("number", required=True),
                    "statement": goal.text("statement", required=True),
                    "as_of": goal.month("as_of"),
                    **goal.provenance(),
                },
            )
    return strategies, goals


_QUARTER_KEY = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_MONTH_KEY = re.compile(r"^(\d{4})-([a-z]+)$", re.IGNORECASE)


def _action_plan_period(record: Record) -> tuple[str, datetime.date | None]:
    """The label and month of a CAP Goal action plan PDF, read from the source's key: "2018-Q1"
    is fiscal 2018's first quarter ("FY18 Q1, October–December 2017", no month known);
    "2019-june" is June 2019. A key of neither form is kept as it is."""
    label = record.text("period_label", required=True)
    if match := _QUARTER_KEY.match(label):
        quarter = FiscalQuarter(int(match.group(1)), int(match.group(2)))
        span = f"{quarter.start_date:%B}–{quarter.end_date:%B %Y}"
        return f"{quarter}, {span}", None
    if match := _MONTH_KEY.match(label):
        for form in ("%Y-%B", "%Y-%b"):
            try:
                day = datetime.datetime.strptime(label, form).date()
            except ValueError:
                continue
            return f"{day:%B %Y}", day
    return label, record.month("date")


def _load_updates(up, records, areas, strategies):
    seen_text = {}
    for record in records:
        area = _area(record, areas)
        strategy_id = record.raw("strategy_id")
        if strategy_id and strategy_id not in strategies:
            record.fail("strategy_id", f"{strategy_id!r} is not a strategy id in strategies.json")
        day = record.month("date")
        kind = record.choice("kind", UPDATE_KINDS)
        label = record.text("period_label", required=True)
        if kind == ProgressUpdate.Kind.ACTION_PLAN_PDF and day is None:
            label, day = _action_plan_period(record)
        body = record.text("paragraphs")
        fields = {
            "priority_area": area,
            "strategy": strategies.get(strategy_id) if strategy_id else None,
            "kind": kind,
            "period_label": label,
            "date": day,
            "body": body,
            "document_url": record.text("document_url"),
            "publish_at": month_start(day) or EARLIEST_PUBLISH_AT,
            **record.provenance(),
        }
        key = (area.pk, kind, body)
        if body and key in seen_text:
            # An undated copy of a dated entry, from an older version of the page: kept, not shown.
            fields["status"] = Status.ARCHIVED
            fields["source_note"] = (
                fields["source_note"] + "\n" if fields["source_note"] else ""
            ) + (f"Archived on import: the same text as the {seen_text[key]} entry.")
        elif body:
            seen_text[key] = fields["period_label"]
        up.upsert(ProgressUpdate, record, record.ident, fields)


def _load_highlights(data, up, areas):
    """News posts become highlights of the CX priority area of their agenda (by date)."""
    cx_areas = sorted(
        (a for a in areas.values() if a.is_customer_experience),
        key=lambda a: a.agenda_start_year,
    )
    for record in data.records("news_posts.json"):
        day = record.day("date")
        fitting = [a for a in cx_areas if day is None or a.agenda_start_year <= day.year]
        provenance = record.provenance()
        read_from = record.text("url")
        if is_unofficial(read_from):
            # Where the text was read is provenance (the admin's Source); the public link is the
            # post's address on www.performance.gov (ADR 0019).
            provenance["sources"] = [
                *provenance["sources"],
                {"url": read_from, "kind": "read from a preview or staging copy"},
            ]
        highlight = up.upsert(
            Highlight,
            record,
            f"news:{record.ident}",
            {
                "title": record.text("title", required=True),
                "date": day,
                "author": record.text("author"),
                "excerpt": record.text("excerpt"),
                "external_url": official_url(read_from),
                "tags": [str(tag) for tag in record.items("tags")],
                "publish_at": month_start(day) or EARLIEST_PUBLISH_AT,
                **provenance,
            },
            on_create={"slug": slugify(record.ident)[:120]},
        )
        up.set_many(highlight, "priority_areas", fitting[-1:])


# A note on the copy the text was read from, left inside the text: "(… in the stored copy)".
_COPY_NOTE = re.compile(r"\s*\(([^()]*\bstored copy\b[^()]*)\)")


def _participants(research: dict, provenance: dict) -> list:
    """The research participants, without notes on the stored copy inside their groups' text:
    those go to the record's source note, for the admin."""
    participants = []
    for item in research.get("participants") or []:
        if isinstance(item, dict) and isinstance(item.get("group"), str):
            notes = _COPY_NOTE.findall(item["group"])
            if notes:
                item = {**item, "group": _COPY_NOTE.sub("", item["group"]).strip()}
                provenance["source_note"] = "\n".join(
                    [provenance["source_note"], *(f"Participants: {n}." for n in notes)]
                ).strip()
        participants.append(item)
    return participants


def _load_life_experiences(data, up):
    projects = {}
    for record in data.records("life_experiences.json"):
        research = record.mapping("research")
        provenance = record.provenance()
        experience = up.upsert(
            LifeExperience,
            record,
            f"life:{record.ident}",
            {
                "name": record.text("name", required=True),
                "pma_name": record.text("pma_name"),
                "order": record.integer("order", minimum=0),
                "quote": record.text("quote"),
                "quote_attribution": record.text("quote_attribution"),
                "where_we_are": record.text("where_we_are"),
                "challenge": record.text("challenge"),
                "approach": record.text("approach"),
                "research_summary": research.get("summary") or "",
                "research_participants": _participants(research, provenance),
                "personas": research.get("personas") or [],
                "charter_2022": record.mapping("charter_2022"),
                "image": record.mapping("image"),
                "original_url": record.text("url"),
                **provenance,
            },
            on_create={"slug": slugify(record.ident)},
        )
        for order, item in enumerate(record.items("stats"), start=1):
            stat = Record(record.file, f"{record.ident} stats[{order}]", item)
            up.upsert(
                LifeExperienceStat,
                stat,
                f"life:{record.ident}:stat:{order}",
                {
                    "life_experience": experience,
                    "text": stat.text("text", required=True),
                    "source": stat.text("source"),
                    "order": order,
                },
            )
        for order, item in enumerate(record.items("projects"), start=1):
            project = Record(record.file, f"{record.ident} projects[{order}]", item)
            name = project.text("name", required=True)
            ident = f"project:{record.ident}:{slugify(name)}"
            source = project.text("source")
            projects[ident] = up.upsert(
                LifeExperienceProject,
                project,
                ident,
                {
                    "life_experience": experience,
                    "name": name,
                    "description": project.text("description"),
                    "as_of": project.text("as_of"),
                    "source": source,
                    "order": order,
                    "secondary_source": "secondary" in source
                    or "government-transformation" in source,
                },
                on_create={"slug": slugify(name)[:120]},
            )
    return projects
