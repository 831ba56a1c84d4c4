"""Each searchable model's own text, weighted, as a stored tsvector the database keeps current.

Site search (cxportal.discovery.search, ADR 0020) ranked every public row of 14 types by a
weighted tsvector it built from the row's text at query time: to_tsvector over every agency
reflection and description, on every search, for a few hits. With the vector stored (a generated
column, so Postgres recomputes it whenever the row's text changes and no code can forget to) and
a GIN index on it, a search reads only the rows that match, and ranks them without re-parsing
their text (ADR 0028).

Only the row's own fields can be in it: a generated column cannot read another table. The text a
type is also found by from a related row (a service by its provider's name) is added at query
time, for the rows that can match (see search.py).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models

CONFIG = "english"
FIELD = "search_vector"


def weighted_vector(**weights):
    """A weighted document, e.g. weighted_vector(A=["name"], B=["description"])."""
    vectors = [
        SearchVector(*names, weight=weight, config=CONFIG) for weight, names in weights.items()
    ]
    document = vectors[0]
    for vector in vectors[1:]:
        document = document + vector
    return document


def searchable(**weights) -> models.GeneratedField:
    """The stored, weighted tsvector of these fields of the row (see the module's docstring)."""
    return models.GeneratedField(
        expression=weighted_vector(**weights),
        output_field=SearchVectorField(),
        db_persist=True,
        help_text="The text site search finds this by, kept by the database.",
    )


def search_indexes(prefix: str) -> list:
    """The GIN index that finds the rows matching a search."""
    return [GinIndex(fields=[FIELD], name=f"{prefix}_search")]
