"""Settings for the embedded defaults; `marketplace.settings.production` hardens them."""

from marketplace.settings.base import *  # noqa: F403
