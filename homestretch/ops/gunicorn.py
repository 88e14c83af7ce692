"""gunicorn's logger with an access log that is valid JSON (deploy/gunicorn.conf.py).

gunicorn only escapes double quotes in the values it puts into `access_log_format`; a
backslash or a control character in a user agent would still break a JSON line. These
atoms are escaped as JSON strings, so the format can be a JSON object.
"""

import json
from typing import Any

from gunicorn.glogging import Logger as GunicornLogger
from gunicorn.glogging import SafeAtoms


class JsonSafeAtoms(SafeAtoms):
    def __init__(self, atoms: dict[str, Any]) -> None:
        dict.__init__(self)
        for key, value in atoms.items():
            self[key] = json.dumps(value)[1:-1] if isinstance(value, str) else value


class Logger(GunicornLogger):
    atoms_wrapper_class = JsonSafeAtoms
