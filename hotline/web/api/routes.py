"""The API's routes live by feature (tokens, reference, cases, actions); here they are put together."""
from hotline.domain.errors import NotFound
from hotline.web.api import (  # noqa: F401  (each module adds its routes to bp)
    actions,
    attachments,
    auth,
    bp,
    cases,
    errors,
    locate,
    openapi_route,
    reference,
    routing,
    suggest,
    tokens,
)

auth.register(bp)
errors.register(bp)

ANY_METHOD = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@bp.route("/", defaults={"rest": ""}, methods=ANY_METHOD)
@bp.route("/<path:rest>", methods=ANY_METHOD)
def unknown(rest: str):
    """Anything else under /api/v1 is a JSON 404 (after the token check), not the HTML error page."""
    raise NotFound("route")
