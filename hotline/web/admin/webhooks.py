"""Webhook subscriptions of a department, their delivery log and the replay button (filled in by the webhook work)."""
