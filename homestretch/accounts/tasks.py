from django.core.mail import EmailMessage, EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(
    *,
    subject: str,
    body: str,
    from_email: str,
    to: list[str],
    reply_to: list[str],
    html: str | None = None,
) -> None:
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, reply_to=reply_to
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    message.send()


def queue_email(message: EmailMessage) -> None:
    """Hand a rendered email to the worker, so a slow mail relay never holds up a page."""
    html = next(
        (
            str(content)
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ),
        None,
    )
    send_email.enqueue(
        subject=str(message.subject),
        body=str(message.body),
        from_email=str(message.from_email),
        to=[str(address) for address in message.to],
        reply_to=[str(address) for address in message.reply_to],
        html=html,
    )


@task()
def build_data_export(*, export_id: int) -> None:
    """Write a member's data to a private file and email them the expiring link."""
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import timezone

    from homestretch.accounts.models import DataExport
    from homestretch.accounts.privacy import export_json

    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.ready_at is not None:  # deleted meanwhile, or done
        return
    export.file.save(f"{export.token}.json", ContentFile(export_json(export.user).encode()))
    export.ready_at = timezone.now()
    export.save(update_fields=["file", "ready_at"])
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:export_download", args=[export.token])
    send_email.enqueue(
        subject="[Homestretch] Your data is ready to download",
        body=render_to_string(
            "accounts/email/export_ready.txt", {"link": link, "expires_at": export.expires_at}
        ),
        from_email=str(settings.DEFAULT_FROM_EMAIL),
        to=[export.user.email],
        reply_to=[],
    )
