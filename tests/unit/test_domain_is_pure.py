"""DESIGN.md rule 1: the domain imports no framework and can be used without an app."""
import pkgutil
import subprocess
import sys

import hotline.domain


def test_the_domain_imports_no_framework():
    modules = [f"hotline.domain.{m.name}" for m in pkgutil.iter_modules(hotline.domain.__path__)]
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "bad = sorted(n for n in sys.modules if n.split('.')[0] in "
          "{'flask', 'sqlalchemy', 'rq', 'redis', 'twilio', 'werkzeug'})\n"
        + "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
