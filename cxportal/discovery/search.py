"""Full-text site search in Postgres: one ranked query per type of object.

Each type says which public objects it searches (each starts from its model's `public()`), which fields make up the
document and with what weight, and how a hit is titled. A query annotates the document, keeps
the rows that match, ranks them, counts them all with a window function, and cuts a highlighted
snippet with `ts_headline`, for one page of hits: one SQL query per type, whatever the number
of hits.
"""

import functools
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import Case, Count, F, Func, TextField, Value, When, Window
from django.db.models.functions import Length, NullIf
from django.db.models.lookups import GreaterThan
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from content.publishing import label
from hisps.models import Hisp, Service
from milestones.models import Milestone
from priorities.models import Goal, LifeExperience, ProgressUpdate, Strategy

CONFIG = "english"
MAX_LENGTH = 200
SHORT_TEXT = 240  # characters: a snippet shows all of a text this short
# ts_headline wraps each matching word in these. They are characters of Unicode's private use
# area, which escaping leaves alone; only a complete pair becomes <mark>…</mark>.
START, STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)\s]*\)?")
_MARKDOWN_SYNTAX = re.compile(r"\*\*|__|`|^#+\s", re.MULTILINE)


def _join(*fields):
    """The non-empty fields as one text, joined by full stops, for the snippet."""
    parts = [NullIf(F(name), Value("")) for name in fields]
    return Func(Value(". "), *parts, function="CONCAT_WS", output_field=TextField())


def _snippet(text, query):
    """All of a short text with its matches marked; two marked fragments of a longer one."""
    options = {"config": CONFIG, "start_sel": START, "stop_sel": STOP}
    fragments = SearchHeadline(
        text,
        query,
        max_words=35,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
        **options,
    )
    whole = SearchHeadline(text, query, highlight_all=True, **options)
    return Case(When(GreaterThan(Length(text), SHORT_TEXT), then=fragments), default=whole)


def _vector(**weights):
    """A weighted document, e.g. _vector(A=["name"], B=["description"]). A name may be a function
    that returns an expression."""
    vectors = [
        SearchVector(*[n() if callable(n) else n for n in names], weight=weight, config=CONFIG)
        for weight, names in weights.items()
    ]
    return functools.reduce(operator.add, vectors)


@dataclass(frozen=True)
class Kind:
    """One type of object that search finds."""

    key: str
    label: str  # the heading
    noun: str  # the same, in a sentence
    objects: Callable
    document: dict = field(repr=False)
    snippet: tuple = field(repr=False)
    title: Callable = str
    context: Callable = lambda obj: ""  # noqa: E731 - a default for the dataclass field


KINDS = [
    Kind(
        key="updates",
        label="Progress updates",
        noun="progress updates",
        objects=lambda: ProgressUpdate.objects.public().summaries(),
        document={"A": ["period_label"], "B": ["body"]},
        snippet=("body",),
        title=lambda u: f"Summary of Progress: {u.period_label}",
        context=lambda u: u.priority_area.title,
    ),
    Kind(
        key="strategies",
        label="Strategies",
        noun="strategies",
        objects=lambda: Strategy.objects.public().select_related("priority_area"),
        document={"A": ["title"], "B": ["statement"]},
        snippet=("title", "statement"),
        title=lambda s: f"Strategy {s.number}: {s.title}",
        context=lambda s: s.priority_area.title,
    ),
    Kind(
        key="goals",
        label="Goals",
        noun="goals",
        objects=lambda: Goal.objects.public().select_related("strategy__priority_area"),
        document={"A": ["statement"]},
        snippet=("statement",),
        title=lambda g: f"Goal {g.number}: {Truncator(g.statement).words(14)}",
        context=lambda g: f"Strategy {g.strategy.number}: {g.strategy.title}",
    ),
    Kind(
        key="milestones",
        label="Milestones",
        noun="milestones",
        objects=lambda: (
            Milestone.objects.public()
            .with_public_progress()
            .select_related("strategy__priority_area", "project__life_experience")
        ),
        document={"A": ["title"], "B": ["description"], "C": ["owner"]},
        snippet=("title", "description"),
        title=lambda m: Truncator(m.title).words(20),
        context=lambda m: " · ".join(
            part
            for part in [
                f"Strategy {m.strategy.number}: {Truncator(m.strategy.title).words(12)}"
                if m.strategy
                else m.project.name,
                m.get_public_progress_display(),
                m.timing,
            ]
            if part
        ),
    ),
    Kind(
        key="hisps",
        label="High Impact Service Providers",
        noun="High Impact Service Providers",
        objects=lambda: Hisp.objects.public().with_labels().select_related("agency"),
        document={
            "A": ["name", "abbreviation"],
            "B": ["headline", "description"],
            # The department is a label: searched and shown only while it is public.
            # Built at query time, as the rule compares with the clock.
            "C": [
                lambda: label(Hisp, "agency", "name"),
                lambda: label(Hisp, "agency", "abbreviation"),
            ],
        },
        snippet=("name", "headline", "description"),
        context=lambda h: " · ".join(
            part
            for part in [
                h.department.name if h.department else "",
                "" if h.active else "No longer designated",
            ]
            if part
        ),
    ),
    Kind(
        key="services",
        label="Services",
        noun="services",
        objects=lambda: Service.objects.public().select_related("hisp"),
        document={"A": ["name"], "B": ["description", "why_designated"], "C": ["hisp__name"]},
        snippet=("name", "description", "why_designated"),
        context=lambda s: f"A service of {s.hisp.name}",
    ),
    Kind(
        key="life-experiences",
        label="Life experiences",
        noun="life experiences",
        objects=lambda: LifeExperience.objects.public(),
        document={
            "A": ["name", "pma_name"],
            "B": ["quote", "where_we_are", "challenge", "approach", "insights"],
            "C": ["research_summary"],
        },
        snippet=("name", "where_we_are", "challenge", "approach", "insights", "quote"),
        context=lambda le: "Life experience",
    ),
]
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


class SearchTextField(forms.CharField):
    """Text to search for. Postgres cannot store NUL characters: they are dropped, not refused."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\x00", "")
        return super().to_python(value)


class SearchForm(forms.Form):
    q = SearchTextField(
        label="Search terms",
        required=False,
        max_length=MAX_LENGTH,
        error_messages={
            "max_length": "Search for %(limit_value)d characters or fewer: a few words work best."
        },
    )
    type = forms.ChoiceField(
        required=False,
        choices=[("", "All types"), *[(kind.key, kind.label) for kind in KINDS]],
        error_messages={"invalid_choice": "There is no type of result called “%(value)s”."},
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=1000,
        error_messages={"invalid": "The page number must be a whole number."},
    )


@dataclass
class Hit:
    title: str
    url: str
    context: str
    snippet: SafeString


@dataclass
class Group:
    kind: Kind
    total: int
    hits: list[Hit]
    best: float

    @property
    def key(self):
        return self.kind.key

    @property
    def label(self):
        return self.kind.label


def highlight(text: str) -> SafeString:
    """ts_headline's text as safe HTML: everything escaped, then the markers made into <mark>."""
    text = _MARKDOWN_LINK.sub(r"\1", text or "")
    text = _MARKDOWN_SYNTAX.sub("", text)
    text = " ".join(text.split())
    html = _MARKED.sub(r"<mark>\1</mark>", escape(text))
    return mark_safe(html.replace(START, "").replace(STOP, ""))  # noqa: S308 - escaped above


def search_kind(kind: Kind, text: str, offset: int, limit: int) -> Group:
    """One page of ranked hits of one type, and the number of all its hits: one query."""
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    rows = list(
        kind.objects()
        .annotate(search_document=_vector(**kind.document))
        .filter(search_document=query)
        .annotate(
            search_rank=SearchRank(F("search_document"), query),
            search_total=Window(Count("pk")),
            search_snippet=_snippet(_join(*kind.snippet), query),
        )
        .order_by("-search_rank", "pk")[offset : offset + limit]
    )
    hits = [
        Hit(
            title=kind.title(row),
            url=row.get_absolute_url(),
            context=kind.context(row),
            snippet=highlight(row.search_snippet),
        )
        for row in rows
    ]
    total = rows[0].search_total if hits else 0
    best = rows[0].search_rank if hits else 0.0
    return Group(kind=kind, total=total, hits=hits, best=best)


def search(text: str, kinds=KINDS, offset: int = 0, limit: int = 10) -> list[Group]:
    """The groups that have hits, the most relevant type first."""
    groups = [search_kind(kind, text, offset, limit) for kind in kinds]
    order = {kind.key: n for n, kind in enumerate(KINDS)}
    return sorted(
        (group for group in groups if group.total),
        key=lambda group: (-group.best, order[group.key]),
    )
