from django.urls import path

from homestretch.programs.views import programs

app_name = "programs"

urlpatterns = [
    path("", programs.index, name="index"),
]
