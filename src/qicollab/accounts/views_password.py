"""Being built (issue 2): placeholder routes answer 404 until implemented."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


reset_request = _todo
reset_sent = _todo
reset_confirm = _todo
reset_done = _todo
change = _todo
