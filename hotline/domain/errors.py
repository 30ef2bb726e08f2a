"""Typed errors the web layer turns into clear messages."""


class DomainError(Exception):
    """A rule refused what was asked."""


class NotFound(DomainError):
    pass


class Forbidden(DomainError):
    pass
