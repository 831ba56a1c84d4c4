"""Fetch a download the way a client does, consuming its stream."""

import csv
import io
import json

from django.urls import reverse


def fetch(client, url, **headers):
    """The response and its body as text; a streamed body is read to its end."""
    response = client.get(url, **headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body.decode("utf-8")


def download(client, name, fmt):
    """A dataset's rows as dicts, from its CSV or JSON file (which must answer 200)."""
    response, body = fetch(client, reverse("data:download", kwargs={"name": name, "format": fmt}))
    assert response.status_code == 200, (name, fmt)
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(body, newline="")))
    return json.loads(body)


def api(client, name):
    """The `data` items of one of performance.gov's four JSON:API files."""
    response, body = fetch(client, reverse("data:cx_api", kwargs={"name": name}))
    assert response.status_code == 200, name
    return json.loads(body)["data"]
