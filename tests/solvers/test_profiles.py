"""Solver profiles: defaults, normalised tags, ISO countries, and who sees a profile."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from solvers import services
from solvers.models import SolverProfile, country_choices, country_codes
from tests.api_calls import call
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

MINE = reverse("solvers:profile_edit")


def _profile(**changes):
    user = UserFactory(full_name="Grace Hopper")
    services.profile_get_or_create(user=user)
    return services.profile_update(user=user, **changes)


def _page(pk):
    return reverse("solvers:profile_detail", args=[pk])


# Service


def test_created_private_on_first_use_with_the_persons_name():
    user = UserFactory(full_name="Grace Hopper")
    profile = services.profile_get_or_create(user=user)
    assert (profile.display_name, profile.is_public, profile.expertise) == (
        "Grace Hopper",
        False,
        [],
    )
    assert services.profile_get_or_create(user=user).pk == profile.pk
    assert SolverProfile.objects.filter(user=user).count() == 1


def test_without_a_name_the_display_name_is_the_local_part_of_the_address():
    user = UserFactory(full_name="", email="ghopper@navy.example")
    assert services.profile_get_or_create(user=user).display_name == "ghopper"


def test_tags_are_trimmed_lower_cased_and_deduplicated():
    profile = _profile(expertise=["  Polymer   Chemistry ", "SEA water", "polymer chemistry", " "])
    assert profile.expertise == ["polymer chemistry", "sea water"]
    assert SolverProfile.objects.get(pk=profile.pk).expertise == ["polymer chemistry", "sea water"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"expertise": [f"tag {n}" for n in range(21)]}, "expertise"),
        ({"expertise": ["x" * 41]}, "expertise"),
        ({"expertise": "polymers"}, "expertise"),
        ({"expertise": [3]}, "expertise"),
        ({"display_name": "   "}, "display_name"),
        ({"display_name": "x" * 101}, "display_name"),
        ({"country": "XX"}, "country"),
        ({"country": "EU"}, "country"),
        ({"organisation": "x" * 201}, "organisation"),
    ],
)
def test_bad_profile_data_is_refused_and_nothing_changes(changes, field):
    user = UserFactory(full_name="Grace Hopper")
    before = services.profile_update(user=user, expertise=["compilers"], country="US")
    with pytest.raises(ValidationError) as caught:
        services.profile_update(user=user, is_public=True, **changes)
    assert list(caught.value.message_dict) == [field]
    after = SolverProfile.objects.get(pk=before.pk)
    assert (after.expertise, after.country, after.is_public) == (["compilers"], "US", False)


def test_twenty_tags_of_forty_characters_are_fine_and_countries_are_upper_cased():
    tags = [f"{n:02d}" + "x" * 38 for n in range(20)]
    profile = _profile(expertise=tags, country="de", organisation="  Navy  ")
    assert (profile.expertise, profile.country, profile.organisation) == (tags, "DE", "Navy")


def test_countries_are_the_249_iso_codes_named_in_the_readers_language():
    codes = country_codes()
    assert len(codes) == 249
    assert {"DE", "US", "SS", "AQ", "BQ"} <= codes
    assert not {"EU", "UN", "XK", "ZZ", "QO", "AC"} & codes
    with translation.override("es"):
        assert dict(country_choices())["DE"] == "Alemania"
    assert dict(country_choices())["DE"] == "Germany"


# Pages


def test_my_profile_page_saves_the_form(client):
    user = UserFactory(full_name="Grace Hopper")
    client.force_login(user)
    assert "Grace Hopper" in client.get(MINE).content.decode()
    response = client.post(
        MINE,
        {
            "display_name": "Amazing Grace",
            "country": "US",
            "expertise": "Compilers, COBOL,,",
            "organisation": "Navy",
            "is_public": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == MINE
    profile = SolverProfile.objects.get(user=user)
    assert (profile.display_name, profile.country, profile.expertise, profile.is_public) == (
        "Amazing Grace",
        "US",
        ["compilers", "cobol"],
        True,
    )


@pytest.mark.parametrize(
    "target", ["https://evil.example/award", "//evil.example/award", "javascript:alert(1)"]
)
def test_my_profile_page_ignores_a_next_page_off_the_site(client, target):
    client.force_login(UserFactory(full_name="Grace Hopper"))
    response = client.post(
        f"{MINE}?{urlencode({'next': target})}",
        {"full_name": "Grace Hopper", "display_name": "Grace", "country": ""},
    )
    assert response.status_code == 302 and response["Location"] == MINE


def test_my_profile_page_shows_the_services_refusal_and_saves_nothing(client):
    user = UserFactory(full_name="Grace Hopper")
    client.force_login(user)
    tags = ", ".join(f"tag {n}" for n in range(21))
    response = client.post(
        MINE,
        {"full_name": "Grace B. Hopper", "display_name": "G", "country": "", "expertise": tags},
    )
    assert response.status_code == 400
    assert "Give at most 20 tags." in response.content.decode()
    assert SolverProfile.objects.get(user=user).expertise == []
    user.refresh_from_db()
    assert user.full_name == "Grace Hopper"


def test_my_profile_page_needs_a_login(client):
    response = client.get(MINE)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_private_profile_is_seen_only_by_its_owner_and_staff(client):
    profile = _profile(expertise=["compilers"])
    url = _page(profile.pk)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    for viewer in (profile.user, StaffFactory()):
        client.force_login(viewer)
        content = client.get(url).content.decode()
        assert "Grace Hopper" in content and "This profile is private" in content


def test_a_public_profile_is_seen_by_everyone(client):
    profile = _profile(expertise=["compilers"], country="US", organisation="Navy", is_public=True)
    content = client.get(_page(profile.pk)).content.decode()
    assert "Grace Hopper" in content and "United States" in content
    assert "compilers" in content and "Navy" in content
    assert profile.user.email not in content


def test_an_unknown_profile_is_a_404(client):
    assert client.get(_page(987654)).status_code == 404


# API


def test_my_profile_over_the_api():
    user = UserFactory(full_name="Grace Hopper")
    assert call(None, "get", "/api/v1/me/profile/").status_code == 401
    body = call(user, "get", "/api/v1/me/profile/").json()
    assert (body["display_name"], body["is_public"], body["expertise"]) == (
        "Grace Hopper",
        False,
        [],
    )
    response = call(
        user,
        "patch",
        "/api/v1/me/profile/",
        {"expertise": ["Compilers"], "country": "us", "is_public": True},
    )
    assert response.status_code == 200
    assert response.json()["expertise"] == ["compilers"]
    assert response.json()["country_name"] == "United States"
    assert SolverProfile.objects.get(user=user).is_public is True


def test_bad_profile_data_over_the_api_is_a_400_with_fields():
    user = UserFactory()
    call(user, "patch", "/api/v1/me/profile/", {"expertise": ["optics"]})
    response = call(
        user, "patch", "/api/v1/me/profile/", {"expertise": ["x" * 41], "country": "ZZ"}
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"expertise", "country"}
    assert SolverProfile.objects.get(user=user).expertise == ["optics"]


def test_the_api_shows_public_profiles_only():
    private = _profile()
    public = _profile(is_public=True, expertise=["compilers"])
    for viewer in (None, UserFactory(), private.user):
        assert call(viewer, "get", f"/api/v1/solvers/{private.pk}/").status_code == 404
    body = call(None, "get", f"/api/v1/solvers/{public.pk}/").json()
    assert body == {
        "id": public.pk,
        "display_name": "Grace Hopper",
        "country": "",
        "country_name": "",
        "expertise": ["compilers"],
        "organisation": "",
    }
