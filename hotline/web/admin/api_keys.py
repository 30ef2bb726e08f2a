"""Open311 API keys: create (shown once), scope, revoke, and each key's use log (filled in by the API-key work)."""
