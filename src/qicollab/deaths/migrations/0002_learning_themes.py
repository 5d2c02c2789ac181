from django.db import migrations


def add_themes(apps, schema_editor):
    from qicollab.deaths.themes import DEFAULT_THEMES

    LearningTheme = apps.get_model("deaths", "LearningTheme")
    for slug, name in DEFAULT_THEMES:
        LearningTheme.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("deaths", "0001_initial")]
    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
