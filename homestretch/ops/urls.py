from django.urls import path

from homestretch.ops import views

# Included at the root: /healthz is part of the public URL map (PRODUCT.md).
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.prometheus, name="metrics"),
]
