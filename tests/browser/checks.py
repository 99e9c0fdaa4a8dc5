"""What every page of a walk must hold in a real browser: no accessibility violation of
serious or critical impact (axe-core), no English left on a Spanish page, and, where a
walk asks, no element overlapping another. With SCREENSHOTS_DIR set, named pages are
also saved there as PNG (`make screenshots` fills docs/screenshots/)."""

import os
import re
from functools import cache
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from babel.messages.pofile import read_po
from django.conf import settings

from marketplace.accounts.models import User
from marketplace.challenges.models import Challenge, Requirement
from marketplace.lifecycle.models import EarlyCloseRequest
from marketplace.organisations.models import Organization
from marketplace.submissions.models import Submission

SERIOUS = {"serious", "critical"}

# Words of English that Spanish never uses, besides those the catalogue shows (below):
# one of them on a Spanish page, outside what people wrote, is an English leftover.
ENGLISH_WORDS = frozenset(
    {"the", "and", "your", "you", "with", "this", "that", "for", "are", "is", "of", "to"}
    | {"from", "have", "will", "be", "by", "an", "or", "not", "any", "yet", "here", "what"}
    | {"when", "which", "who", "it", "its", "on", "in", "at", "was", "were", "been", "all"}
)
# Names that stay as they are in every language (languages go by their own names).
BRANDS = (
    "Challenge Marketplace",
    "English",
    "Español",
    "Stripe",
    "OpenAPI",
    "Markdown",
    "Creative Commons",
    "CC BY-SA",
    "CC BY",
    "W-9",
    "W-8BEN",
    "SHA-256",
    "PDF",
    "CSV",
)

WORD = re.compile(r"[^\W\d_]+")
# Not words: addresses, links, hashes, references such as "challenge:12:escrow" and
# provider ids such as "pi_3Nx".
IDENTIFIERS = re.compile(r"\S+@\S+|https?://\S+|\b[0-9a-f]{12,}\b|\b[a-z_]+(?::[\w-]+)+|\b\w+_\w+")

TEXTS = """
() => {
  const skip = 'script, style, template, code, pre, [translate=no]';
  const language = document.documentElement.lang;
  // Text in another declared language (a document's own title, say) is meant as it is.
  const ours = (el) => !el.closest(skip) && el.closest('[lang]').lang === language;
  const out = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (ours(n.parentElement)) out.push(n.textContent);
  }
  const attrs = ['placeholder', 'title', 'aria-label', 'alt'];
  for (const el of document.body.querySelectorAll('*')) {
    if (!ours(el)) continue;
    for (const a of attrs) if (el.hasAttribute(a)) out.push(el.getAttribute(a));
    if (el.matches('input[type=submit], input[type=button]')) out.push(el.value);
  }
  return out.map((t) => t.replace(/\\s+/g, ' ').trim()).filter((t) => t);
}
"""

# Every element of the main part that shows something, with the box of its own rectangle
# joined to the box of its content (text that overflows its element shows there), and
# the indexes of the other collected elements it sits inside.
BOXES = """
([selector, kinds]) => {
  const root = document.querySelector(selector);
  const els = [...root.querySelectorAll(kinds)].filter((el) => el.checkVisibility());
  return els.map((el) => {
    const rects = [el.getBoundingClientRect()];
    const range = document.createRange();
    range.selectNodeContents(el);
    const content = range.getBoundingClientRect();
    if (content.width && content.height) rects.push(content);
    return {
      name: el.outerHTML.slice(0, 80),
      left: Math.min(...rects.map((r) => r.left)),
      top: Math.min(...rects.map((r) => r.top)),
      right: Math.max(...rects.map((r) => r.right)),
      bottom: Math.max(...rects.map((r) => r.bottom)),
      inside: els.flatMap((other, i) => (other !== el && other.contains(el) ? [i] : [])),
    };
  });
}
"""


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    """Pairs of boxes that share more than half a pixel, except an element and one it holds
    (a checkbox inside its label)."""
    pairs = []
    for i, a in enumerate(boxes):
        for j, b in enumerate(boxes[i + 1 :], start=i + 1):
            if i in b["inside"] or j in a["inside"]:
                continue
            width = min(a["right"], b["right"]) - max(a["left"], b["left"])
            height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if width > 0.5 and height > 0.5:
                pairs.append((a["name"], b["name"]))
    return pairs


SHOWING = (
    "label, input, select, textarea, legend, button, a, h1, h2, h3, p, dt, dd, li, th, td, img"
)


def boxes(page, selector: str, kinds: str = SHOWING) -> list[dict]:
    """The boxes of the elements of `kinds` inside the first match of `selector`."""
    return page.evaluate(BOXES, [selector, kinds])


@cache
def _axe() -> Axe:
    return Axe()


def accessibility_violations(page) -> list[str]:
    """axe-core's violations of serious or critical impact, one line each."""
    found = _axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in SERIOUS
    ]


@cache
def _catalogue():
    path = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po:
        return [m for m in read_po(po) if m.id and m.string]


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def _texts(message, side: str) -> list[str]:
    value = getattr(message, side)
    return list(value) if isinstance(value, tuple) else [value]


@cache
def english_sources() -> frozenset[str]:
    """The English texts of the catalogue that Spanish says differently."""
    return frozenset(
        text for m in _catalogue() for text in _texts(m, "id") if text not in _texts(m, "string")
    )


@cache
def english_vocabulary() -> frozenset[str]:
    """Words of the English texts that no Spanish text uses, and the common ones above."""
    english = {w for m in _catalogue() for t in _texts(m, "id") for w in _words(t)}
    spanish = {w for m in _catalogue() for t in _texts(m, "string") for w in _words(t)}
    return frozenset({w for w in english - spanish if len(w) > 1} | ENGLISH_WORDS)


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def written_by_people() -> list[str]:
    """What people typed into the site (titles, briefs, names, ...): shown as written,
    in whatever language its author chose."""
    texts = [
        *Challenge.objects.values_list("title", "summary", "brief", "eligibility"),
        *Requirement.objects.values_list("title", "description"),
        *Submission.objects.values_list("title", "abstract", "body"),
        *Organization.objects.values_list("name", "description"),
        *User.objects.values_list("full_name", "email"),
        *EarlyCloseRequest.objects.values_list("reason", "note"),
    ]
    return [_normal(t) for row in texts for t in row if t]


def english_leftovers(texts: list[str]) -> list[str]:
    people = written_by_people()
    sources = english_sources()
    vocabulary = english_vocabulary()
    left = []
    for text in texts:
        if any(text in written for written in people):
            continue
        bare = re.sub(IDENTIFIERS, " ", text)
        for written in people:
            bare = bare.replace(written, " ")
        for brand in BRANDS:
            bare = bare.replace(brand, " ")
        if text in sources or _words(bare) & vocabulary:
            left.append(text)
    return left


def check_page(page, language: str, *, shot: str = "") -> None:
    """Fail on an accessibility violation or, in Spanish, on English left on the page;
    save a screenshot named `shot` when SCREENSHOTS_DIR is set."""
    where = page.url
    assert page.locator("html").get_attribute("lang") == language, where
    violations = accessibility_violations(page)
    assert not violations, f"{where}: {violations}"
    if language == "es":
        leftovers = english_leftovers(page.evaluate(TEXTS))
        assert not leftovers, f"{where}: {leftovers}"
    folder = os.environ.get("SCREENSHOTS_DIR")
    if shot and folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{shot}-{language}.png"), full_page=True)
