"""Stripe's servers are the one thing tests don't run. `FakeStripe` is a small HTTP
server on 127.0.0.1 that records each request and answers with Stripe-shaped JSON;
`signed_webhook` posts an event signed with Stripe's scheme (HMAC-SHA256 over
"<timestamp>.<payload>", sent as `t=…,v1=…`), which the stripe library then verifies."""

import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.test import Client

WEBHOOK_SECRET = "whsec_test_secret"


@dataclass
class Recorded:
    method: str
    path: str
    form: dict[str, list[str]]
    headers: dict[str, str]


def _missing(path: str) -> tuple[int, dict[str, Any]]:
    return 404, {
        "error": {"type": "invalid_request_error", "code": "resource_missing", "message": path}
    }


@dataclass
class FakeStripe:
    requests: list[Recorded] = field(default_factory=list)
    ids: "itertools.count[int]" = field(default_factory=lambda: itertools.count(1))
    # What the API holds, by path ("/v1/invoices/in_1"): tests add what they need.
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add_subscription(self, subscription: dict[str, Any]) -> None:
        self.objects[f"/v1/subscriptions/{subscription['id']}"] = subscription

    def add_invoice(self, invoice_id: str, *, subscription: str, payment_intent: str) -> None:
        """An invoice of `subscription`, paid by `payment_intent`, in the pinned API's shape."""
        self.objects[f"/v1/invoices/{invoice_id}"] = {
            "id": invoice_id,
            "object": "invoice",
            "parent": {
                "type": "subscription_details",
                "subscription_details": {"subscription": subscription, "metadata": {}},
            },
        }
        self.objects[f"/v1/invoice_payments/inpay_{invoice_id}"] = {
            "id": f"inpay_{invoice_id}",
            "object": "invoice_payment",
            "invoice": invoice_id,
            "payment": {"type": "payment_intent", "payment_intent": payment_intent},
        }

    def get(self, path: str, query: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        if path == "/v1/invoice_payments":
            wanted = query.get("payment[payment_intent]", [""])[0]
            found = [
                obj
                for key, obj in self.objects.items()
                if key.startswith("/v1/invoice_payments/")
                and obj["payment"].get("payment_intent") == wanted
            ]
            return 200, {"object": "list", "url": path, "has_more": False, "data": found}
        if path in self.objects:
            return 200, self.objects[path]
        return _missing(path)

    def delete(self, path: str) -> tuple[int, dict[str, Any]]:
        """Cancelling a subscription (the only DELETE we make)."""
        subscription = self.objects.get(path)
        if subscription is None:
            return _missing(path)
        if subscription["status"] == "canceled":
            message = "A canceled subscription can only update its cancellation_details."
            return 400, {"error": {"type": "invalid_request_error", "message": message}}
        now = int(time.time())
        subscription.update(status="canceled", canceled_at=now, ended_at=now)
        return 200, subscription

    def answer(self, path: str, form: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        n = next(self.ids)
        if path == "/v1/customers":
            return 200, {"id": f"cus_{n}", "object": "customer", "email": form["email"][0]}
        if path == "/v1/checkout/sessions":
            return 200, {
                "id": f"cs_test_{n}",
                "object": "checkout.session",
                "url": f"https://checkout.stripe.com/c/pay/cs_test_{n}",
            }
        if path == "/v1/billing_portal/sessions":
            return 200, {
                "id": f"bps_{n}",
                "object": "billing_portal.session",
                "url": f"https://billing.stripe.com/p/session/test_{n}",
            }
        return 404, {"error": {"type": "invalid_request_error", "message": "Unknown path"}}

    def posted(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    def calls(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.requests]


def start_fake_stripe() -> tuple[FakeStripe, ThreadingHTTPServer]:
    fake = FakeStripe()

    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> Recorded:
            """The request, its form from the body (POST) or the query (GET, DELETE)."""
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length", 0))
            form = parse_qs(self.rfile.read(length).decode() if length else url.query)
            request = Recorded(self.command, url.path, form, dict(self.headers.items()))
            fake.requests.append(request)
            return request

        def do_GET(self) -> None:
            request = self._record()
            self._send(*fake.get(request.path, request.form))

        def do_DELETE(self) -> None:
            self._send(*fake.delete(self._record().path))

        def do_POST(self) -> None:
            request = self._record()
            self._send(*fake.answer(request.path, request.form))

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake, server


def sign(payload: str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def event(
    event_id: str, type: str, obj: dict[str, Any], *, created: int | None = None
) -> dict[str, Any]:
    return {
        "id": event_id,
        "object": "event",
        "type": type,
        "created": int(time.time()) if created is None else created,
        "livemode": False,
        "api_version": "2025-03-31.basil",
        "data": {"object": obj},
    }


def subscription_object(
    *,
    sub_id: str = "sub_1",
    user_id: int,
    status: str,
    period_end: int,
    trial_end: int | None = None,
    cancel_at_period_end: bool = False,
    ended_at: int | None = None,
    price: str = "price_monthly",
    customer: str = "cus_1",
) -> dict[str, Any]:
    return {
        "id": sub_id,
        "object": "subscription",
        "customer": customer,
        "status": status,
        "start_date": period_end - 30 * 86400,
        "trial_end": trial_end,
        "cancel_at_period_end": cancel_at_period_end,
        "ended_at": ended_at,
        "metadata": {"user_id": str(user_id)},
        "items": {
            "object": "list",
            "data": [{"price": {"id": price}, "current_period_end": period_end}],
        },
    }


def post_webhook(client: Client, body: dict[str, Any], *, signature: str | None = None) -> Any:
    payload = json.dumps(body)
    return client.post(
        "/billing/stripe/webhook/",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature if signature is not None else sign(payload),
    )


def charge_object(
    *,
    charge_id: str = "ch_1",
    payment_intent: str = "pi_1",
    amount: int = 1200,
    amount_refunded: int = 1200,
    invoice: str | None = None,
    customer: str = "cus_1",
) -> dict[str, Any]:
    """A charge as `charge.refunded` sends it; `invoice` only in API versions before
    2025-03-31 ("basil"), which a webhook endpoint may still be set to."""
    charge: dict[str, Any] = {
        "id": charge_id,
        "object": "charge",
        "amount": amount,
        "amount_captured": amount,
        "amount_refunded": amount_refunded,
        "refunded": amount_refunded >= amount,
        "currency": "eur",
        "customer": customer,
        "payment_intent": payment_intent,
        "status": "succeeded",
        "metadata": {},
    }
    if invoice is not None:
        charge["invoice"] = invoice
    return charge
