from django.urls import path

from homestretch.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.me, name="me"),
    path("sessions/end-others/", views.end_other_sessions, name="end_other_sessions"),
    path("export/", views.export, name="export"),
    path("export/<str:token>/", views.export_download, name="export_download"),
    path("delete/", views.delete_account, name="delete"),
]
