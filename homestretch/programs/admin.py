"""Staff build programs here. Members' self-checks, logs and outcome checks are private
health data and are deliberately not in the admin."""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from homestretch.programs.models import DayItem, Program, ProgramDay, RedFlag


@admin.register(RedFlag)
class RedFlagAdmin(admin.ModelAdmin[RedFlag]):
    list_display = ["question", "is_urgent", "is_active", "position"]
    list_editable = ["is_urgent", "is_active", "position"]
    list_display_links = ["question"]


class ProgramDayInline(admin.TabularInline[ProgramDay, Program]):
    model = ProgramDay
    fields = ["number", "title", "is_checkpoint", "items_link"]
    readonly_fields = ["items_link"]
    extra = 0

    @admin.display(description="Items")
    def items_link(self, day: ProgramDay) -> str:
        if not day.pk:
            return "Save first, then add items."
        url = reverse("admin:programs_programday_change", args=[day.pk])
        return format_html('<a href="{}">Edit the items of day {}</a>', url, day.number)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin[Program]):
    list_display = ["title", "condition", "unlock", "is_published", "day_count"]
    list_filter = ["is_published", "condition"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ProgramDayInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Program]:
        return super().get_queryset(request).annotate(day_total=Count("days"))

    @admin.display(description="Days", ordering="day_total")
    def day_count(self, program: Program) -> int:
        return program.day_total  # type: ignore[attr-defined]


class DayItemInline(admin.StackedInline[DayItem, ProgramDay]):
    model = DayItem
    fields = ["position", "kind", "sequence", "article", "lesson_title", "lesson_body"]
    autocomplete_fields = ["sequence", "article"]
    extra = 0


@admin.register(ProgramDay)
class ProgramDayAdmin(admin.ModelAdmin[ProgramDay]):
    list_display = ["__str__", "program", "is_checkpoint"]
    list_filter = ["program"]
    list_select_related = ["program"]
    inlines = [DayItemInline]
