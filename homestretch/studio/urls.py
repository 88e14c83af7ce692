from django.urls import path

from homestretch.studio import views

app_name = "studio"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("messages/<int:pk>/", views.message, name="message"),
    path("profile/", views.profile, name="profile"),
]
