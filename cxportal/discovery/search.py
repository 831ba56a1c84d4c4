"""Full-text site search in Postgres: one ranked query per type of object.

Each type says which public objects it searches (each starts from its model's `public()`), which
fields make up the document and with what weight (A for titles, B for the body, C for context),
which of its objects are current (a provider designated now, the latest agenda) and how a hit is
titled and linked. A query annotates the document, keeps the rows that match, ranks them (an
earlier object's rank counts for less), counts them all with a window function, and cuts a
highlighted snippet with `ts_headline`, for one page of hits: one SQL query per type, whatever
the number of hits.

Each type's own text is a stored, weighted tsvector with a GIN index (`content.searching`), so a
search reads only the rows that match and ranks them without parsing their text again. Text a
type is also found by from a related row (a service by its provider's name, a provider by its
department's) is added at query time, only for the rows that can match: those whose own vector
matches, and those whose related row has any of the searched words (ADR 0028).

A search that finds nothing asks one more query for a spelling (`suggest`): each word is matched
by pg_trgm's trigram similarity against the words of the public content, and one last query
checks that the suggestion finds something before it is offered. See ADR 0020.
"""

import functools
import operator
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    FloatField,
    Func,
    Q,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, NullIf
from django.db.models.lookups import GreaterThan
from django.utils import dateformat, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from content import stamps
from content.fiscal import fiscal_label
from content.publishing import label
from content.searching import CONFIG, FIELD
from hisps.models import Agency, Document, Hisp, QuarterlyReport, Service
from milestones.models import Milestone
from priorities.models import (
    Goal,
    Highlight,
    Leader,
    LifeExperience,
    LifeExperienceProject,
    PriorityArea,
    ProgressUpdate,
    Strategy,
)

MAX_LENGTH = 200
SHORT_TEXT = 240  # characters: a snippet shows all of a text this short
# How much an earlier object's match counts against a current one's: enough that the 2020 list's
# "Passport Services" comes after the provider designated now, not so little that a much better
# match among earlier objects sinks below a passing mention in a current one.
EARLIER = 0.4
# ts_headline wraps each matching word in these. They are characters of Unicode's private use
# area, which escaping leaves alone; only a complete pair becomes <mark>…</mark>.
START, STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)\s]*\)?")
_MARKDOWN_SYNTAX = re.compile(r"\*\*|__|`|^#+\s", re.MULTILINE)
_WORD = re.compile(r"\w+")
# Spelling suggestions: a typed word is replaced by the public word most like it, if any is at
# least this similar (pg_trgm's similarity, 0 to 1). Only words this long are corrected.
SIMILAR = 0.3
SHORTEST_CORRECTED = 3
MOST_WORDS_CORRECTED = 8


def _expression(name):
    """A document part: a field name, or a function that builds an expression at query time."""
    return name() if callable(name) else F(name)


def _join(*fields, separator=". "):
    """The non-empty fields as one text, joined by full stops, for the snippet."""
    parts = [NullIf(_expression(name), Value("")) for name in fields]
    return Func(Value(separator), *parts, function="CONCAT_WS", output_field=TextField())


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
        SearchVector(*[_expression(n) for n in names], weight=weight, config=CONFIG)
        for weight, names in weights.items()
    ]
    return functools.reduce(operator.add, vectors)


def latest_agenda(prefix: str = "") -> Q:
    """The priority area at `prefix` belongs to the newest public agenda. Every agenda may have
    ended ("nothing ended is called current"), but the newest is still the one a reader means."""
    newest = (
        PriorityArea.objects.public().order_by("-agenda_start_year").values("agenda_start_year")[:1]
    )
    return Q(**{f"{prefix}agenda_start_year": Subquery(newest)})


def _joined(*parts) -> str:
    return " · ".join(part for part in parts if part)


@dataclass(frozen=True)
class Kind:
    """One type of object that search finds."""

    key: str
    label: str  # the heading
    noun: str  # the same, in a sentence
    objects: Callable
    document: dict = field(repr=False)
    title: Callable = str
    context: Callable = lambda obj: ""  # noqa: E731 - a default for the dataclass field
    # Which objects are current (a Q, built at query time); the others rank lower (`EARLIER`).
    current: Callable | None = None
    # What tells two hits of the same title apart, e.g. "2020 list"; the context by default.
    qualifier: Callable | None = None
    url: Callable = lambda obj: obj.get_absolute_url()  # noqa: E731
    order: tuple = ()  # after the rank: e.g. the newest first
    # The document's parts read from related rows, which the stored vector cannot hold (the rest
    # is the model's `search_vector`); and for each, the relation and its model, whose stored
    # vector holds that text among its own, to find the rows that can match.
    related: dict = field(default_factory=dict, repr=False)
    parents: tuple = ()

    @property
    def fields(self) -> list:
        """The document's parts, titles first: the snippet is cut from them, so that whatever
        matched is marked in it."""
        return [name for weight in sorted(self.document) for name in self.document[weight]]


def _area_qualifier(obj) -> str:
    return obj.priority_area.agenda


def _milestone_context(m) -> str:
    where = (
        f"Strategy {m.strategy.number}: {Truncator(m.strategy.title).words(12)}"
        if m.strategy
        else m.project.name
    )
    return _joined(where, m.get_public_progress_display(), m.timing)


def _hisp_title(h) -> str:
    return f"{h.name} (2020 list)" if h.cohort == Hisp.Cohort.LIST_2020 else h.name


def _hisp_context(h) -> str:
    return _joined(
        h.department.name if h.department else "", "" if h.active else "No longer designated"
    )


def _leader_title(leader) -> str:
    if leader.name:
        return leader.display_name
    return leader.agency_abbreviation or leader.agency_name or "A leader seat"


def _document_context(d) -> str:
    where = f"Published for {_hisp_title(d.hisp)}" if d.hisp else ""
    return _joined(d.get_kind_display(), str(d.year or ""), where)


KINDS = [
    Kind(
        key="priority-areas",
        label="Priority areas",
        noun="priority areas",
        objects=lambda: PriorityArea.objects.public(),
        document={
            "A": ["title", "short_title"],
            "B": ["overview", "goal_statement", "challenge", "opportunity"],
            "C": ["agenda", "quote"],
        },
        context=lambda a: a.agenda,
        current=latest_agenda,
        qualifier=lambda a: a.agenda,
    ),
    Kind(
        key="updates",
        label="Progress updates",
        noun="progress updates",
        objects=lambda: ProgressUpdate.objects.public().summaries(),
        document={"A": ["period_label"], "B": ["body"]},
        title=lambda u: f"Summary of Progress: {u.period_label}",
        context=lambda u: u.priority_area.title,
        current=lambda: latest_agenda("priority_area__"),
        qualifier=_area_qualifier,
        order=(F("date").desc(nulls_last=True),),
    ),
    Kind(
        key="strategies",
        label="Strategies",
        noun="strategies",
        objects=lambda: Strategy.objects.public().select_related("priority_area"),
        document={"A": ["title"], "B": ["statement"]},
        title=lambda s: f"Strategy {s.number}: {s.title}",
        context=lambda s: s.priority_area.title,
        current=lambda: latest_agenda("priority_area__"),
        qualifier=_area_qualifier,
    ),
    Kind(
        key="goals",
        label="Goals",
        noun="goals",
        objects=lambda: Goal.objects.public().select_related("strategy__priority_area"),
        document={"A": ["statement"]},
        title=lambda g: f"Goal {g.number}: {Truncator(g.statement).words(14)}",
        context=lambda g: f"Strategy {g.strategy.number}: {g.strategy.title}",
        current=lambda: latest_agenda("strategy__priority_area__"),
        qualifier=lambda g: g.strategy.priority_area.agenda,
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
        title=lambda m: Truncator(m.title).words(20),
        context=_milestone_context,
        # A life experience's project is of today's work; a strategy's, of its agenda.
        current=lambda: Q(strategy__isnull=True) | latest_agenda("strategy__priority_area__"),
    ),
    Kind(
        key="leaders",
        label="Priority area leaders",
        noun="priority area leaders",
        # The seats the priority area's page lists today: a past leader's card is not there.
        objects=lambda: (
            Leader.objects.public()
            .serving(timezone.localdate())
            .select_related("priority_area")
            .annotate(
                agency_name=label(Leader, "agency", "name"),
                agency_abbreviation=label(Leader, "agency", "abbreviation"),
            )
        ),
        document={
            "A": ["name"],
            "B": ["title", "role"],
            # The agency is a label of the seat: searched and shown only while it is public.
            "C": [
                lambda: label(Leader, "agency", "name"),
                lambda: label(Leader, "agency", "abbreviation"),
            ],
        },
        related={
            "C": [
                lambda: label(Leader, "agency", "name"),
                lambda: label(Leader, "agency", "abbreviation"),
            ]
        },
        parents=(("agency", Agency),),
        title=_leader_title,
        context=lambda leader: _joined(leader.role, leader.priority_area.title),
        current=lambda: latest_agenda("priority_area__"),
        qualifier=_area_qualifier,
    ),
    Kind(
        key="news",
        label="News and highlights",
        noun="news posts and highlights",
        objects=lambda: Highlight.objects.public(),
        document={"A": ["title"], "B": ["excerpt", "body"], "C": ["author"]},
        context=lambda h: _joined(
            "News", dateformat.format(h.date, "F j, Y") if h.date else "", h.author
        ),
        order=(F("date").desc(nulls_last=True),),
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
        context=lambda le: "Life experience",
    ),
    Kind(
        key="projects",
        label="Life experience projects",
        noun="life experience projects",
        objects=lambda: LifeExperienceProject.objects.public().select_related("life_experience"),
        document={"A": ["name"], "B": ["description"], "C": ["life_experience__name"]},
        related={"C": ["life_experience__name"]},
        parents=(("life_experience", LifeExperience),),
        context=lambda p: _joined(
            f"A project of the life experience “{p.life_experience.name}”",
            f"As of {p.as_of_label}" if p.as_of else "",
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
        related={
            "C": [
                lambda: label(Hisp, "agency", "name"),
                lambda: label(Hisp, "agency", "abbreviation"),
            ]
        },
        parents=(("agency", Agency),),
        title=_hisp_title,
        context=_hisp_context,
        current=lambda: Q(active=True),
    ),
    Kind(
        key="services",
        label="Services",
        noun="services",
        objects=lambda: Service.objects.public().select_related("hisp"),
        document={"A": ["name"], "B": ["description", "why_designated"], "C": ["hisp__name"]},
        related={"C": ["hisp__name"]},
        parents=(("hisp", Hisp),),
        context=lambda s: f"A service of {_hisp_title(s.hisp)}",
        current=lambda: Q(designated=True, hisp__active=True),
    ),
    Kind(
        key="agencies",
        label="Agencies",
        noun="agencies",
        objects=lambda: Agency.objects.public().select_related("parent"),
        document={"A": ["name", "abbreviation"]},
        title=lambda a: f"{a.name} ({a.abbreviation})" if a.abbreviation else a.name,
        context=lambda a: f"Part of {a.parent.name}" if a.parent else "Department or agency",
    ),
    Kind(
        key="reflections",
        label="Agency reflections",
        noun="agency reflections",
        objects=lambda: (
            QuarterlyReport.objects.public().exclude(reflection="").select_related("hisp")
        ),
        document={"B": ["reflection"], "C": ["hisp__name"]},
        related={"C": ["hisp__name"]},
        parents=(("hisp", Hisp),),
        title=lambda r: (
            f"{_hisp_title(r.hisp)}: reflection, {fiscal_label(r.fiscal_year, r.quarter)}"
        ),
        context=lambda r: "Agency reflection on the quarter’s customer feedback",
        current=lambda: Q(hisp__active=True),
        order=("-fiscal_year", "-quarter"),
    ),
    Kind(
        key="documents",
        label="Documents",
        noun="documents",
        objects=lambda: Document.objects.public().select_related("hisp"),
        document={"A": ["title"], "C": ["hisp__name"]},
        related={"C": ["hisp__name"]},
        parents=(("hisp", Hisp),),
        context=_document_context,
        current=lambda: Q(hisp__isnull=True) | Q(hisp__active=True),
        # The file itself: it is what a reader searching for a plan wants.
        url=lambda d: d.url,
        order=(F("year").desc(nulls_last=True),),
    ),
]
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


def clean_text(value: str) -> str:
    """Text as Postgres can search it: NUL and other control characters dropped (Postgres cannot
    store NUL), and compatibility forms folded (NFKC: "ｐａｓｓｐｏｒｔ" and "𝔭𝔞𝔰𝔰𝔭𝔬𝔯𝔱" are "passport")."""
    value = unicodedata.normalize("NFKC", value)
    return "".join(
        ch for ch in value if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cs")
    )


class SearchTextField(forms.CharField):
    """Text to search for: cleaned (`clean_text`), and refused if it has no word to search for."""

    def to_python(self, value):
        if isinstance(value, str):
            value = clean_text(value)
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value and not _WORD.search(value):
            raise forms.ValidationError(
                "Type a word or a number to search for: punctuation alone finds nothing.",
                code="no_words",
            )


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
    qualifier: str = ""


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


def _query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=CONFIG)


def _rank(kind: Kind, query: SearchQuery):
    rank = SearchRank(F("search_document"), query)
    if kind.current is None:
        return rank
    weight = Case(
        When(kind.current(), then=Value(1.0)), default=Value(EARLIER), output_field=FloatField()
    )
    return rank * weight


def _any_word(text: str) -> RawSQL:
    """A tsquery that matches a document with any of the words of `text`, as Postgres's parser
    reads them for a document (so "va.gov" stays one word, and stop words drop out)."""
    return RawSQL(
        "(SELECT string_agg(quote_literal(word), ' | ') FROM"
        " unnest(tsvector_to_array(to_tsvector(%s::regconfig, %s))) AS word)::tsquery",
        [CONFIG, text],
    )


def _has_any_word(text: str) -> Func:
    return Func(
        F(FIELD),
        _any_word(text),
        template="(%(expressions)s)",
        arg_joiner=" @@ ",
        output_field=BooleanField(),
    )


def _document(kind: Kind):
    """The weighted document of `kind`: its stored vector, then the related rows' text."""
    if not kind.related:
        return F(FIELD)
    return Func(
        F(FIELD),
        _vector(**kind.related),
        template="(%(expressions)s)",
        arg_joiner=" || ",
        output_field=SearchVectorField(),
    )


def _matching(kind: Kind, text: str, query: SearchQuery):
    """The public objects of `kind` whose document matches, annotated with it.

    Without related text, the stored vector is the document, and its GIN index finds the rows.
    With it, the document is the stored vector and the related text, so a word of the search
    may be in either; the rows that can match are those whose own vector matches, or whose
    related row (its stored vector holds that text) has any of the words. Only those rows'
    documents are made and tested, each by an index."""
    objects = kind.objects().annotate(search_document=_document(kind))
    if not kind.related:
        return objects.filter(search_document=query)
    model = objects.model
    own = model._base_manager.annotate(search_own=F(FIELD)).filter(search_own=query)
    through = [
        model._base_manager.filter(
            **{
                f"{relation}__in": parent._base_manager.filter(_has_any_word(text))
                .order_by()
                .values("pk")
            }
        )
        .order_by()
        .values("pk")
        for relation, parent in kind.parents
    ]
    candidates = own.order_by().values("pk").union(*through)
    return objects.filter(pk__in=candidates, search_document=query)


def tell_apart(hits: list[Hit]) -> list[Hit]:
    """Hits that would share a title get what tells them apart after it: the qualifier ("2020
    list", the agenda) if it differs between them, else the context (the priority area)."""
    alike = {}
    for hit in hits:
        alike.setdefault(hit.title, []).append(hit)
    for same in alike.values():
        if len(same) < 2:
            continue
        for part in ("qualifier", "context"):
            labels = [getattr(hit, part) for hit in same]
            if all(labels) and len(set(labels)) == len(labels):
                for hit, text in zip(same, labels, strict=True):
                    hit.title = f"{hit.title} ({text})"
                break
    return hits


def search_kind(kind: Kind, text: str, offset: int, limit: int) -> Group:
    """One page of ranked hits of one type, and the number of all its hits: one query."""
    query = _query(text)
    rows = list(
        _matching(kind, text, query)
        .annotate(
            search_rank=_rank(kind, query),
            search_total=Window(Count("pk")),
            search_snippet=_snippet(_join(*kind.fields), query),
        )
        .order_by("-search_rank", *kind.order, "pk")[offset : offset + limit]
    )
    hits = [
        Hit(
            title=kind.title(row),
            url=kind.url(row),
            context=kind.context(row),
            snippet=highlight(row.search_snippet),
            qualifier=kind.qualifier(row) if kind.qualifier else "",
        )
        for row in rows
    ]
    total = rows[0].search_total if hits else 0
    best = rows[0].search_rank if hits else 0.0
    return Group(kind=kind, total=total, hits=tell_apart(hits), best=best)


def search(text: str, kinds=KINDS, offset: int = 0, limit: int = 10) -> list[Group]:
    """The groups that have hits, the most relevant type first."""
    groups = [search_kind(kind, text, offset, limit) for kind in kinds]
    order = {kind.key: n for n, kind in enumerate(KINDS)}
    return sorted(
        (group for group in groups if group.total),
        key=lambda group: (-group.best, order[group.key]),
    )


# --- "Did you mean …": pg_trgm against the words of the public content. --------------------------

# The words go to the database as one text each way, not as an array of thousands of parameters.
_VOCABULARY_SQL = """
WITH texts(body) AS ({texts})
SELECT word, count(*) AS uses
FROM texts, regexp_split_to_table(lower(body), '[^[:alnum:]]+') AS word
WHERE length(word) BETWEEN %s AND 40
GROUP BY word
ORDER BY word
"""

_SUGGESTION_SQL = """
WITH vocabulary(word, uses) AS (
    SELECT * FROM unnest(string_to_array(%s, ' '), string_to_array(%s, ' ')::bigint[])
)
SELECT typed.n, best.word
FROM unnest(%s::text[]) WITH ORDINALITY AS typed(word, n)
LEFT JOIN LATERAL (
    SELECT vocabulary.word FROM vocabulary
    WHERE similarity(vocabulary.word, typed.word) >= %s
    ORDER BY vocabulary.word = typed.word DESC, similarity(vocabulary.word, typed.word) DESC,
        abs(length(vocabulary.word) - length(typed.word)), vocabulary.uses DESC, vocabulary.word
    LIMIT 1
) AS best ON true
ORDER BY typed.n
"""


def _public_texts():
    """Every public object's searchable text, one row each, as one UNION ALL query."""
    parts = [
        kind.objects()
        .annotate(search_text=_join(*kind.fields))
        .order_by()
        .values_list("search_text")
        for kind in KINDS
    ]
    return parts[0].union(*parts[1:], all=True)


def _vocabulary_models():
    """The models whose public text the vocabulary reads: every searched type's, and the
    parents that decide whether that text is public."""
    from hisps.models import ReportingPeriod

    return [*(kind.objects().model for kind in KINDS), ReportingPeriod]


def _read_vocabulary() -> tuple[str, str]:
    texts_sql, texts_params = _public_texts().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_VOCABULARY_SQL.format(texts=texts_sql), [*texts_params, SHORTEST_CORRECTED])
        rows = cursor.fetchall()
    # Words are runs of letters and digits (the split above), so a space joins them safely.
    return " ".join(word for word, _ in rows), " ".join(str(uses) for _, uses in rows)


def vocabulary() -> tuple[str, str]:
    """The words of the public content (of `SHORTEST_CORRECTED` letters or more) and their uses,
    each joined by spaces. Read again only when the public content may have changed
    (`content.stamps`): one query to check, and one more to read them (ADR 0028)."""
    return stamps.kept("search-vocabulary", _vocabulary_models(), _read_vocabulary)


def _closest_words(words: list[str]) -> list[str | None]:
    """For each word, the most similar word of the public content (itself if it is there), or
    None: one query (after the vocabulary's, see `vocabulary`)."""
    known, uses = vocabulary()
    with connection.cursor() as cursor:
        cursor.execute(_SUGGESTION_SQL, [known, uses, words, SIMILAR])
        return [word for _, word in cursor.fetchall()]


def finds_anything(text: str) -> bool:
    """Whether a search for `text` would have any hit: one query."""
    query = _query(text)
    parts = [_matching(kind, text, query).order_by().values_list("pk")[:1] for kind in KINDS]
    return parts[0].union(*parts[1:], all=True).exists()


def suggest(text: str) -> str:
    """The text with its misspelt words corrected, if that finds something; else "".

    Only words of `SHORTEST_CORRECTED` letters or more are corrected, and only the first few;
    operators (quotes, a minus sign, "or") stay where they are."""
    typed = [match for match in _WORD.finditer(text) if len(match.group()) >= SHORTEST_CORRECTED]
    typed = typed[:MOST_WORDS_CORRECTED]
    if not typed:
        return ""
    closest = _closest_words([match.group().lower() for match in typed])
    if all(
        word in (None, match.group().lower()) for match, word in zip(typed, closest, strict=True)
    ):
        return ""
    pieces, end = [], 0
    for match, word in zip(typed, closest, strict=True):
        pieces += [text[end : match.start()], word or match.group()]
        end = match.end()
    suggestion = "".join([*pieces, text[end:]])
    return suggestion if finds_anything(suggestion) else ""
