# Sponsors: a third kind of collaborative role (choices only; no schema change in the table).

from django.db import migrations, models

ROLE_CHOICES = [("lead", "Collaborative lead"), ("faculty", "Faculty"), ("sponsor", "Sponsor")]


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0002_ods_unique_message"),
    ]

    operations = [
        migrations.AlterField(
            model_name="collaborativerole",
            name="role",
            field=models.CharField(choices=ROLE_CHOICES, max_length=10),
        ),
        migrations.AlterField(
            model_name="historicalcollaborativerole",
            name="role",
            field=models.CharField(choices=ROLE_CHOICES, max_length=10),
        ),
    ]
