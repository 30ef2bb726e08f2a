from hotline.extensions import csrf, limiter
from hotline.services import health
from hotline.web.system import bp


@bp.route("/healthz")
@limiter.exempt
@csrf.exempt
def healthz():
    report = health.check()
    return report, (200 if report["status"] == "ok" else 503)
