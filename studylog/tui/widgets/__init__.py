"""Widgets that screens compose; they post messages up and never reach into the app."""
