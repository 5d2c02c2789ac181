"""Being built (issue 2): placeholder routes answer 404 until implemented."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


token_list = _todo
token_revoke = _todo
