"""Results derived from public content, kept per process until that content may have changed.

Some figures read every public row of a table: the home page's trust in each quarter sums every
answer to every provider's trust question, the directory's date range spans every report, "Did
you mean" reads every word of the public text. Their cost grows with the content, while the
content changes a few times a day. So each is computed once and kept with the stamp of the
content it was computed from, and computed again when the stamp differs (ADR 0028).

The stamp says whether the public rows may have changed, in one query of one row: the
database's current snapshot (the next transaction id and those still running), which changes
whenever any transaction that wrote has committed, whatever it wrote and in whatever order its
rows' timestamps fall; for each of the models, its newest `publish_at` that has come (a
scheduled row going public writes nothing); and today's date (a leader's term). So a kept result
is never older than the content: the first request after any change computes it again. An edit
to anything recomputes everything kept, which is cheap at the rate editors save.

Inside a transaction (a preview renders a draft inside a savepoint that it rolls back; a test
runs inside one) a read may see rows no snapshot describes, so nothing is kept or reused there,
and no stamp is read: the result is computed from what that transaction sees. Public pages run
outside transactions (no ATOMIC_REQUESTS), each query seeing what is committed.

Each process keeps its own copy: nothing here is shared state, and a stale copy in one process
cannot outlive a change, as every use checks the stamp first.
"""

from collections.abc import Callable

from django.db import connection
from django.utils import timezone

_kept: dict = {}


def _in_transaction() -> bool:
    return connection.in_atomic_block


def stamp(models) -> tuple:
    """Where the public rows of `models` stand (see the module's docstring): one query, each
    part read from the end of an index."""
    parts, params = ["pg_current_snapshot()::text"], []
    for model in sorted(set(models), key=lambda model: model._meta.label):
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"(SELECT max(publish_at) FROM {table} WHERE publish_at <= %s)")  # noqa: S608
        params.append(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        return (timezone.localdate(), *cursor.fetchone())


def kept(key: str, models, compute: Callable):
    """`compute()`, or what it returned last time in this process if the public rows of `models`
    have not changed since: one query, and `compute`'s when they have."""
    if _in_transaction():
        return compute()
    now = stamp(models)
    found = _kept.get(key)
    if found is None or found[0] != now:
        found = (now, compute())
        _kept[key] = found
    return found[1]
