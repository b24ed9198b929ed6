from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "volunteers"

    def ready(self) -> None:
        from volunteers.services.data_rights import data_rights_register

        # The accounts layer erases a volunteer's account (retention sweep, admin action) by
        # this app's service, which it cannot import: registered here.
        data_rights_register()
