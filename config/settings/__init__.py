"""Settings for the embedded defaults; `config.settings.production` hardens them."""

from config.settings.base import *  # noqa: F403
