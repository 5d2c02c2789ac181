"""The Django admin, limited by the same roles as the pages.

The admin is an operator's tool, not a back door: a person needs ``is_staff`` to open it,
and once in they see and change only what the pages would let them (the same
:class:`~qicollab.accounts.roles.Roles` snapshot and ``rules`` predicates). Superusers see
everything. Deleting is for superusers unless a model says otherwise, because the product
ends things (memberships, affiliations, invitations) rather than deleting them.

A subclass declares the ``rules`` permission names and how to scope its queryset::

    class OrganisationAdmin(ScopedModelAdmin):
        view_perm = "organisations.view_organisation"
        change_perm = "organisations.change_organisation"

        def scope_queryset(self, request, qs, roles):
            return qs.filter(pk__in=roles.visible_org_ids)
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from qicollab.accounts.roles import Roles, roles_for


def is_operator(user: Any) -> bool:
    """Only active staff may use the admin at all."""
    return bool(getattr(user, "is_active", False) and getattr(user, "is_staff", False))


def _is_superuser(user: Any) -> bool:
    return bool(is_operator(user) and getattr(user, "is_superuser", False))


class ScopedChoicesMixin:
    """Limit foreign-key and many-to-many choices to what the operator may see.

    A drop-down of every person or organisation in the system would leak them to any
    operator, and would let a programme manager point a record at someone else's data.
    """

    def scoped_choices(
        self, request: HttpRequest, db_field: models.Field[Any, Any], qs: QuerySet[Any]
    ) -> QuerySet[Any]:
        """The choices for ``db_field``; subclasses narrow further by field name."""
        return default_choices(request, qs)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        field: ModelChoiceField[Any] | None = super().formfield_for_foreignkey(  # type: ignore[misc]
            db_field, request, **kwargs
        )
        if field is not None and field.queryset is not None and not _is_superuser(request.user):
            field.queryset = self.scoped_choices(request, db_field, field.queryset)
        return field

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        field: ModelMultipleChoiceField[Any] | None = super().formfield_for_manytomany(  # type: ignore[misc]
            db_field, request, **kwargs
        )
        if field is not None and field.queryset is not None and not _is_superuser(request.user):
            field.queryset = self.scoped_choices(request, db_field, field.queryset)
        return field


def default_choices(request: HttpRequest, qs: QuerySet[Any]) -> QuerySet[Any]:
    """People, organisations, collaboratives and programmes the operator may see."""
    from qicollab.accounts import selectors as people
    from qicollab.accounts.models import Person
    from qicollab.organisations.models import Collaborative, NationalProgramme, Organisation

    user = request.user
    r = roles_for(user)
    model = qs.model
    if model is Person:
        return qs.filter(pk__in=people.person_list(viewer=user).values("pk"))
    if model is Organisation:
        return qs.filter(pk__in=r.visible_org_ids)
    if model is Collaborative:
        return qs.filter(pk__in=r.visible_collab_ids)
    if model is NationalProgramme:
        return qs.filter(admins=user.pk)
    return qs


class ScopedModelAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):  # type: ignore[misc]
    """A ``ModelAdmin`` whose rows and permissions come from the person's roles."""

    #: ``rules`` permission names, checked against :meth:`perm_object`. ``None`` means
    #: superusers only. Anyone who may change an object may also view it.
    view_perm: ClassVar[str | None] = None
    change_perm: ClassVar[str | None] = None
    add_perm: ClassVar[str | None] = None
    delete_perm: ClassVar[str | None] = None

    def perm_object(self, obj: Any) -> Any:
        """The object the permission is about (an affiliation's organisation, say)."""
        return obj

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        """Rows a non-superuser operator may see. Subclasses must override this."""
        return qs.none()

    # --- what the operator sees -----------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs: QuerySet[Any] = super().get_queryset(request)
        if _is_superuser(request.user):
            return qs
        if not is_operator(request.user):
            return qs.none()
        return self.scope_queryset(request, qs, roles_for(request.user))

    def in_scope(self, request: HttpRequest, object_id: Any) -> bool:
        if _is_superuser(request.user):
            return True
        try:
            return self.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, TypeError):
            return False

    # --- what the operator may do ---------------------------------------------------

    def may(self, request: HttpRequest, perm: str | None, target: Any = None) -> bool:
        """Whether the operator has ``perm`` on ``target`` (``None``: on any object)."""
        user = request.user
        if not is_operator(user):
            return False
        if _is_superuser(user):
            return True
        if perm is None:
            return False
        return bool(user.has_perm(perm, target))

    def allowed(self, request: HttpRequest, perm: str | None, obj: Any = None) -> bool:
        """Like :meth:`may`, for one of this admin's objects (via :meth:`perm_object`)."""
        if obj is None:
            # No object: "could this person do it to any of them?" (menus, changelists).
            return self.may(request, perm)
        target = self.perm_object(obj)
        if target is None:
            return False
        return self.may(request, perm, target)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allowed(request, self.view_perm, obj) or self.has_change_permission(
            request, obj
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allowed(request, self.change_perm, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.allowed(request, self.add_perm)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allowed(request, self.delete_perm, obj)

    # --- history ------------------------------------------------------------------

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # simple_history falls back to the last historical record when the object is not
        # in the queryset; out-of-scope objects must look absent, as on the pages.
        if not self.in_scope(request, object_id):
            raise Http404
        response: HttpResponse = super().history_view(request, object_id, extra_context)
        return response

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if not self.in_scope(request, object_id):
            raise Http404
        # simple_history saves a POSTed old version with only a view permission check.
        # Reverting is switched off (SIMPLE_HISTORY_REVERT_DISABLED), so nobody may POST.
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        response: HttpResponse = super().history_form_view(
            request, object_id, version_id, extra_context
        )
        return response


class ScopedInline(ScopedChoicesMixin, admin.TabularInline):  # type: ignore[type-arg]
    """An inline whose permissions follow its parent object's admin.

    ``allow_delete`` lets people who may change the parent remove rows; otherwise only
    superusers may (rows such as memberships are ended, not deleted).
    """

    extra = 0
    allow_delete: ClassVar[bool] = False

    def _parent_admin(self) -> ScopedModelAdmin:
        parent = self.admin_site.get_model_admin(self.parent_model)
        assert isinstance(parent, ScopedModelAdmin)
        return parent

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent_admin().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent_admin().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return self._parent_admin().has_add_permission(request)
        return self._parent_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if _is_superuser(request.user):
            return True
        return self.allow_delete and self._parent_admin().has_change_permission(request, obj)
