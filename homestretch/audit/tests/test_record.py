import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from homestretch.accounts.testing import make_alice
from homestretch.audit.models import AuditEntry, record


@pytest.mark.django_db
def test_it_records_who_did_what_to_which_item_in_full() -> None:
    alice = make_alice()
    summary = "a summary far longer than the old log's two hundred characters " * 5
    entry = record(actor=alice, action="homework.consent_granted", item=alice, summary=summary)
    entry.refresh_from_db()
    assert (entry.actor, entry.action, entry.item) == (alice, "homework.consent_granted", alice)
    assert entry.summary == summary


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["approve", "Comment.approve", "comment.", "x." + "y" * 70])
def test_it_refuses_an_action_without_a_namespace_or_too_long(action: str) -> None:
    with pytest.raises(ValueError, match="namespaced"):
        record(actor=None, action=action, item=make_alice(), summary="s")
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_status_too_long_to_store_instead_of_cutting_it() -> None:
    with pytest.raises(ValueError, match="longer"):
        record(
            actor=None, action="billing.grant", item=make_alice(), summary="s", to_status="x" * 33
        )


@pytest.mark.django_db
def test_each_app_reads_its_own_namespace() -> None:
    alice = make_alice()
    record(actor=None, action="billing.grant", item=alice, summary="g")
    record(actor=None, action="comment.approve", item=alice, summary="c")
    record(actor=None, action="billingx.other", item=alice, summary="not billing")
    assert [e.summary for e in AuditEntry.objects.for_namespace("billing")] == ["g"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_the_old_moderation_log_with_namespaced_actions() -> None:
    executor = MigrationExecutor(connection)
    before = [("audit", "0001_initial"), ("moderation", "0001_initial")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    ContentType = old_apps.get_model("contenttypes", "ContentType")
    Old = old_apps.get_model("moderation", "AuditEntry")
    comment_type, _ = ContentType.objects.get_or_create(app_label="articles", model="comment")
    grant_type, _ = ContentType.objects.get_or_create(app_label="billing", model="accessgrant")
    Old.objects.create(
        action="approve", content_type=comment_type, object_id=1, summary="comment by A"
    )
    old_grant = Old.objects.create(
        action="grant change", content_type=grant_type, object_id=2, summary="Access for B"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = {e.summary: e for e in AuditEntry.objects.all()}
    assert moved["comment by A"].action == "comment.approve"
    assert moved["Access for B"].action == "billing.grant_change"
    assert moved["Access for B"].created_at == old_grant.created_at
