from django.urls import path

from linli.grid_events.web import staff

app_name = "grid"
urlpatterns = [
    path("", staff.board, name="board"),
    path("report/", staff.report, name="report"),
    path("events/<str:number>/", staff.event_page, name="event"),
    path("events/<str:number>/step/<str:action>/", staff.event_step, name="step"),
    path("events/<str:number>/photos/<uuid:photo_id>/", staff.photo_file, name="photo"),
    path("events/<str:number>/supervise/", staff.supervise, name="supervise"),
    path("events/<str:number>/public/", staff.publication, name="publication"),
    path("supervisions/<int:pk>/answer/", staff.answer, name="answer"),
    path("whistles/", staff.whistles, name="whistles"),
    path("whistles/<uuid:whistle_id>/check-in/", staff.check_in, name="check-in"),
    path("supervision/", staff.supervision, name="supervision"),
    path("map/", staff.event_map, name="map"),
    path("categories/", staff.categories, name="categories"),
    path("categories/new/", staff.category_edit, name="category-new"),
    path("categories/<str:code>/", staff.category_edit, name="category"),
    path("categories/<str:code>/route/", staff.category_route, name="category-route"),
]
