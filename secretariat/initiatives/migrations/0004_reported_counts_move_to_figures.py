"""Reported numbers of meetings held become figures.ReportedFigure about the body, measure
meetings_held (the one model of every count a source states): each row with its citations
and variants, its times and version kept. Reversible: the rows go back the same way."""

from django.db import migrations

FIELDS = ("note", "editorial_note", "as_of_date", "as_of_precision", "value", "version")
MEASURE = "meetings_held"


def _types(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    get = ContentType.objects.get_or_create
    body = get(app_label="bodies", model="body")[0]
    old = get(app_label="initiatives", model="reportedcount")[0]
    new = get(app_label="figures", model="reportedfigure")[0]
    return body, old, new


def _move_links(apps, *, old_type, old_id, new_type, new_id):
    for name in ("Citation", "Variant"):
        apps.get_model("core", name).objects.filter(
            content_type=old_type, object_id=old_id
        ).update(content_type=new_type, object_id=new_id)


def forward(apps, schema_editor):
    Old = apps.get_model("initiatives", "ReportedCount")
    New = apps.get_model("figures", "ReportedFigure")
    body_type, old_type, new_type = _types(apps)
    for row in Old.objects.order_by("id"):
        moved = New.objects.create(
            subject_type=body_type,
            subject_id=row.body_id,
            measure=MEASURE,
            **{name: getattr(row, name) for name in FIELDS},
        )
        New.objects.filter(pk=moved.pk).update(created_at=row.created_at, updated_at=row.updated_at)
        _move_links(apps, old_type=old_type, old_id=row.pk, new_type=new_type, new_id=moved.pk)


def backward(apps, schema_editor):
    Old = apps.get_model("initiatives", "ReportedCount")
    New = apps.get_model("figures", "ReportedFigure")
    body_type, old_type, new_type = _types(apps)
    for row in New.objects.filter(subject_type=body_type, measure=MEASURE).order_by("id"):
        back = Old.objects.create(
            body_id=row.subject_id, **{name: getattr(row, name) for name in FIELDS}
        )
        Old.objects.filter(pk=back.pk).update(created_at=row.created_at, updated_at=row.updated_at)
        _move_links(apps, old_type=new_type, old_id=row.pk, new_type=old_type, new_id=back.pk)
        row.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("bodies", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_editorial_note"),
        ("figures", "0001_reported_figures"),
        ("initiatives", "0003_editorial_note"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="ReportedCount"),
    ]
