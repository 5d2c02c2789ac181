"""Personal API tokens: the page, the services and the API's token check."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from qicollab.accounts import services
from qicollab.accounts.models import ApiToken, Person, hash_token
from qicollab.api.auth import TokenAuth

pytestmark = pytest.mark.django_db

TOKENS = reverse("accounts:token_list")


def test_tokens_page_needs_login(world: Any, login: Any) -> None:
    response = login(None).get(TOKENS)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_create_shows_the_key_once(world: Any, login: Any) -> None:
    client = login(world.people["staff_a"])
    response = client.post(TOKENS, {"name": "Ward data feed"})
    assert response.status_code == 302
    token = ApiToken.objects.get(person=world.people["staff_a"])
    page = client.get(TOKENS)
    html = page.content.decode()
    assert "You will not see this key again" in html
    key = html.split('id="new-token-key" type="text" value="', 1)[1].split('"', 1)[0]
    assert key.startswith("qic_")
    assert token.key_hash == hash_token(key)
    assert token.key_prefix == key[:12]
    assert key not in str(ApiToken.objects.values().get())
    assert page["Cache-Control"] and "no-store" in page["Cache-Control"]
    # Reloading does not show it again, and does not create another token.
    again = client.get(TOKENS).content.decode()
    assert key not in again
    assert token.key_prefix in again
    assert ApiToken.objects.count() == 1


def test_list_shows_name_prefix_dates_and_status(world: Any, login: Any) -> None:
    person = world.people["staff_a"]
    used, _ = services.api_token_create(actor=person, name="Used one")
    ApiToken.objects.filter(pk=used.pk).update(last_used_at=timezone.now())
    gone, _ = services.api_token_create(actor=person, name="Old one")
    services.api_token_revoke(actor=person, token=gone)
    services.api_token_create(actor=world.people["staff_b"], name="Not mine")
    html = login(person).get(TOKENS).content.decode()
    assert "Used one" in html and "Old one" in html
    assert "Not mine" not in html
    assert used.key_prefix in html
    assert "Active" in html and "Revoked" in html and "Never" in html
    assert html.count("/revoke/") == 1  # only the active token can be revoked


def test_name_is_required_and_must_be_unique_among_active_tokens(world: Any, login: Any) -> None:
    client = login(world.people["staff_a"])
    response = client.post(TOKENS, {"name": "   "})
    assert response.status_code == 200
    assert "Enter a name for the token" in response.content.decode()
    client.post(TOKENS, {"name": "Feed"})
    response = client.post(TOKENS, {"name": "feed"})
    assert response.status_code == 200
    assert "You already have a token called" in response.content.decode()
    assert ApiToken.objects.count() == 1


def test_revoke_own_token(world: Any, login: Any) -> None:
    token, _ = services.api_token_create(actor=world.people["staff_a"], name="Feed")
    client = login(world.people["staff_a"])
    assert client.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True)
    assert "has been revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize("persona", ["staff_b", "pm_a", "national_admin", "outsider"])
def test_someone_elses_token_is_not_found(world: Any, login: Any, persona: str) -> None:
    token, _ = services.api_token_create(actor=world.people["staff_a"], name="Feed")
    response = login(world.people[persona]).post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_revoke_service_refuses_other_peoples_tokens(world: Any) -> None:
    from django.core.exceptions import PermissionDenied

    token, _ = services.api_token_create(actor=world.people["staff_a"], name="Feed")
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=world.people["staff_b"], token=token)


# --- TokenAuth ------------------------------------------------------------------------------


def _auth(key: str) -> Any:
    request = RequestFactory().get("/api/people", HTTP_AUTHORIZATION=f"Bearer {key}")
    return TokenAuth().authenticate(request, key)


def test_token_auth_accepts_a_valid_token_and_records_use(world: Any) -> None:
    token, key = services.api_token_create(actor=world.people["staff_a"], name="Feed")
    assert _auth(key) == world.people["staff_a"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_auth_refuses_revoked_wrong_and_inactive(world: Any) -> None:
    token, key = services.api_token_create(actor=world.people["staff_a"], name="Feed")
    assert _auth(key[:-2] + "xx") is None
    assert _auth(key.replace("qic_", "abc_")) is None
    assert _auth("qic_") is None
    Person.objects.filter(pk=world.people["staff_a"].pk).update(is_active=False)
    assert _auth(key) is None
    Person.objects.filter(pk=world.people["staff_a"].pk).update(is_active=True)
    assert _auth(key) is not None
    services.api_token_revoke(actor=world.people["staff_a"], token=token)
    assert _auth(key) is None


def test_a_revoked_token_gets_401_from_the_api(world: Any, client: Any) -> None:
    token, key = services.api_token_create(actor=world.people["staff_a"], name="Feed")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/people", **headers).status_code == 200
    services.api_token_revoke(actor=world.people["staff_a"], token=token)
    response = client.get("/api/people", **headers)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_names_are_escaped_and_buttons_have_hidden_context(world: Any, login: Any) -> None:
    services.api_token_create(actor=world.people["staff_a"], name="<b>feed</b>")
    html = login(world.people["staff_a"]).get(TOKENS).content.decode()
    assert "<b>feed</b>" not in html
    assert (
        'Revoke<span class="nhsuk-u-visually-hidden"> the token &lt;b&gt;feed&lt;/b&gt;</span>'
        in html
    )
