"""The GeoReport v2 routes (filled in by the Open311 work)."""
