"""Portuguese (Brazil)."""
