# Site search, feeds, sitemap and robots.txt.
from django.urls import path

from cxportal.discovery import feeds, views

app_name = "discovery"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("feeds/updates.atom", feeds.UpdatesAtom(), name="updates_atom"),
    path("feeds/updates.rss", feeds.UpdatesRss(), name="updates_rss"),
    path("feeds/pma/<slug:slug>/updates.atom", feeds.UpdatesAtom(), name="area_updates_atom"),
    path("feeds/pma/<slug:slug>/updates.rss", feeds.UpdatesRss(), name="area_updates_rss"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
