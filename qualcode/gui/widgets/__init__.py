"""Reusable widgets and table models shared by the panels (table set-up, delegates, export files)."""
