"""Seeker pages: organisations, the dashboard, one challenge's management, the editor."""
