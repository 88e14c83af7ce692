from django.urls import path

from homestretch.finder import views

app_name = "finder"

urlpatterns = [
    path("", views.finder, name="search"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("<slug:slug>/", views.profile, name="profile"),
    path("<slug:slug>/photo/<str:size>/", views.photo, name="photo"),
    path("<slug:slug>/classes.ics", views.calendar, name="calendar"),
]
