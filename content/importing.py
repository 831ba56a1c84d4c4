"""The machinery of loading data files: typed reads that name the file, record and field of any
fault, and an upsert on stable source ids that only writes what changed.

The loaders themselves live in each app (`hisps/importer.py`, `priorities/importer.py`,
`milestones/importer.py`); the `import_performance_gov` command runs them in one transaction.
"""

import csv
import datetime
import json
import re
from collections import Counter
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from content.publishing import Status

# Content that was already public on performance.gov and carries no date of its own is given this
# publish time: before any page the site reproduces, so the historical views stay whole.
EARLIEST_PUBLISH_AT = datetime.datetime(2018, 1, 1, tzinfo=datetime.UTC)

PRESS_HOSTS = ("meritalk.com", "executivegov.com", "fedtech", "government-transformation.com")


class DataFileError(CommandError):
    """A fault in a data file. The message names the file, the record and the field."""

    def __init__(self, file: str, record: str, field: str, problem: str):
        self.file, self.record, self.field, self.problem = file, record, field, problem
        super().__init__(f"{file}: record {record}: field '{field}': {problem}")


class Record:
    """One record of a data file, read through methods that check types and ranges."""

    def __init__(self, file: str, ident: str, data: dict):
        self.file, self.ident, self.data = file, ident, data

    def fail(self, field: str, problem: str):
        raise DataFileError(self.file, self.ident, field, problem)

    def has(self, field: str) -> bool:
        return self.data.get(field) not in (None, "")

    def raw(self, field: str):
        return self.data.get(field)

    def text(self, field: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.data.get(field)
        if value is None or value == "":
            if required:
                self.fail(field, "is missing or empty")
            return ""
        if isinstance(value, list):
            if not all(isinstance(item, str) for item in value):
                self.fail(field, "must be text or a list of paragraphs")
            value = "\n\n".join(item.strip() for item in value if item.strip())
        if not isinstance(value, str):
            self.fail(field, f"must be text, not {type(value).__name__}")
        if max_length and len(value) > max_length:
            self.fail(field, f"is longer than {max_length} characters")
        return value

    def integer(
        self,
        field: str,
        *,
        required: bool = True,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        value = self.data.get(field)
        if value is None or value == "":
            if required:
                self.fail(field, "is missing or empty")
            return None
        try:
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, str):
                number = float(value.strip())
                if not number.is_integer():
                    raise ValueError
                value = int(number)
            elif isinstance(value, float):
                if not value.is_integer():
                    raise ValueError
                value = int(value)
            elif not isinstance(value, int):
                raise ValueError
        except ValueError:
            self.fail(field, f"{value!r} is not a whole number")
        if minimum is not None and value < minimum:
            self.fail(field, f"{value} is below the minimum of {minimum}")
        if maximum is not None and value > maximum:
            self.fail(field, f"{value} is above the maximum of {maximum}")
        return value

    def quarter(self, field: str = "quarter") -> int:
        return self.integer(field, minimum=1, maximum=4)

    def fiscal_year(self, field: str = "fiscal_year") -> int:
        return self.integer(field, minimum=1990, maximum=2100)

    def choice(self, field: str, choices: dict, *, required: bool = True):
        value = self.data.get(field)
        if value in (None, "") and not required:
            return None
        if value not in choices:
            allowed = ", ".join(repr(c) for c in choices)
            self.fail(field, f"{value!r} is not one of {allowed}")
        return choices[value]

    def month(self, field: str, *, required: bool = False) -> datetime.date | None:
        """A "YYYY-MM" value as the first day of that month."""
        value = self.data.get(field)
        if value in (None, ""):
            if required:
                self.fail(field, "is missing")
            return None
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}", value):
            self.fail(field, f"{value!r} is not a month like 2023-08")
        year, month = map(int, value.split("-"))
        if not 1 <= month <= 12:
            self.fail(field, f"{value!r} has no month {month}")
        return datetime.date(year, month, 1)

    def day(self, field: str) -> datetime.date | None:
        value = self.data.get(field)
        if value in (None, ""):
            return None
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(field, f"{value!r} is not a date like 2023-03-03")

    def timestamp(self, field: str) -> datetime.datetime | None:
        value = self.data.get(field)
        if value in (None, ""):
            return None
        try:
            moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except (AttributeError, ValueError):
            self.fail(field, f"{value!r} is not a timestamp")
        return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)

    def items(self, field: str) -> list:
        value = self.data.get(field)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(field, f"must be a list, not {type(value).__name__}")
        return value

    def mapping(self, field: str) -> dict:
        value = self.data.get(field)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(field, f"must be an object, not {type(value).__name__}")
        return value

    def provenance(self) -> dict:
        """The source fields every imported row keeps: sources, and the secondary/incomplete flags."""
        sources = self.items("sources")
        source_type = self.data.get("source_type") or ""
        notes = [str(self.data.get("note") or "")]
        secondary = "secondary" in source_type or "derived" in source_type
        for source in sources:
            if not isinstance(source, dict):
                self.fail("sources", "each source must be an object")
            url = source.get("url") or ""
            if any(host in url for host in PRESS_HOSTS) or "secondary" in (
                source.get("note") or ""
            ):
                secondary = True
        incomplete = any(
            self.data.get(key) is False for key in self.data if key.endswith("_complete")
        )
        note = "\n".join(
            n for n in [f"Source type: {source_type}" if source_type else "", *notes] if n
        )
        return {
            "sources": sources,
            "secondary_source": secondary,
            "incomplete": incomplete,
            "source_note": note,
        }


class DataDir:
    """The folder of data files. Each read names the file in any error."""

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_dir():
            raise CommandError(f"{self.path}: no such folder of data files")

    def _file(self, name: str) -> Path:
        file = self.path / name
        if not file.is_file():
            raise DataFileError(name, "-", "-", "the file is missing")
        return file

    def json(self, name: str, *, kind=list):
        try:
            data = json.loads(self._file(name).read_text(encoding="utf-8"))
        except UnicodeDecodeError as error:
            raise DataFileError(name, "-", "-", f"not UTF-8 text ({error.reason})") from None
        except json.JSONDecodeError as error:
            raise DataFileError(
                name,
                "-",
                "-",
                f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}",
            ) from None
        if not isinstance(data, kind):
            raise DataFileError(name, "-", "-", f"the file must hold a JSON {kind.__name__}")
        return data

    def records(self, name: str, id_field: str = "id") -> list[Record]:
        records = []
        seen = set()
        for index, data in enumerate(self.json(name), start=1):
            if not isinstance(data, dict):
                raise DataFileError(name, f"#{index}", "-", "each record must be a JSON object")
            ident = data.get(id_field)
            if ident in (None, ""):
                raise DataFileError(name, f"#{index}", id_field, "is missing")
            if ident in seen:
                raise DataFileError(name, str(ident), id_field, "is used by two records")
            seen.add(ident)
            records.append(Record(name, str(ident), data))
        return records

    def csv(
        self, name: str, columns: list[str], ident=lambda row, line: f"line {line}"
    ) -> list[Record]:
        try:
            with self._file(name).open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                header = reader.fieldnames or []
                for column in columns:
                    if column not in header:
                        raise DataFileError(name, "header", column, "the column is missing")
                rows = []
                for line, row in enumerate(reader, start=2):
                    if None in row:
                        raise DataFileError(
                            name, f"line {line}", "-", "the row has more cells than the header"
                        )
                    rows.append(Record(name, ident(row, line), row))
                return rows
        except UnicodeDecodeError as error:
            raise DataFileError(name, "-", "-", f"not UTF-8 text ({error.reason})") from None
        except csv.Error as error:
            raise DataFileError(name, "-", "-", f"not valid CSV: {error}") from None


class Upserter:
    """Create or update rows by their source id, writing only what changed.

    Running the same data twice writes nothing, so `updated_at` and history stay as they were.
    Every write records its reason in the model's history.
    """

    def __init__(self, reason: str = "Imported from performance.gov data"):
        self.reason = reason
        self.counts: dict[str, Counter] = {}
        self._existing: dict[type, dict] = {}
        self._pending: dict[type, list] = {}

    def _cache(self, model):
        if model not in self._existing:
            self._existing[model] = {
                obj.external_id: obj for obj in model.objects.filter(external_id__isnull=False)
            }
        return self._existing[model]

    def get(self, model, external_id):
        return self._cache(model).get(external_id)

    def upsert(
        self,
        model,
        record: Record,
        external_id: str,
        fields: dict,
        *,
        on_create: dict | None = None,
        defer: bool = False,
    ):
        """Make the row with this source id hold `fields`; `on_create` values are set only once.

        `record` is the data it came from, named in any error. With `defer`, a new row (of a model
        that nothing else points to) is checked now and inserted with the others by `flush()`, in
        one statement with its history: thousands of survey answers are one insert, not thousands.
        """
        existing = self._cache(model)
        counter = self.counts.setdefault(model._meta.verbose_name_plural, Counter())
        fields = {"status": Status.PUBLISHED, **fields}
        obj = existing.get(external_id)
        if obj is None:
            obj = model(external_id=external_id, **(on_create or {}), **fields)
            if "publish_at" not in fields and not (on_create and "publish_at" in on_create):
                obj.publish_at = EARLIEST_PUBLISH_AT
            obj.published_at = obj.publish_at if obj.status == Status.PUBLISHED else None
            if "last_updated" not in fields and obj.publish_at > EARLIEST_PUBLISH_AT:
                # The content's own date, where the source gave one; never the import's time.
                obj.last_updated = obj.published_at
            if defer:
                self._check(obj, record)
                self._pending.setdefault(model, []).append(obj)
            else:
                self._save(obj, record)
            existing[external_id] = obj
            counter["created"] += 1
            return obj
        changed = [name for name, value in fields.items() if not _same(obj, name, value)]
        if changed:
            for name in changed:
                setattr(obj, name, fields[name])
            self._save(obj, record)
            counter["updated"] += 1
        else:
            counter["unchanged"] += 1
        return obj

    def set_many(self, obj, name: str, targets) -> None:
        """Set a many-to-many field, touching nothing if it already holds these rows."""
        manager = getattr(obj, name)
        wanted = {t.pk for t in targets}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(wanted)

    def flush(self) -> None:
        """Insert the deferred new rows, each model's in one statement, with their history."""
        for model, objects in self._pending.items():
            bulk_create_with_history(
                objects, model, batch_size=1000, default_change_reason=self.reason
            )
        self._pending.clear()

    def _check(self, obj, record: Record):
        # Check lengths, choices and validators without a query per foreign key.
        relations = [field.name for field in obj._meta.fields if field.is_relation]
        try:
            obj.clean_fields(exclude=relations)
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            record.fail(field, " ".join(messages))

    def _save(self, obj, record: Record):
        self._check(obj, record)
        obj._change_reason = self.reason
        # "Last updated" is the content's own date (`fields`' "last_updated", or the publish time
        # the source gave), not the time of this import.
        obj._keep_last_updated = True
        obj.save()


def _same(obj, name: str, value) -> bool:
    field = obj._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        current = getattr(obj, field.attname)
        return current == (value.pk if value is not None else None)
    current = getattr(obj, name)
    if isinstance(current, datetime.datetime) and isinstance(value, datetime.datetime):
        return current == value
    return current == value


def month_start(day: datetime.date | None) -> datetime.datetime | None:
    """Midnight, Washington time, at the start of `day`: the publish time of a dated record."""
    if day is None:
        return None
    return timezone.make_aware(
        datetime.datetime(day.year, day.month, day.day), timezone.get_default_timezone()
    )
