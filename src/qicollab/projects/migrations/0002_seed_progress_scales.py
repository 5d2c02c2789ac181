"""Seed the two published wordings of the IHI Assessment Scale for Collaboratives.

The wording lives in ``qicollab.projects.scale_data`` (constants only; a change of wording is
a new scale version, never an edit, so this migration's meaning does not drift).
"""

from django.db import migrations

from qicollab.projects.scale_data import seed_scales


def seed(apps, schema_editor):
    seed_scales(apps.get_model("projects", "ScaleDefinition"), apps.get_model("projects", "ScaleLevel"))


def unseed(apps, schema_editor):
    ScaleDefinition = apps.get_model("projects", "ScaleDefinition")
    ScaleDefinition.objects.filter(code__in=["ihi-lifeqi", "ihi-collaborative"], version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
