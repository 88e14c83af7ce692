"""The client's side of homework, under /me/homework/ (the invitation link too: it asks
the person to sign in first)."""

from django.urls import path

from homestretch.homework import views

app_name = "homework"

urlpatterns = [
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("consents/<int:pk>/", views.consent_change, name="consent_change"),
    path("consents/<int:pk>/emails/", views.consent_emails, name="consent_emails"),
    path("<int:pk>/custom/", views.custom_sequence, name="custom_sequence"),
    path("consents/<int:pk>/revoke/", views.consent_revoke, name="consent_revoke"),
]
