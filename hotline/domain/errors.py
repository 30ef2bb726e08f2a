"""Typed errors the web layer turns into clear messages: 403, 404, 409, 422."""


class DomainError(Exception):
    """A rule refused what was asked. `code` says which rule, for the message and the API body."""

    def __init__(self, code: str = "", detail: dict | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail or {}


class NotFound(DomainError):
    pass


class Forbidden(DomainError):
    """This person may not take this action on this case, whatever its state."""


class Conflict(DomainError):
    """The case is not in a state that allows this now (or someone else changed it first)."""


class InvalidFields(DomainError):
    """`detail` maps each field to an error code: required, too_long, invalid_choice, out_of_range, …
    `files` names each attached file that was refused and why (`hotline.domain.files.Problem`)."""

    def __init__(self, code: str = "", detail: dict | None = None, files: tuple = ()) -> None:
        super().__init__(code, detail)
        self.files = tuple(files)
