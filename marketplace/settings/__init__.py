"""Settings for the embedded defaults; `marketplace.settings.production` hardens them."""

from .base import *  # noqa: F403
