from django.urls import path

from homestretch.studio import clients, custom_sequences, views

app_name = "studio"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("messages/<int:pk>/", views.message, name="message"),
    path("profile/", views.profile, name="profile"),
    path("sequences/", custom_sequences.index, name="custom_index"),
    path("sequences/new/", custom_sequences.edit, name="custom_new"),
    path("sequences/<int:pk>/edit/", custom_sequences.edit, name="custom_edit"),
    path("sequences/<int:pk>/publish/", custom_sequences.publish, name="custom_publish"),
    path("sequences/<int:pk>/unpublish/", custom_sequences.unpublish, name="custom_unpublish"),
    path("clients/", clients.dashboard, name="clients"),
    path("clients/history/", clients.history, name="history"),
    path("clients/invite/", clients.invite, name="invite"),
    path(
        "clients/invitations/<int:pk>/cancel/",
        clients.invitation_cancel,
        name="invitation_cancel",
    ),
    path("clients/digest/", clients.digest, name="digest"),
    path("clients/<int:pk>/", clients.client, name="client"),
    path("clients/<int:pk>/assign/", clients.assign, name="assign"),
    path(
        "clients/<int:pk>/assignments/<int:assignment_pk>/end/",
        clients.assignment_end,
        name="assignment_end",
    ),
]
