import logging
import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.safestring import SafeString

from homestretch.lib.storage import STORAGE_ERRORS, describe
from homestretch.library import media
from homestretch.library.captions import CaptionError, to_webvtt
from homestretch.library.models import (
    Caption,
    Chapter,
    Collection,
    CollectionItem,
    Encoding,
    Equipment,
    FocusArea,
    Sequence,
)
from homestretch.library.services import EncodingError, encoding_start, sequence_reindex

log = logging.getLogger(__name__)


def _probe_upload(upload: UploadedFile) -> media.Probe:
    if isinstance(upload, TemporaryUploadedFile):
        return media.probe(Path(upload.temporary_file_path()))
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name or "").suffix) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        return media.probe(Path(copy.name))


class SequenceForm(forms.ModelForm[Sequence]):
    request: HttpRequest | None = None

    class Meta:
        model = Sequence
        fields = [
            "title",
            "slug",
            "description",
            "instructor",
            "level",
            "focus_areas",
            "equipment",
            "is_free_preview",
            "status",
            "publish_at",
            "source",
        ]

    source_seconds: float | None = None

    def clean_source(self) -> object:
        from django.conf import settings

        source = self.cleaned_data.get("source")
        limit = filesizeformat(settings.LIBRARY_MAX_UPLOAD_BYTES)
        if getattr(self.request, "upload_too_large", False):
            raise forms.ValidationError(f"This file is larger than the upload limit of {limit}.")
        if isinstance(source, UploadedFile):
            if source.size and source.size > settings.LIBRARY_MAX_UPLOAD_BYTES:
                raise forms.ValidationError(
                    f"This file is larger than the upload limit of {limit}."
                )
            try:
                self.source_seconds = _probe_upload(source).duration
            except media.MediaError as e:
                raise forms.ValidationError(f"This file can't be used as a video: {e}") from None
        return source

    def clean(self) -> dict[str, Any]:
        """Store a new source now, so a storage that fails is a message on this form.

        The model then keeps the stored name (a FileField given a name saves nothing
        again). Nothing else of the form is saved when the storage refuses the file.
        """
        data = super().clean() or {}
        source = data.get("source")
        if isinstance(source, UploadedFile) and not self.errors:
            field = Sequence._meta.get_field("source")
            name = field.generate_filename(self.instance, source.name or "source.mp4")
            try:
                data["source"] = field.storage.save(name, source)
            except STORAGE_ERRORS as e:
                log.warning("Storing the upload %s failed", name, exc_info=True)
                raise forms.ValidationError(
                    {
                        "source": f"The video could not be stored: {describe(e)} Nothing was "
                        "saved; try again once the storage answers."
                    }
                ) from None
        return data


class CaptionForm(forms.ModelForm[Caption]):
    upload = forms.FileField(
        required=False, help_text="A .vtt or .srt file. SRT is converted to WebVTT."
    )

    class Meta:
        model = Caption
        fields = ["language", "label", "upload", "vtt"]
        widgets = {"vtt": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vtt"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        text = upload.read().decode("utf-8", errors="replace") if upload else data.get("vtt", "")
        if not text and not self.instance.pk:
            raise forms.ValidationError("Upload a captions file or paste WebVTT.")
        try:
            data["vtt"] = to_webvtt(text)
        except CaptionError as e:
            raise forms.ValidationError(str(e)) from None
        return data


class ChapterInline(admin.TabularInline[Chapter, Sequence]):
    model = Chapter
    extra = 1


class CaptionInline(admin.StackedInline[Caption, Sequence]):
    model = Caption
    form = CaptionForm
    extra = 0


@admin.register(Sequence)
class SequenceAdmin(admin.ModelAdmin[Sequence]):
    form = SequenceForm
    list_display = ("title", "status", "publish_at", "is_free_preview", "video")
    list_filter = ("status", "is_free_preview", "level", "focus_areas")
    search_fields = ("title", "description")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("focus_areas", "equipment")
    autocomplete_fields = ("instructor",)
    readonly_fields = ("video", "duration_seconds")
    inlines = [ChapterInline, CaptionInline]
    actions = ["transcode_again"]

    class Media:
        js = ("js/encoding-status.js",)
        css = {"all": ("css/admin.css",)}

    def get_form(
        self, request: HttpRequest, obj: Sequence | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request  # type: ignore[attr-defined]
        return form

    @admin.display(description="Video")
    def video(self, obj: Sequence) -> SafeString:
        latest = obj.encodings.first() if obj.pk else None
        if latest is None:
            return format_html("{}", "No video yet: upload a source and save.")
        return format_html(
            '<div class="encoding-status" data-encoding-status data-url="/api/library/encodings/{}"'
            ' data-state="{}"><progress max="1" value="{}"></progress>'
            " <span data-label>{}</span><pre data-error>{}</pre></div>",
            latest.pk,
            latest.state,
            latest.progress,
            f"{latest.get_state_display()} {round(latest.progress * 100)}%",
            latest.error,
        )

    def save_model(self, request: HttpRequest, obj: Sequence, form: Any, change: bool) -> None:
        if form.source_seconds:
            # Kept so queueing the transcode needn't download the source to measure it.
            obj.duration_seconds = round(form.source_seconds)
        super().save_model(request, obj, form, change)
        if "source" in form.changed_data and obj.source:
            try:
                encoding_start(sequence=obj)
                messages.info(request, "Transcoding started; progress shows on this page.")
            except EncodingError as e:
                messages.warning(request, str(e))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        sequence_reindex(sequence=form.instance)

    @admin.action(description="Transcode again from the source")
    def transcode_again(self, request: HttpRequest, queryset: QuerySet[Sequence]) -> None:
        for sequence in queryset:
            try:
                encoding_start(sequence=sequence)
                self.message_user(request, f"Transcoding {sequence}.")
            except EncodingError as e:
                self.message_user(request, f"{sequence}: {e}", messages.WARNING)


@admin.register(Encoding)
class EncodingAdmin(admin.ModelAdmin[Encoding]):
    list_display = ("sequence", "state", "progress", "created_at", "finished_at")
    list_filter = ("state",)
    readonly_fields = [f.name for f in Encoding._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Retry failed runs")
    def retry(self, request: HttpRequest, queryset: QuerySet[Encoding]) -> None:
        for encoding in queryset.filter(state=Encoding.State.FAILED):
            try:
                encoding_start(sequence=encoding.sequence)
                self.message_user(request, f"Transcoding {encoding.sequence} again.")
            except EncodingError as e:
                self.message_user(request, f"{encoding.sequence}: {e}", messages.WARNING)


class CollectionItemInline(admin.TabularInline[CollectionItem, Collection]):
    model = CollectionItem
    extra = 1
    autocomplete_fields = ("sequence",)


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin[Collection]):
    prepopulated_fields = {"slug": ("title",)}
    inlines = [CollectionItemInline]


@admin.register(FocusArea, Equipment)
class TagAdmin(admin.ModelAdmin[FocusArea]):
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)
