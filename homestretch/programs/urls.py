from django.urls import path

from homestretch.programs.views import programs

app_name = "programs"

urlpatterns = [
    path("", programs.index, name="index"),
    path("<slug:slug>/", programs.detail, name="detail"),
    path("<slug:slug>/start/", programs.start, name="start"),
    path("<slug:slug>/clearance/", programs.clearance, name="clearance"),
    path("<slug:slug>/restart/", programs.start, {"restart": True}, name="restart"),
    path("<slug:slug>/day/<int:number>/", programs.day, name="day"),
    path("<slug:slug>/day/<int:number>/check/", programs.checkpoint, name="checkpoint"),
    path("<slug:slug>/pause/", programs.pause, name="pause"),
    path("<slug:slug>/resume/", programs.resume, name="resume"),
    path("<slug:slug>/leave/", programs.leave, name="leave"),
]
