from django.contrib import admin
from django.urls import include, path

from cxportal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("priorities.urls")),
    path("", include("hisps.urls")),
    path("admin/", admin.site.urls),
]
