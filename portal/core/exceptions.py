"""The one project exception type for domain errors.

Services raise `PortalError` when a rule refuses an action; `PortalErrorMiddleware` maps it
once to an error page or a JSON body, and views that want to keep the user on a form catch it
and show `message` there.
"""

from django.utils.functional import Promise


class PortalError(Exception):
    status_code = 400

    def __init__(self, message: str | Promise, *, code: str = "invalid", status_code: int = 400):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status_code = status_code

    def as_dict(self) -> dict:
        return {"error": {"code": self.code, "message": str(self.message)}}
