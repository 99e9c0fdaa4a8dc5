"""What a published challenge offers to be shared: its absolute address, the links of
the share panel and the fields of its Open Graph and Twitter card tags. Only what the
public page shows goes out: the title and the public summary, never the brief nor the
Seeker's name.

Every link is built here, its query percent-encoded (spaces as %20, which mailto:
needs). Mastodon has no central share page: each server answers `/share?text=...` with
its compose box filled in; the link opens it on MASTODON_SHARE."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from marketplace.challenges.models import Challenge
from marketplace.challenges.preview import HEIGHT, WIDTH, preview_version

LINKEDIN_SHARE = "https://www.linkedin.com/sharing/share-offsite/"
X_SHARE = "https://x.com/intent/post"
MASTODON_SHARE = "https://mastodon.social/share"
DESCRIPTION_CHARS = 200


@dataclass(frozen=True)
class Sharing:
    url: str
    title: str
    description: str
    image_url: str
    image_width: int
    image_height: int
    email: str
    linkedin: str
    x: str
    mastodon: str


def query(**params: str) -> str:
    return urlencode(params, quote_via=quote)


def challenge_sharing(request, challenge: Challenge) -> Sharing:
    url = request.build_absolute_uri(reverse("challenge_detail", args=[challenge.pk]))
    image = reverse("challenge_preview", args=[challenge.pk])
    description = Truncator(" ".join(challenge.summary.split())).chars(DESCRIPTION_CHARS)
    body = _("%(summary)s\n\nRead the challenge: %(url)s") % {"summary": description, "url": url}
    return Sharing(
        url=url,
        title=challenge.title,
        description=description,
        image_url=request.build_absolute_uri(f"{image}?{query(v=preview_version(challenge))}"),
        image_width=WIDTH,
        image_height=HEIGHT,
        email=f"mailto:?{query(subject=challenge.title, body=body)}",
        linkedin=f"{LINKEDIN_SHARE}?{query(url=url)}",
        x=f"{X_SHARE}?{query(text=challenge.title, url=url)}",
        mastodon=f"{MASTODON_SHARE}?{query(text=f'{challenge.title} {url}')}",
    )
