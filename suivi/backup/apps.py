from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "suivi.backup"
    verbose_name = "Sauvegarde"
