from django.urls import path

from homestretch.billing import views

app_name = "billing"

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/redeem/", views.redeem, name="redeem"),
    path("subscribe/request/", views.request_access, name="request_access"),
    path("subscribe/checkout/<slug:slug>/", views.checkout, name="checkout"),
    path("subscribe/success/", views.success, name="success"),
    path("subscribe/portal/", views.portal, name="portal"),
    path("billing/stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
    path("billing/dashboard/", views.staff_dashboard, name="dashboard"),
]
