"""Open data downloads and performance.gov's CX data API, under /cx/data/."""

from django.urls import path, re_path

from cxportal.data import views

app_name = "data"
urlpatterns = [
    path("", views.index, name="index"),
    path("methods/", views.methods, name="methods"),
    # performance.gov's four JSON:API files, at the addresses their consumers already use.
    re_path(
        r"^(?P<name>service_providers|services|collections|omb_cx_reporting_collections)\.json$",
        views.cx_api,
        name="cx_api",
    ),
    path("<slug:name>.<slug:format>", views.download, name="download"),
]
