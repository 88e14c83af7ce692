from django.urls import path

from homestretch.library import views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.watch, name="watch"),
    path("<slug:slug>/poster.jpg", views.poster, name="poster"),
    path("<slug:slug>/captions/<slug:language>.vtt", views.captions, name="captions"),
    path("<slug:slug>/favorite/", views.favorite, name="favorite"),
    path("<slug:slug>/media/<path:path>", views.media, name="media"),
]
