"""Errors become a clear, translated page with the right status."""
from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

MESSAGES = {
    400: _l("The request could not be understood."),
    403: _l("You do not have permission to see this page."),
    404: _l("We could not find that page or case."),
    409: _l("Someone else changed this just now. Reload the page and try again."),
    413: _l("What you sent is too large."),
    429: _l("Too many attempts. Please wait a moment and try again."),
    500: _l("Something went wrong on our side. Your last action may not have been saved."),
}


def register(app: Flask) -> None:
    def render(status: int, message=None):
        return render_template("errors.html", status=status, message=message or MESSAGES[status]), status

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render(400, _l("This form has expired or was sent from elsewhere. "
                              "Go back, reload it and send it again."))

    for status in MESSAGES:
        app.register_error_handler(status, lambda exc, status=status: render(status))
