from django.urls import path

from homestretch.custom import views

app_name = "custom"

urlpatterns = [
    path("thumbs.vtt", views.thumbnails, name="thumbnails"),
    path("<int:pk>/", views.watch, name="watch"),
    path("<int:pk>/handout/", views.handout, name="handout"),
    path("<int:pk>/handout.pdf", views.handout_pdf, name="handout_pdf"),
    path("<int:pk>/v<int:number>/playback", views.playback_urls, name="playback"),
    path("<int:pk>/v<int:number>/<slug:name>.m3u8", views.playlist, name="playlist"),
]
