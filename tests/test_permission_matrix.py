"""Who may open which page: one table for every page and the admin, persona by persona.

Each row is a URL (name and symbolic arguments), a method, and the status every persona
gets, written out as literals derived from ``organisations/rules.py`` and
``accounts/rules.py``:

* 302 for anonymous visitors on member pages (sent to log in);
* 404 where the object is outside the persona's world (existence is private);
* 403 where they can see the object but may not do this to it.

A test fails if a page in the ``core``, ``organisations`` or ``accounts`` URLconfs has no
row, so a new page cannot be forgotten. Below the table: content checks (what a 200 does
not show) and POSTs by unauthorised personas that must change nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from qicollab.accounts.models import ApiToken, Invitation, hash_token
from qicollab.collaborative.models import Theme
from qicollab.organisations.models import Affiliation, CollaborativeMembership, Organisation
from tests import factories as f
from tests.conftest import PERSONAS, World

ANON = "anonymous"
EVERYONE = (ANON, *PERSONAS)

# Pages the table cannot meaningfully cover, and why.
EXCLUDED = {
    "accounts:invitation_accept": "token-only: anyone holding the link may open it; "
    "covered by the invitation tests",
    "accounts:password_reset_confirm": "token-only: the signed link decides, not the persona; "
    "covered by the password reset tests",
}


@dataclass(frozen=True)
class Row:
    name: str
    args: tuple[str, ...]
    method: str
    expect: dict[str, int]
    data: dict[str, str] = field(default_factory=dict)


def row(
    name: str,
    *args: str,
    method: str = "GET",
    default: int,
    data: dict[str, str] | None = None,
    **overrides: int,
) -> Row:
    """A row: every persona gets ``default`` unless named (``anonymous=302``)."""
    unknown = set(overrides) - set(EVERYONE)
    assert not unknown, f"unknown personas {unknown}"
    return Row(name, args, method, {p: overrides.get(p, default) for p in EVERYONE}, data or {})


# Member pages: anonymous visitors are sent to log in.
LOGIN = 302

PAGES = [
    # --- core ------------------------------------------------------------------------
    row("organisations:home", default=200),
    row("core:accessibility", default=200),
    row("core:privacy", default=200),
    row("core:healthz", default=200),
    row("core:readyz", default=200),
    # Scrapers only: loopback without a proxy header (the test client is 127.0.0.1), else a
    # bearer token (tests/core/test_observability.py covers the refusals).
    row("core:metrics", default=200),
    # --- organisations ---------------------------------------------------------------
    row("organisations:organisation_list", default=200, anonymous=LOGIN),
    row("organisations:organisation_create", default=403, anonymous=LOGIN,
        national_admin=200, collab_lead=200),
    # Trust A is visible to its own people, its collaborative's people and coordinators.
    row("organisations:organisation_detail", "trust_a", default=200, anonymous=LOGIN,
        pm_o=404, outsider=404),
    # National admins see every organisation's page (not its people).
    row("organisations:organisation_detail", "trust_o", default=404, anonymous=LOGIN,
        national_admin=200, pm_o=200),
    # The AHSN leads C but is not a member of it: only its own staff see its page.
    row("organisations:organisation_detail", "ahsn", default=404, anonymous=LOGIN,
        national_admin=200, collab_lead=200),
    row("organisations:organisation_edit", "trust_a", default=403, anonymous=LOGIN,
        national_admin=200, pm_a=200, pm_o=404, outsider=404),
    row("organisations:organisation_edit", "trust_o", default=404, anonymous=LOGIN,
        national_admin=403, pm_o=200),
    row("organisations:collaborative_list", default=200),
    row("organisations:collaborative_switch", default=405, anonymous=LOGIN),
    row("organisations:collaborative_switch", method="POST", data={"collaborative": "collab"},
        default=302),
    # C is public: everyone sees its page (what they see differs; see the content tests).
    row("organisations:collaborative_detail", "collab", default=200),
    # D is private: it does not exist for anyone outside it, logged in or not.
    row("organisations:collaborative_detail", "other_collab", default=404, pm_o=200),
    row("organisations:collaborative_edit", "collab", default=403, anonymous=LOGIN,
        national_admin=200, collab_lead=200),
    row("organisations:collaborative_edit", "other_collab", default=404, anonymous=LOGIN,
        pm_o=403),
    row("organisations:membership_add", "collab", default=403, anonymous=LOGIN,
        national_admin=200, collab_lead=200),
    row("organisations:membership_add", "other_collab", default=404, anonymous=LOGIN,
        pm_o=403),
    row("organisations:membership_end", "collab", "membership_a", default=403,
        anonymous=LOGIN, national_admin=200, collab_lead=200),
    row("organisations:membership_end", "other_collab", "membership_o", default=404,
        anonymous=LOGIN, pm_o=403),
    # --- accounts --------------------------------------------------------------------
    row("accounts:login", default=302, anonymous=200),
    row("accounts:logout", default=200, anonymous=302),
    row("accounts:profile", default=200, anonymous=LOGIN),
    row("accounts:person_list", default=200, anonymous=LOGIN),
    # Staff of trust A: seen by colleagues and C's coordinators; not by trust B's staff.
    row("accounts:person_detail", "person:staff_a", default=200, anonymous=LOGIN,
        staff_b=404, pm_o=404, outsider=404),
    # A programme manager is a named contact for every member of the collaborative.
    row("accounts:person_detail", "person:pm_a", default=200, anonymous=LOGIN,
        pm_o=404, outsider=404),
    row("accounts:person_detail", "person:faculty", default=200, anonymous=LOGIN,
        pm_o=404, outsider=404),
    row("accounts:person_detail", "person:pm_o", default=404, anonymous=LOGIN, pm_o=200),
    row("accounts:person_detail", "person:outsider", default=404, anonymous=LOGIN,
        outsider=200),
    row("accounts:password_reset", default=200),
    row("accounts:password_reset_sent", default=200),
    row("accounts:password_reset_done", default=200),
    row("accounts:password_change", default=200, anonymous=LOGIN),
    # Programme managers (and national admins) invite their organisation's staff.
    row("accounts:invitation_list", "trust_a", default=403, anonymous=LOGIN,
        national_admin=200, pm_a=200, pm_o=404, outsider=404),
    row("accounts:invitation_list", "trust_o", default=404, anonymous=LOGIN,
        national_admin=403, pm_o=200),
    row("accounts:invitation_create", "trust_a", default=403, anonymous=LOGIN,
        national_admin=200, pm_a=200, pm_o=404, outsider=404),
    row("accounts:invitation_create", "trust_o", default=404, anonymous=LOGIN,
        national_admin=403, pm_o=200),
    # Leads bring organisations into their collaborative.
    row("accounts:organisation_invitation_create", "collab", default=403, anonymous=LOGIN,
        national_admin=200, collab_lead=200),
    row("accounts:organisation_invitation_create", "other_collab", default=404,
        anonymous=LOGIN, pm_o=403),
    row("accounts:invitation_revoke", "invitation_a", method="POST", default=403,
        anonymous=LOGIN, national_admin=302, pm_a=302, pm_o=404, outsider=404),
    row("accounts:invitation_resend", "invitation_a", method="POST", default=403,
        anonymous=LOGIN, national_admin=302, pm_a=302, pm_o=404, outsider=404),
    row("accounts:token_list", default=200, anonymous=LOGIN),
    # Tokens are private to their owner: anyone else's is "not found".
    row("accounts:token_revoke", "token_staff_a", method="POST", default=404,
        anonymous=LOGIN, staff_a=302),
    # Everyone manages their own calendar link (the feed it opens is tested in tests/events).
    row("accounts:calendar_feed", default=200, anonymous=LOGIN),
    row("accounts:calendar_feed", method="POST", data={"action": "reset"}, default=302),
]  # fmt: skip

# The admin: every persona is made staff (the is_staff gate is tested on its own), plus a
# superuser. Objects outside a persona's scope: Django redirects to the admin index (302)
# if they could view some objects of that kind, else 403.
ADMIN_PERSONAS = ("superuser", *PERSONAS)
ADMIN_EVERYONE = (ANON, *ADMIN_PERSONAS)


def admin_row(name: str, *args: str, default: int, **overrides: int) -> Row:
    unknown = set(overrides) - set(ADMIN_EVERYONE)
    assert not unknown, f"unknown personas {unknown}"
    expect = {p: overrides.get(p, default) for p in ADMIN_PERSONAS}
    expect[ANON] = overrides.get(ANON, 302)  # to the admin's login page
    return Row(f"admin:{name}", args, "GET", expect)


ADMIN = [
    admin_row("index", default=200),
    admin_row("organisations_organisation_changelist", default=200, outsider=403),
    admin_row("organisations_organisation_change", "trust_a", default=200,
              pm_o=302, outsider=403),
    admin_row("organisations_organisation_change", "trust_o", default=302,
              superuser=200, national_admin=200, pm_o=200, outsider=403),
    admin_row("organisations_organisation_history", "trust_a", default=200,
              pm_o=404, outsider=404),
    admin_row("organisations_organisation_history", "trust_o", default=404,
              superuser=200, national_admin=200, pm_o=200),
    admin_row("organisations_organisation_add", default=403,
              superuser=200, national_admin=200, collab_lead=200),
    # Only superusers delete organisations and collaboratives.
    admin_row("organisations_organisation_delete", "trust_a", default=403, superuser=200),
    admin_row("organisations_collaborative_changelist", default=200, outsider=403),
    admin_row("organisations_collaborative_change", "collab", default=200,
              pm_o=302, outsider=403),
    admin_row("organisations_collaborative_change", "other_collab", default=302,
              superuser=200, pm_o=200, outsider=403),
    admin_row("organisations_collaborative_delete", "collab", default=403, superuser=200),
    admin_row("organisations_nationalprogramme_changelist", default=403,
              superuser=200, national_admin=200),
    admin_row("organisations_affiliation_changelist", default=200, outsider=403),
    # People at trust A: their colleagues and C's coordinators; not trust B's staff.
    admin_row("organisations_affiliation_change", "affiliation_staff_a", default=200,
              staff_b=302, pm_o=302, outsider=403),
    admin_row("organisations_affiliation_add", default=403, superuser=200),
    admin_row("accounts_person_changelist", default=200),
    admin_row("accounts_person_change", "person:staff_a", default=200,
              staff_b=302, pm_o=302, outsider=302),
    admin_row("accounts_person_add", default=403, superuser=200),
    # The password page asks for no old password: superusers only.
    admin_row("auth_user_password_change", "person:staff_a", default=403, superuser=200),
    admin_row("accounts_invitation_changelist", default=403,
              superuser=200, national_admin=200, collab_lead=200, pm_a=200, pm_o=200),
    admin_row("accounts_invitation_change", "invitation_a", default=403,
              superuser=200, national_admin=200, pm_a=200, collab_lead=302, pm_o=302),
    admin_row("accounts_invitation_add", default=403),
    admin_row("accounts_apitoken_changelist", default=200),
    admin_row("accounts_apitoken_change", "token_staff_a", default=302,
              superuser=200, staff_a=200),
    admin_row("collaborative_workstream_changelist", default=200, outsider=403),
    admin_row("collaborative_theme_change", "theme_c", default=200, pm_o=302, outsider=403),
    admin_row("collaborative_theme_change", "theme_d", default=302,
              superuser=200, pm_o=200, outsider=403),
]  # fmt: skip


# --- the fixtures the symbolic arguments refer to -------------------------------------


@pytest.fixture
def objects(world: World) -> dict[str, Any]:
    """Named objects for the rows' arguments, on top of the shared world."""
    p = world.people
    invitation = Invitation.objects.create(
        kind="staff",
        email="new.starter@example.nhs.uk",
        organisation=world.trust_a,
        invited_by=p["pm_a"],
        token_hash=hash_token("matrix-invitation-token"),
        expires_at=timezone.now() + dt.timedelta(days=14),
    )
    token = ApiToken.objects.create(
        person=p["staff_a"], name="ward feed", key_prefix="qic_abcd", key_hash=hash_token("k")
    )
    return {
        "trust_a": world.trust_a.slug,
        "trust_o": world.trust_o.slug,
        "ahsn": world.ahsn.slug,
        "collab": world.collab.slug,
        "other_collab": world.other_collab.slug,
        "membership_a": CollaborativeMembership.objects.get(
            collaborative=world.collab, organisation=world.trust_a
        ).pk,
        "membership_o": CollaborativeMembership.objects.get(
            collaborative=world.other_collab, organisation=world.trust_o
        ).pk,
        "invitation_a": invitation.pk,
        "token_staff_a": token.pk,
        **{f"person:{name}": person.pk for name, person in p.items()},
    }


@pytest.fixture
def admin_objects(world: World, objects: dict[str, Any]) -> dict[str, Any]:
    """Admin rows address objects by primary key; every persona is made staff."""
    for person in world.people.values():
        person.is_staff = True
        person.save(update_fields=["is_staff"])
    world.people["superuser"] = f.PersonFactory(
        email="superuser@example.nhs.uk", full_name="Super User", is_staff=True, is_superuser=True
    )
    return {
        **objects,
        "trust_a": world.trust_a.pk,
        "trust_o": world.trust_o.pk,
        "collab": world.collab.pk,
        "other_collab": world.other_collab.pk,
        "affiliation_staff_a": Affiliation.objects.get(person=world.people["staff_a"]).pk,
        "theme_c": Theme.objects.create(collaborative=world.collab, name="C", slug="c").pk,
        "theme_d": Theme.objects.create(collaborative=world.other_collab, name="D", slug="d").pk,
    }


def _url(r: Row, objects: dict[str, Any]) -> str:
    return reverse(r.name, args=[objects[a] for a in r.args])


def _client(world: World, persona: str) -> Client:
    c = Client()
    if persona != ANON:
        c.force_login(world.people[persona], backend="django.contrib.auth.backends.ModelBackend")
    return c


def _request(c: Client, r: Row, url: str, objects: dict[str, Any]) -> Any:
    if r.method == "POST":
        data = {k: str(objects.get(v, v)) for k, v in r.data.items()}
        return c.post(url, data)
    return c.get(url)


def _params(rows: list[Row]) -> list[Any]:
    return [pytest.param(r, id=f"{r.name}({','.join(r.args)})-{r.method}") for r in rows]


def _check_row(
    r: Row, world: World, objects: dict[str, Any], login_url: str, redirect_url: str
) -> None:
    """Request the row's URL as every persona; report every mismatch at once.

    Each persona's request runs in a savepoint that is rolled back, so a POST by one
    persona (withdrawing an invitation, say) does not change what the next one finds.
    """
    url = _url(r, objects)
    problems = []
    for persona, expected in r.expect.items():
        with transaction.atomic():
            response = _request(_client(world, persona), r, url, objects)
            transaction.set_rollback(True)
        got = response.status_code
        if got != expected:
            problems.append(f"{persona:>15}: expected {expected}, got {got}")
        elif got == 302 and expected == 302:
            target = login_url if persona == ANON else redirect_url
            location = response["Location"]
            if target and not location.startswith(target):
                problems.append(f"{persona:>15}: redirected to {location}, not {target}")
    assert not problems, f"{r.method} {url}\n" + "\n".join(problems)


@pytest.mark.parametrize("r", _params(PAGES))
def test_page_permissions(r: Row, world: World, objects: dict[str, Any]) -> None:
    # Anonymous visitors are sent to log in (with ?next= back, except from logging out);
    # logged-in redirects are the pages' own.
    _check_row(r, world, objects, reverse("accounts:login"), "")


@pytest.mark.parametrize("r", _params(ADMIN))
def test_admin_permissions(r: Row, world: World, admin_objects: dict[str, Any]) -> None:
    # Out-of-scope objects look like missing ones: Django sends people to the admin index.
    _check_row(r, world, admin_objects, reverse("admin:login"), reverse("admin:index"))


# --- every page has a row -----------------------------------------------------------


def _named_patterns(namespaces: set[str]) -> set[str]:
    found: set[str] = set()

    def walk(resolver: URLResolver, ns: str | None) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                walk(p, p.namespace or ns)
            elif isinstance(p, URLPattern) and ns in namespaces:
                assert p.name, f"unnamed URL pattern {p.pattern} in {ns}"
                found.add(f"{ns}:{p.name}")

    walk(get_resolver(), None)
    return found


def test_every_page_has_a_row() -> None:
    pages = _named_patterns({"core", "organisations", "accounts"})
    assert len(pages) > 20  # the walk really found the URLconfs
    covered = {r.name for r in PAGES}
    missing = pages - covered - set(EXCLUDED)
    assert not missing, f"add rows to PAGES for {sorted(missing)}"
    stale = (covered | set(EXCLUDED)) - pages
    assert not stale, f"rows for pages that no longer exist: {sorted(stale)}"


def test_every_row_names_every_persona() -> None:
    for r in PAGES:
        assert set(r.expect) == set(EVERYONE), r.name
    for r in ADMIN:
        assert set(r.expect) == set(ADMIN_EVERYONE), r.name


# --- what a 200 shows ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees_people"),
    [("pm_a", True), ("staff_a", True), ("faculty", True), ("national_admin", True),
     ("staff_b", False)],
)  # fmt: skip
def test_organisation_people_table_is_private(
    persona: str, sees_people: bool, world: World
) -> None:
    response = _client(world, persona).get(world.trust_a.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert (f"People at {world.trust_a.name}" in html) is sees_people
    assert ("Staff A" in html) is sees_people


@pytest.mark.parametrize("persona", [ANON, "outsider", "pm_o"])
def test_public_collaborative_page_has_no_member_links(persona: str, world: World) -> None:
    response = _client(world, persona).get(world.collab.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert world.trust_a.name in html  # members are public…
    assert world.trust_a.get_absolute_url() not in html  # …their pages are not linked
    assert world.people["pm_a"].get_absolute_url() not in html
    assert world.people["faculty"].get_absolute_url() not in html
    assert "History of changes" not in html


def test_member_sees_member_links(world: World) -> None:
    html = _client(world, "staff_b").get(world.collab.get_absolute_url()).content.decode()
    assert world.trust_a.get_absolute_url() in html
    assert world.people["pm_a"].get_absolute_url() in html


def test_admin_changelists_show_only_the_personas_world(
    world: World, admin_objects: dict[str, Any]
) -> None:
    orgs = _client(world, "pm_o").get(reverse("admin:organisations_organisation_changelist"))
    html = orgs.content.decode()
    assert world.trust_o.name in html
    assert world.trust_a.name not in html
    people = _client(world, "staff_b").get(reverse("admin:accounts_person_changelist"))
    html = people.content.decode()
    assert "Pm A" in html  # trust A's programme manager is a named contact
    assert "Staff A" not in html
    assert "Pm O" not in html


def test_admin_view_only_page_has_no_save_button(
    world: World, admin_objects: dict[str, Any]
) -> None:
    url = reverse("admin:organisations_organisation_change", args=[world.trust_a.pk])
    assert 'name="_save"' not in _client(world, "staff_a").get(url).content.decode()
    assert 'name="_save"' in _client(world, "pm_a").get(url).content.decode()


def test_admin_never_shows_a_password_hash(world: World, admin_objects: dict[str, Any]) -> None:
    person = world.people["staff_a"]
    for persona in ("superuser", "staff_a"):
        url = reverse("admin:accounts_person_change", args=[person.pk])
        html = _client(world, persona).get(url).content.decode()
        assert "Password" in html
        assert person.password not in html
        assert "md5$" not in html and "argon2" not in html and "pbkdf2" not in html


def test_admin_requires_is_staff(world: World) -> None:
    for persona in PERSONAS:  # the world's people are not staff
        response = _client(world, persona).get(reverse("admin:index"))
        assert response.status_code == 302, persona
        assert response["Location"].startswith(reverse("admin:login"))
        changelist = reverse("admin:organisations_organisation_changelist")
        assert _client(world, persona).get(changelist).status_code == 302


# --- unauthorised writes change nothing ---------------------------------------------


def _org_form(org: Organisation, **changes: str) -> dict[str, str]:
    data = {
        "name": org.name,
        "short_name": org.short_name,
        "org_type": org.org_type,
        "ods_code": org.ods_code,
        "region": org.region,
        "website": org.website,
        "description": org.description,
        "loaded_version": org.updated_at.isoformat(),
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(("persona", "status"), [("staff_a", 403), ("staff_b", 403),
                                                 ("collab_lead", 403), ("pm_o", 404),
                                                 ("outsider", 404), (ANON, 302)])  # fmt: skip
def test_unauthorised_organisation_edit_changes_nothing(
    persona: str, status: int, world: World
) -> None:
    org = world.trust_a
    url = reverse("organisations:organisation_edit", args=[org.slug])
    response = _client(world, persona).post(url, _org_form(org, name="Renamed by intruder"))
    assert response.status_code == status
    org.refresh_from_db()
    assert org.name == "Avon Test Partnership NHS Trust"
    assert org.history.count() == 1  # only its creation


def test_authorised_organisation_edit_does_change_it(world: World) -> None:
    """The positive control for the test above: the same POST by trust A's manager works."""
    org = world.trust_a
    url = reverse("organisations:organisation_edit", args=[org.slug])
    response = _client(world, "pm_a").post(url, _org_form(org, name="Avon Renamed NHS Trust"))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "Avon Renamed NHS Trust"


@pytest.mark.parametrize("persona", ["faculty", "pm_a", "staff_b", "outsider"])
def test_unauthorised_collaborative_edit_changes_nothing(persona: str, world: World) -> None:
    collab = world.collab
    url = reverse("organisations:collaborative_edit", args=[collab.slug])
    data = {"name": "Hijacked", "kind": "topic", "loaded_version": collab.updated_at.isoformat()}
    assert _client(world, persona).post(url, data).status_code == 403
    collab.refresh_from_db()
    assert collab.name == "Test Mental Health Collaborative"


@pytest.mark.parametrize("persona", ["faculty", "pm_a", "pm_o", "outsider"])
def test_unauthorised_membership_changes_change_nothing(persona: str, world: World) -> None:
    add = reverse("organisations:membership_add", args=[world.collab.slug])
    data = {"organisation": str(world.trust_o.pk), "joined_on": "2025-01-01"}
    assert _client(world, persona).post(add, data).status_code == 403
    assert not world.collab.memberships.filter(organisation=world.trust_o).exists()
    membership = world.collab.memberships.get(organisation=world.trust_b)
    end = reverse("organisations:membership_end", args=[world.collab.slug, membership.pk])
    assert _client(world, persona).post(end, {"left_on": "2025-06-01"}).status_code == 403
    membership.refresh_from_db()
    assert membership.left_on is None


def test_switching_to_someone_elses_collaborative_is_refused(world: World) -> None:
    c = _client(world, "pm_a")
    url = reverse("organisations:collaborative_switch")
    c.post(url, {"collaborative": str(world.other_collab.pk)})
    assert "current_collaborative_id" not in c.session
    c.post(url, {"collaborative": str(world.collab.pk)})
    assert c.session["current_collaborative_id"] == world.collab.pk


# pm_o could change some organisations, so trust A (outside their scope) looks missing:
# Django redirects to the admin index. The others may change none, so they get 403.
@pytest.mark.parametrize(("persona", "status"), [("staff_a", 403), ("faculty", 403),
                                                 ("pm_o", 302), ("outsider", 403)])  # fmt: skip
def test_unauthorised_admin_edit_changes_nothing(
    persona: str, status: int, world: World, admin_objects: dict[str, Any]
) -> None:
    org = world.trust_a
    url = reverse("admin:organisations_organisation_change", args=[org.pk])
    data = {**_org_form(org, name="Renamed in admin"), "slug": org.slug}
    assert _client(world, persona).post(url, data).status_code == status
    org.refresh_from_db()
    assert org.name == "Avon Test Partnership NHS Trust"


def test_authorised_admin_edit_does_change_it(world: World, admin_objects: dict[str, Any]) -> None:
    org = world.trust_a
    url = reverse("admin:organisations_organisation_change", args=[org.pk])
    data = {**_org_form(org, name="Avon Renamed NHS Trust"), "slug": org.slug}
    response = _client(world, "pm_a").post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    org.refresh_from_db()
    assert org.name == "Avon Renamed NHS Trust"
    assert org.history.first().history_user == world.people["pm_a"]


def test_admin_cannot_grant_yourself_more_access(
    world: World, admin_objects: dict[str, Any]
) -> None:
    me = world.people["pm_a"]
    url = reverse("admin:accounts_person_change", args=[me.pk])
    data = {
        "email": "hijack@example.nhs.uk",
        "full_name": "Pm A",
        "job_title": "Programme manager",
        "profession": "",
        "lived_experience": "",
        "is_superuser": "on",
        "is_staff": "on",
        "is_active": "on",
    }
    response = _client(world, "pm_a").post(url, data)
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.job_title == "Programme manager"  # the profile field did change…
    assert not me.is_superuser  # …the access fields and login did not
    assert me.email == "pm_a@example.nhs.uk"


def test_admin_cannot_move_an_affiliation_elsewhere(
    world: World, admin_objects: dict[str, Any]
) -> None:
    affiliation = Affiliation.objects.get(person=world.people["staff_a"])
    url = reverse("admin:organisations_affiliation_change", args=[affiliation.pk])
    data = {
        "person": str(world.people["pm_o"].pk),
        "organisation": str(world.trust_o.pk),
        "role": "programme_manager",
        "started_on": str(affiliation.started_on),
        "ended_on": "",
    }
    assert _client(world, "pm_a").post(url, data).status_code == 302
    affiliation.refresh_from_db()
    assert affiliation.organisation == world.trust_a
    assert affiliation.person == world.people["staff_a"]
    assert affiliation.role == "programme_manager"  # the role is theirs to change


@pytest.mark.parametrize("persona", ["pm_a", "national_admin", "collab_lead"])
def test_only_superusers_delete_organisations_in_admin(
    persona: str, world: World, admin_objects: dict[str, Any]
) -> None:
    url = reverse("admin:organisations_organisation_delete", args=[world.trust_a.pk])
    assert _client(world, persona).post(url, {"post": "yes"}).status_code == 403
    assert Organisation.objects.filter(pk=world.trust_a.pk).exists()


def test_admin_bulk_delete_is_refused_without_permission(
    world: World, admin_objects: dict[str, Any]
) -> None:
    url = reverse("admin:organisations_organisation_changelist")
    data = {"action": "delete_selected", "_selected_action": [str(world.trust_a.pk)], "post": "yes"}
    _client(world, "pm_a").post(url, data)
    assert Organisation.objects.filter(pk=world.trust_a.pk).exists()


def test_history_cannot_be_posted_back(world: World, admin_objects: dict[str, Any]) -> None:
    """simple_history would save a POSTed old version with only a view permission."""
    org = world.trust_a
    record = org.history.first()
    url = reverse(
        "admin:organisations_organisation_simple_history", args=[org.pk, record.history_id]
    )
    data = {**_org_form(org, name="Reverted by a viewer"), "slug": org.slug}
    assert _client(world, "staff_a").post(url, data).status_code == 403
    assert _client(world, "pm_o").get(url).status_code == 404
    assert _client(world, "staff_a").get(url).status_code == 200
    org.refresh_from_db()
    assert org.name == "Avon Test Partnership NHS Trust"


def test_admin_choices_are_scoped(world: World, admin_objects: dict[str, Any]) -> None:
    """Drop-downs do not list people or organisations outside the operator's world."""
    theme = Theme.objects.get(pk=admin_objects["theme_c"])
    url = reverse("admin:collaborative_workstream_add")
    html = _client(world, "collab_lead").get(url).content.decode()
    assert world.collab.name in html
    assert world.other_collab.name not in html
    assert "Pm O" not in html  # workstream leads: people the lead can see
    assert "Staff A" in html
    assert theme.collaborative == world.collab


def test_admin_filters_do_not_list_other_collaboratives(
    world: World, admin_objects: dict[str, Any]
) -> None:
    html = _client(world, "staff_a").get(reverse("admin:collaborative_theme_changelist"))
    assert world.collab.name in html.content.decode()
    assert world.other_collab.name not in html.content.decode()


def test_national_admin_can_save_a_collaborative_in_admin(
    world: World, admin_objects: dict[str, Any]
) -> None:
    """The lead organisation (an AHSN outside their scope) stays a valid choice."""
    collab = world.collab
    url = reverse("admin:organisations_collaborative_change", args=[collab.pk])
    memberships = list(collab.memberships.order_by("pk"))
    data = {
        "name": collab.name,
        "short_name": "TMHC",
        "slug": collab.slug,
        "kind": collab.kind,
        "lead_organisation": str(world.ahsn.pk),
        "region": "",
        "purpose": "",
        "started_on": "",
        "ends_on": "",
        "is_public": "on",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "roles-TOTAL_FORMS": "2",
        "roles-INITIAL_FORMS": "2",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }
    for i, m in enumerate(memberships):
        data |= {
            f"memberships-{i}-id": str(m.pk),
            f"memberships-{i}-collaborative": str(collab.pk),
            f"memberships-{i}-organisation": str(m.organisation_id),
            f"memberships-{i}-programme_manager": str(m.programme_manager_id or ""),
            f"memberships-{i}-joined_on": str(m.joined_on),
            f"memberships-{i}-left_on": "",
        }
    for i, r in enumerate(collab.roles.order_by("role", "person__full_name")):
        data |= {
            f"roles-{i}-id": str(r.pk),
            f"roles-{i}-collaborative": str(collab.pk),
            f"roles-{i}-person": str(r.person_id),
            f"roles-{i}-role": r.role,
            f"roles-{i}-title": r.title,
        }
    response = _client(world, "national_admin").post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    collab.refresh_from_db()
    assert collab.short_name == "TMHC"
    assert collab.programme == world.programme  # read-only for them, so unchanged
