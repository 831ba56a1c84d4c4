from django.urls import path

from hisps import views
from hisps.reporting import reporting_rules

app_name = "hisps"
urlpatterns = [
    path("cx/hisps/", views.hisp_list, name="list"),
    path("cx/reporting/", reporting_rules, name="reporting"),
    path("cx/hisps/<slug:slug>/", views.hisp_detail, name="detail"),
    path("cx/agencies/", views.agency_list, name="agencies"),
    path("cx/agencies/<slug:abbr>/", views.agency_detail, name="agency"),
    # performance.gov's 2018–2021 dashboard and profile pages, e.g. /cx/dashboard/va/vha/
    # (LegacyPath); in other letter cases they reach cxportal.legacy through the 404 handler.
    path("cx/dashboard/", views.legacy_redirect, name="dashboard"),
    path("cx/dashboard/<path:rest>", views.legacy_redirect, name="legacy"),
]
