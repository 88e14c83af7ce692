from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.html import format_html

from homestretch.articles.forms import ArticleAdminForm, ArticleImageForm
from homestretch.articles.models import Article, ArticleImage, Comment, EmailOptOut, Page, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


class ArticleImageInline(admin.TabularInline[ArticleImage, Article]):
    model = ArticleImage
    form = ArticleImageForm
    extra = 1
    readonly_fields = ("markdown_to_paste",)

    @admin.display(description="Markdown to paste")
    def markdown_to_paste(self, obj: ArticleImage) -> str:
        return format_html("<code>{}</code>", obj.markdown) if obj.pk else "Save to get it."


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin[Article]):
    form = ArticleAdminForm
    list_display = ("title", "status", "published_at", "author", "reading_minutes")
    list_filter = ("status", "tags")
    search_fields = ("title", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("tags", "related_sequences")
    date_hierarchy = "published_at"
    inlines = [ArticleImageInline]
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "body")}),
        ("Publishing", {"fields": ("status", "published_at", "author", "tags", "comments_open")}),
        (
            "Cover and links",
            {"fields": ("cover", "cover_alt", "finder_badge", "related_sequences")},
        ),
    )

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, str | list[str]]:
        return {"author": str(request.user.pk)}

    def save_model(
        self, request: HttpRequest, obj: Article, form: ModelForm[Article], change: bool
    ) -> None:
        obj.render()
        super().save_model(request, obj, form, change)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin[Comment]):
    """For looking things up; decisions are made in the moderation queue, which logs them."""

    list_display = ("__str__", "article", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("body", "name", "email", "user__email")
    readonly_fields = [f.name for f in Comment._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Comment]:
        return super().get_queryset(request).select_related("article", "user")


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin[EmailOptOut]):
    list_display = ("email", "topic", "created_at")
    search_fields = ("email",)


@admin.register(Page)
class PageAdmin(admin.ModelAdmin[Page]):
    """/privacy/, /terms/ and /contact/: staff write them; the HTML is rendered on save."""

    list_display = ("title", "slug", "updated_at")

    def save_model(
        self, request: HttpRequest, obj: Page, form: ModelForm[Page], change: bool
    ) -> None:
        obj.render()
        super().save_model(request, obj, form, change)
