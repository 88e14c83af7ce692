import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing

from homestretch.articles.models import Article, ArticleImage, Comment
from homestretch.lib.images import resize_image

_STARTED_SALT = "homestretch.articles.comment-form"
_FORM_MAX_AGE = 2 * 86400


def form_started_token(article: Article, *, at: float | None = None) -> str:
    """When the form was shown (now, unless `at` says), signed so a bot cannot claim it waited."""
    shown = time.time() if at is None else at
    return signing.dumps({"article": article.pk, "at": shown}, salt=_STARTED_SALT)


class CommentForm(forms.Form):
    """A new comment. Visitors also give a name and an email; members comment as themselves.

    Two traps for bots: `website` is a field people never see (a honeypot), and `started`
    is the signed time the form was shown, so a post that comes too fast is refused.
    """

    name = forms.CharField(label="Your name", max_length=80)
    email = forms.EmailField(
        label="Your email",
        help_text="Never shown. We use it only to tell you when your comment is published.",
    )
    body = forms.CharField(
        label="Comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="You can use *emphasis*, **bold**, [links](https://example.org), lists, "
        "> quotes and `code`.",
    )
    notify_replies = forms.BooleanField(label="Email me when someone replies", required=False)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    started = forms.CharField(widget=forms.HiddenInput)
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, article: Article, member: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.article = article
        if member:
            del self.fields["name"]
            del self.fields["email"]
            self.fields["notify_replies"].help_text = ""
        if not self.is_bound:
            self.initial["started"] = form_started_token(article)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("website"):
            # Shown above the form: the field itself is hidden from people.
            raise forms.ValidationError("We couldn't accept this comment.")
        return cleaned

    def clean_started(self) -> str:
        value = str(self.cleaned_data["started"])
        try:
            data = signing.loads(value, salt=_STARTED_SALT, max_age=_FORM_MAX_AGE)
            waited = time.time() - float(data["at"])
            article_pk = int(data["article"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise forms.ValidationError(
                "This form is out of date. Please copy your comment, reload the page and "
                "send it again."
            ) from None
        if article_pk != self.article.pk:
            raise forms.ValidationError("This form belongs to another article.")
        if waited < settings.COMMENT_MIN_SECONDS:
            raise forms.ValidationError(
                "That was quicker than we expected. Please check your comment and send it again."
            )
        return value


class CommentEditForm(forms.ModelForm[Comment]):
    class Meta:
        model = Comment
        fields = ["body"]
        labels = {"body": "Comment"}
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}


class ArticleAdminForm(forms.ModelForm[Article]):
    def clean_cover(self) -> Any:
        cover = self.cleaned_data.get("cover")
        if cover and hasattr(cover, "content_type"):  # a new upload, not the stored file
            return resize_image(cover, max_side=1600)
        return cover

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("cover") and not cleaned.get("cover_alt"):
            self.add_error("cover_alt", "Describe the cover for people who can't see it.")
        return cleaned

    class Meta:
        model = Article
        fields = [
            "title", "slug", "summary", "body", "status", "published_at", "author", "tags",
            "comments_open", "cover", "cover_alt", "finder_badge",
        ]  # fmt: skip


class ArticleImageForm(forms.ModelForm[ArticleImage]):
    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):
            return resize_image(image, max_side=1600)
        return image

    class Meta:
        model = ArticleImage
        fields = ["image", "alt"]
