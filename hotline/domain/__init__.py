"""The rules of a 12345 centre and petition office, in plain Python: no Flask, no database, no clock."""
