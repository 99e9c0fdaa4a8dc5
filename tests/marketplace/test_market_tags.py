from django.template import Context, Template

DIGEST = "3f2a9c417be0" + "d" * 52


def render(value) -> str:
    return Template("{% load market %}{{ value|hash_code }}").render(Context({"value": value}))


def test_hash_code_shows_the_grouped_code_and_the_full_hash_behind_a_disclosure():
    assert render(DIGEST) == (
        '<details class="hash-code"><summary><code>3f2a-9c41-7be0</code>'
        ' <span class="muted">Show full hash</span></summary>'
        f'<code class="hash">{DIGEST}</code></details>'
    )


def test_hash_code_of_nothing_is_nothing():
    assert render("") == "" and render(None) == ""


def test_hash_code_escapes_what_it_is_given():
    assert "<b>" not in render("<b>x</b>") and "&lt;b&gt;x&lt;/b&gt;" in render("<b>x</b>")
