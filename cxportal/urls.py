from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from content.views import shared_preview
from cxportal import landing, views
from cxportal.data import views as data_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("about/", views.static_page, {"template": "cxportal/about.html"}, name="about"),
    path(
        "accessibility/",
        views.static_page,
        {"template": "cxportal/accessibility.html"},
        name="accessibility",
    ),
    path("privacy/", views.static_page, {"template": "cxportal/privacy.html"}, name="privacy"),
    # performance.gov's addresses of the CX section; its other old addresses: cxportal.legacy.
    path("cx/", landing.cx_home, name="cx_home"),
    path("cx/executive-order/", landing.executive_order, name="cx_executive_order"),
    path("", include("priorities.urls")),
    path("", include("hisps.urls")),
    # A provider's survey results: the survey results dataset, for one HISP.
    path("cx/hisps/<slug:slug>/results.csv", data_views.hisp_results_csv, name="hisp_results_csv"),
    path("cx/data/", include("cxportal.data.urls")),
    path("data.json", data_views.catalog, name="data_catalog"),  # DCAT-US, for data.gov
    path("", include("cxportal.discovery.urls")),
    # A reviewer's share link to an unpublished page (content.models.ShareLink).
    path("preview/<str:token>/", shared_preview, name="shared_preview"),
    # CXPORTAL_ADMIN_PATH, "admin/" unless set; elsewhere the admin's address is reversed.
    path(settings.CXPORTAL_ADMIN_PATH, admin.site.urls),
]

handler404 = "cxportal.views.page_not_found"
handler500 = "cxportal.views.server_error"
