from django.urls import path

from priorities import views

app_name = "priorities"
urlpatterns = [
    path("pma/", views.priority_area_list, name="list"),
    path("pma/<slug:slug>/", views.priority_area_detail, name="detail"),
    path("pma/<slug:slug>/updates/", views.update_list, name="updates"),
    path("pma/<slug:slug>/updates/<str:month>/", views.update_detail, name="update"),
    path("pma/<slug:slug>/strategy/<int:number>/", views.strategy_detail, name="strategy"),
    path("news/", views.news_list, name="news"),
    path("news/<slug:slug>/", views.news_post, name="news_post"),
    path("cx/resources/", views.resources, name="resources"),
    path("cx/life-experiences/", views.life_experience_list, name="life_experiences"),
    path(
        "cx/life-experiences/<slug:slug>/",
        views.life_experience_detail,
        name="life_experience",
    ),
    # performance.gov's 2022 charter pages of the life experiences.
    path(
        "cx/projects/<slug:slug>/",
        views.life_experience_moved,
        {"anchor": "charter-2022"},
        name="life_experience_charter",
    ),
]
