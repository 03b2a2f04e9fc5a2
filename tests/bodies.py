"""Send a request body the way a client would: as JSON or as an HTML form."""

from urllib.parse import urlencode

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"

# The two body encodings every endpoint accepts: "json" as front ends send it, "form" as
# ``curl --data`` and HTML forms send it.
BODY_FORMATS = ["json", "form"]


def send(client, method, url, body=None, body_format="json"):
    """Send ``body`` to ``url`` with ``method``, encoded as ``body_format``; return the response."""
    if body is None:
        return getattr(client, method)(url)
    if body_format == "json":
        return getattr(client, method)(url, body, format="json")
    if body_format == "form":
        return client.generic(method.upper(), url, urlencode(body, doseq=True), FORM_CONTENT_TYPE)
    raise ValueError(f"unknown body format {body_format!r}; use one of {BODY_FORMATS}")
