"""Use cases: load → decide with the domain → persist → commit → hand jobs to the outbox."""
