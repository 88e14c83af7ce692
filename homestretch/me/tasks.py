from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from homestretch.accounts.tasks import send_email
from homestretch.me.models import DataExport
from homestretch.me.privacy import export_json


@task()
def build_data_export(*, export_id: int) -> None:
    """Write a member's data to a private file and email them the expiring link."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.ready_at is not None:  # deleted meanwhile, or done
        return
    export.file.save(f"{export.token}.json", ContentFile(export_json(export.user).encode()))
    export.ready_at = timezone.now()
    export.save(update_fields=["file", "ready_at"])
    link = settings.SITE_URL.rstrip("/") + reverse("me:export_download", args=[export.token])
    send_email.enqueue(
        subject=f"[{settings.SITE_NAME}] Your data is ready to download",
        body=render_to_string(
            "me/email/export_ready.txt", {"link": link, "expires_at": export.expires_at}
        ),
        from_email=str(settings.DEFAULT_FROM_EMAIL),
        to=[export.user.email],
        reply_to=[],
    )
