"""Being built (issue 2): placeholder routes answer 404 until implemented."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


invitation_list = _todo
invitation_create = _todo
organisation_invitation_create = _todo
invitation_revoke = _todo
invitation_accept = _todo
