"""The Content-Security-Policy: sent on the site's pages and on the API docs, with a
nonce that matches the page's inline scripts; no template holds a script the policy
would refuse (inline without the nonce) or an inline event handler."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def without_nonce(sources: list[str]) -> list[str]:
    return [s for s in sources if not s.startswith("'nonce-")]


def nonce_of(directives: dict[str, list[str]]) -> str:
    (nonce,) = [s for s in directives["script-src"] if s.startswith("'nonce-")]
    return nonce[len("'nonce-") : -1]


@pytest.mark.parametrize("name", ["home", "catalogue", "account_login"])
def test_pages_are_sent_the_strict_policy(client, name):
    directives = policy(client.get(reverse(name)))
    assert directives["default-src"] == ["'self'"]
    # A nonce is added once a page asks for one (an inline script or style of its own).
    assert without_nonce(directives["script-src"]) == ["'self'"]
    assert without_nonce(directives["style-src"]) == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["connect-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    # Setting up payouts is redirected to Stripe's hosted onboarding.
    assert directives["form-action"] == ["'self'", "https://connect.stripe.com"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in s for sources in directives.values() for s in sources)


def test_each_response_gets_its_own_nonce(client):
    first = nonce_of(policy(client.get(reverse("api-docs"))))
    second = nonce_of(policy(client.get(reverse("api-docs"))))
    assert first != second


def test_api_docs_inline_script_and_style_carry_the_nonce(client):
    response = client.get(reverse("api-docs"))
    directives = policy(response)
    nonce = nonce_of(directives)
    assert f"'nonce-{nonce}'" in directives["style-src"]
    html = response.content.decode()
    inline = re.findall(r"<(script|style)(?![^>]*\ssrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{nonce}"' in attrs for _, attrs in inline)
    assert "cdn.jsdelivr.net" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html


def test_redoc_is_served_from_the_package_with_its_own_allowances(client):
    response = client.get(reverse("api-redoc"))
    directives = policy(response)
    html = response.content.decode()
    assert f'nonce="{nonce_of(directives)}"' in html
    assert "/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js" in html
    assert "fonts.googleapis.com" not in html
    assert directives["worker-src"] == ["blob:"]
    assert "'unsafe-inline'" not in directives["style-src"]
    # The allowances are the Redoc page's only.
    assert "worker-src" not in policy(client.get(reverse("api-docs")))


SCRIPT = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def template_files() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in {".html", ".txt"})


def test_templates_have_no_inline_script_without_the_nonce():
    refused = [
        f"{path.relative_to(ROOT)}: {tag}"
        for path in template_files()
        for tag in SCRIPT.findall(path.read_text())
        if "nonce=" not in tag and "src=" not in tag
    ]
    assert refused == []


def test_templates_have_no_inline_event_handlers():
    found = [
        f"{path.relative_to(ROOT)}: {match.group().strip()}"
        for path in template_files()
        for match in HANDLER.finditer(path.read_text())
    ]
    assert found == []


def test_the_template_scan_finds_what_it_looks_for():
    assert SCRIPT.findall("<p>x</p><script>alert(1)</script>") == ["<script>"]
    assert HANDLER.search('<select name="l" onchange="this.form.submit()">')
    assert not HANDLER.search('<a class="button" data-on="x">')
