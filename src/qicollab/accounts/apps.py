from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "qicollab.accounts"
    label = "accounts"
