from django.urls import path

from priorities import views

app_name = "priorities"
urlpatterns = [
    path("pma/", views.priority_area_list, name="list"),
    path("pma/<slug:slug>/", views.priority_area_detail, name="detail"),
    path("pma/<slug:slug>/updates/<str:month>/", views.update_detail, name="update"),
    path("pma/<slug:slug>/strategy/<int:number>/", views.strategy_detail, name="strategy"),
]
