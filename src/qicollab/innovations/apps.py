from django.apps import AppConfig


class InnovationsConfig(AppConfig):
    """Innovations and their spread; it adds links to lower apps' pages by contribution."""

    name = "qicollab.innovations"
    label = "innovations"

    def ready(self) -> None:
        from qicollab.core import contributions
        from qicollab.innovations import pages

        contributions.register("collaborative.workstream_detail", pages.workstream_link)
        contributions.register("collaborative.theme_detail", pages.theme_link)
        contributions.register("events.session_detail", pages.session_harvest)
        contributions.register("events.storyboard_gallery", pages.gallery_innovations)
        contributions.register("projects.project_detail", pages.project_links)
