"""The API documentation page (filled in by the OpenAPI work)."""
