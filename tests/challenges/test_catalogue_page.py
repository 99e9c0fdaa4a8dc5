"""The catalogue page draws its filters and cards without the widget and card templates,
and keeps them in the cache: the same HTML as the templates drew (English and Spanish,
every published state, hidden Seekers, several currencies, filters checked, selected
and in error), and no stale page once the catalogue changes."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db import connection
from django.http import QueryDict
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.challenges import catalogue_version
from marketplace.challenges.feeds import feed_query
from marketplace.challenges.forms import CatalogueForm
from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.challenges.selectors import catalogue
from marketplace.lifecycle.services import challenges_close_expired
from tests.api_calls import call
from tests.factories import ChallengeFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("catalogue")
STATES = [S.OPEN, S.CLOSED, S.JUDGING, S.AWARDING, S.COMPLETED, S.NO_AWARD]
ALL_STATES = "&".join(f"state={s}" for s in STATES)

# The catalogue's content as the templates drew it: the form through its widgets, each
# card through the shared `_challenge_card.html` and its includes.
TEMPLATES_DREW = """{% load i18n %}
<h1>{% translate "Challenges" %}</h1>
<form method="get" action="{% url 'catalogue' %}" class="card filters" role="search">
  {% for field in form %}
    <div class="field">
      {% if field.field.widget.input_type == "checkbox" %}<fieldset><legend>{{ field.label }}</legend>{{ field }}</fieldset>{% else %}{{ field.label_tag }}{{ field }}{% endif %}
      {{ field.errors }}
    </div>
  {% endfor %}
  <div class="field"><button type="submit">{% translate "Filter" %}</button></div>
</form>
<p class="muted">{% blocktranslate count counter=page.paginator.count %}{{ counter }} challenge{% plural %}{{ counter }} challenges{% endblocktranslate %}</p>
<p class="muted">{% translate "Follow new challenges matching these filters:" %} <a href="{% url 'catalogue_rss' %}{% if feed_query %}?{{ feed_query }}{% endif %}">RSS</a> · <a href="{% url 'catalogue_atom' %}{% if feed_query %}?{{ feed_query }}{% endif %}">Atom</a></p>
{% if page.object_list %}
  <div class="grid">{% for challenge in page.object_list %}{% include "marketplace/_challenge_card.html" %}{% endfor %}</div>
{% else %}
  <p class="muted">{% translate "No challenge matches these filters." %}</p>
{% endif %}
{% if page.has_other_pages %}
<nav class="pagination" aria-label="{% translate 'Pages' %}">
  {% if page.has_previous %}<a href="{% querystring page=page.previous_page_number %}" rel="prev">{% translate "Previous" %}</a>{% endif %}
  <span>{% blocktranslate with number=page.number total=page.paginator.num_pages %}Page {{ number }} of {{ total }}{% endblocktranslate %}</span>
  {% if page.has_next %}<a href="{% querystring page=page.next_page_number %}" rel="next">{% translate "Next" %}</a>{% endif %}
</nav>
{% endif %}"""


def normalised(html: str) -> str:
    """Whitespace runs as one space, none between tags."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def drawn(response) -> str:
    html = response.content.decode()
    return normalised(html[html.index("<h1>") : html.index("</main>")])


def templates_drew(query_string: str, language: str) -> str:
    """The content for this query string as the templates drew it, from model rows."""
    request = RequestFactory().get(f"{CATALOGUE}?{query_string}")
    request.user = AnonymousUser()
    with translation.override(language):
        form = CatalogueForm(QueryDict(query_string))
        paginator = Paginator(catalogue(form.query()), settings.MARKETPLACE["CATALOGUE_PAGE_SIZE"])
        page = paginator.get_page(request.GET.get("page"))
        html = Template(TEMPLATES_DREW).render(
            RequestContext(
                request,
                {"form": form, "page": page, "feed_query": feed_query(request.GET, form.errors)},
            )
        )
    return normalised(html)


@pytest.fixture
def varied(org):
    """Every published state in three currencies, every other Seeker hidden, 0-2 solvers."""
    now = timezone.now()
    made = []
    for n, state in enumerate(STATES):
        for m, (currency, pool) in enumerate((("USD", 2_500_050), ("EUR", 99), ("JPY", 10_000))):
            challenge = ChallengeFactory(
                organization=org,
                state=state,
                currency=currency,
                prize_pool=pool + n,
                plan=False,
                hide_seeker=(n + m) % 2 == 0,
                title=f"Challenge <{n}-{m}> & co",
                submission_deadline=now + timedelta(days=n * 3 + m - 4, hours=1),
            )
            RegistrationFactory.create_batch(m, challenge=challenge)
            made.append(challenge)
    return made


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    "query_string",
    [
        "",
        ALL_STATES,
        ALL_STATES + "&page=2",
        ALL_STATES + "&currency=EUR&sort=-prize&kind=ideation&kind=rtp&q=%3Cco%3E",
        "state=closed&state=draft&prize_min=abc&prize_max=5&deadline_before=31/31/2020"
        "&currency=XXX&sort=bogus&kind=nope",
        "state=completed&state=no_award&deadline_before=2030-01-31&prize_min=0.5",
    ],
)
def test_the_same_html_as_the_templates_drew(client, varied, language, query_string):
    response = client.get(f"{CATALOGUE}?{query_string}", headers={"accept-language": language})
    assert response.status_code == 200
    assert drawn(response) == templates_drew(query_string, language)


def test_every_card_fact_is_drawn(client, varied, settings):
    """The comparison above holds facts worth seeing on their own."""
    settings.MARKETPLACE = {**settings.MARKETPLACE, "CATALOGUE_PAGE_SIZE": 50}
    content = client.get(f"{CATALOGUE}?{ALL_STATES}").content.decode()
    assert "Challenge &lt;0-0&gt; &amp; co" in content
    assert "$25,000.50" in content and "€0.99" in content and "¥10,000" in content
    assert 'class="badge state-no_award">No award</span>' in content
    assert "1 solver registered" in content and "2 solvers registered" in content
    assert "closed " in content and "closes in " in content
    hidden = varied[0]
    shown = varied[1]
    assert hidden.hide_seeker and not shown.hide_seeker
    assert content.count(f" · {shown.organization.name}</p>") == sum(
        not c.hide_seeker for c in varied
    )


class TestCache:
    def test_a_cached_page_runs_no_query_and_the_count_of_queries_does_not_grow(
        self, client, django_assert_num_queries
    ):
        ChallengeFactory.create_batch(3, state=S.OPEN, plan=False)
        with django_assert_num_queries(2):  # the count and the page's rows
            client.get(CATALOGUE)
        with django_assert_num_queries(0):
            client.get(CATALOGUE)
        ChallengeFactory.create_batch(20, state=S.OPEN, plan=False)
        with django_assert_num_queries(2):
            client.get(CATALOGUE, {"page": 2})

    def test_a_challenge_saved_shows_at_once(self, client):
        challenge = ChallengeFactory(state=S.OPEN, title="Before")
        assert "Before" in client.get(CATALOGUE).text
        challenge.title = "After"
        challenge.save()
        assert "After" in client.get(CATALOGUE).text

    def test_closed_in_bulk_leaves_at_once(self, client):
        ChallengeFactory(state=S.OPEN, title="Overdue", submission_deadline=timezone.now())
        assert "Overdue" in client.get(CATALOGUE).text
        assert challenges_close_expired() == 1
        content = client.get(CATALOGUE).text
        assert "Overdue" not in content and "0 challenges" in content

    def test_created_in_bulk_shows_at_once(self, client, org, owner):
        ChallengeFactory(state=S.OPEN, organization=org)
        assert "1 challenge<" in client.get(CATALOGUE).text
        template = ChallengeFactory(state=S.OPEN, organization=org, title="Template")
        client.get(CATALOGUE)
        Challenge.objects.bulk_create(
            [
                Challenge(
                    organization=org,
                    created_by=owner,
                    title=f"Bulk {n}",
                    summary="s",
                    brief="b",
                    kind=template.kind,
                    prize_pool=100,
                    currency="USD",
                    ip_model=template.ip_model,
                    submission_deadline=template.submission_deadline,
                    judging_deadline=template.judging_deadline,
                    state=S.OPEN,
                )
                for n in range(2)
            ]
        )
        content = client.get(CATALOGUE).text
        assert "4 challenges" in content and "Bulk 1" in content

    def test_a_registration_counts_at_once(self, client):
        challenge = ChallengeFactory(state=S.OPEN)
        assert "0 solvers registered" in client.get(CATALOGUE).text
        registration = RegistrationFactory(challenge=challenge)
        assert "1 solver registered" in client.get(CATALOGUE).text
        registration.delete()
        assert "0 solvers registered" in client.get(CATALOGUE).text

    def test_each_language_has_its_page(self, client):
        ChallengeFactory(state=S.OPEN)
        assert "$25,000.00" in client.get(CATALOGUE).text
        spanish = client.get(CATALOGUE, headers={"accept-language": "es"}).text
        assert "25.000,00\xa0US$" in spanish

    def test_relative_times_are_drawn_again_each_minute(self, client, monkeypatch):
        """A change no writer announced (here raw SQL) shows within the minute."""
        challenge = ChallengeFactory(state=S.OPEN, title="Before")
        monkeypatch.setattr(catalogue_version, "current_minute", lambda: 1)
        assert "Before" in client.get(CATALOGUE).text
        with connection.cursor() as cursor:
            table = Challenge._meta.db_table
            cursor.execute(f"UPDATE {table} SET title = 'After' WHERE id = %s", [challenge.pk])
        assert "Before" in client.get(CATALOGUE).text
        monkeypatch.setattr(catalogue_version, "current_minute", lambda: 2)
        assert "After" in client.get(CATALOGUE).text


class TestApiCache:
    def test_the_count_and_rows_are_kept_until_the_catalogue_changes(
        self, client, org, django_assert_num_queries
    ):
        ChallengeFactory.create_batch(2, state=S.OPEN, organization=org, plan=False)
        with django_assert_num_queries(2):  # the count and the page's rows
            first = client.get("/api/v1/challenges/").json()
        with django_assert_num_queries(0):
            again = client.get("/api/v1/challenges/", {"page": 1}).json()
        assert again == first and first["count"] == 2 and len(first["results"]) == 2
        Challenge.objects.filter(organization=org).update(state=S.CLOSED)
        assert client.get("/api/v1/challenges/").json() == {
            "count": 0,
            "next": None,
            "previous": None,
            "results": [],
        }
        closed = client.get("/api/v1/challenges/", {"state": "closed"}).json()
        assert closed["count"] == 2
        assert [item["state"] for item in closed["results"]] == ["closed", "closed"]

    def test_a_registration_counts_at_once(self, client):
        challenge = ChallengeFactory(state=S.OPEN)
        assert client.get("/api/v1/challenges/").json()["results"][0]["solver_count"] == 0
        RegistrationFactory(challenge=challenge)
        assert client.get("/api/v1/challenges/").json()["results"][0]["solver_count"] == 1

    def test_mine_is_never_counted_from_the_cache(self, org, owner):
        ChallengeFactory(organization=org)
        assert call(owner, "get", "/api/v1/challenges/?mine=1").json()["count"] == 1
        ChallengeFactory(organization=org)
        assert call(owner, "get", "/api/v1/challenges/?mine=1").json()["count"] == 2
