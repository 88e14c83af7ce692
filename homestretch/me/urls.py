from django.urls import path

from homestretch.me import views

app_name = "me"

urlpatterns = [
    path("", views.me, name="index"),
    path("sessions/end-others/", views.end_other_sessions, name="end_other_sessions"),
    path("apps/<int:pk>/sign-out/", views.app_sign_out, name="app_sign_out"),
    path("export/", views.export, name="export"),
    path("export/<str:token>/", views.export_download, name="export_download"),
    path("delete/", views.delete_account, name="delete"),
]
