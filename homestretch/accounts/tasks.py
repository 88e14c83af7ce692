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
