"""The top navigation per audience: the Seeker dashboard for organisation members, the
staff pages under one Staff menu."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from marketplace.organisations.context_processors import organisation_membership
from marketplace.organisations.roles import OrgRole
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("seekers:dashboard")
STAFF_PAGES = [
    "staff_dashboard",
    "staff_review_queue",
    "ledger_accounts",
    "acceptance_audit",
    "staff_awards",
]


def nav_of(client, user) -> str:
    client.force_login(user)
    content = client.get(reverse("home")).content.decode()
    return re.search(r"<nav>.*?</nav>", content, re.S).group(0)


class TestSeekerDashboardLink:
    def test_hidden_from_a_solver_without_membership(self, client, solver):
        nav = nav_of(client, solver)
        assert DASHBOARD not in nav and "Seeker dashboard" not in nav
        assert reverse("solvers:my_challenges") in nav and reverse("solvers:awards") in nav

    @pytest.mark.parametrize("who", ["owner", "manager", "judge"])
    def test_shown_to_members(self, client, request, who):
        nav = nav_of(client, request.getfixturevalue(who))
        assert f'<a href="{DASHBOARD}">Seeker dashboard</a>' in nav

    def test_staff_see_it_only_with_a_membership(self, client, staff, org):
        assert DASHBOARD not in nav_of(client, staff)
        MembershipFactory(organization=org, user=staff, role=OrgRole.MANAGER)
        assert DASHBOARD in nav_of(client, staff)

    def test_membership_costs_one_query(self, owner, django_assert_num_queries):
        request = RequestFactory().get("/")
        request.user = owner
        member = organisation_membership(request)["in_organisation"]
        with django_assert_num_queries(1):
            assert (member(), member()) == (True, True)


class TestStaffMenu:
    def test_staff_pages_under_one_staff_entry(self, client, staff):
        nav = nav_of(client, staff)
        menu = re.findall(r'<details class="menu staff">.*?</details>', nav, re.S)
        assert len(menu) == 1 and "<summary>Staff</summary>" in menu[0]
        outside = nav.replace(menu[0], "")
        for name in STAFF_PAGES:
            assert f'href="{reverse(name)}"' in menu[0]
            assert f'href="{reverse(name)}"' not in outside

    def test_no_staff_menu_for_others(self, client, owner):
        nav = nav_of(client, owner)
        assert "<summary>Staff</summary>" not in nav
        for name in STAFF_PAGES:
            assert reverse(name) not in nav
