import warnings

from django.apps import AppConfig
from django.conf import settings


class CoreConfig(AppConfig):
    name = "qicollab.core"
    label = "core"

    def ready(self) -> None:
        configure_pillow()
        from qicollab.core.forms import refuse_unstorable_text

        refuse_unstorable_text()


def configure_pillow() -> None:
    """Hold every Image.open in the process to the upload pixel limit, as an error.

    Pillow's default (89 MP, and only a warning below twice that) let a 9,400 by 9,400 PNG
    decode to 1.6 GB. Upload checkers read the size from the header and refuse first, with a
    clearer message; this is the net for any other caller.
    """
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow is a dependency
        return
    Image.MAX_IMAGE_PIXELS = int(settings.UPLOAD_MAX_IMAGE_PIXELS)
    warnings.simplefilter("error", Image.DecompressionBombWarning)
