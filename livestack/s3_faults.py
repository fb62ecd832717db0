"""What S3's fault-injecting proxy needs to know of S3: which request is an upload, and the
error documents S3 (or a gateway in front of it) answers with."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qsl, urlsplit

from livestack.log_api import Request, Respond

S3_ERRORS = {
    400: ("InvalidRequest", "Invalid Request"),
    409: ("OperationAborted", "A conflicting conditional operation is currently in progress."),
    411: ("MissingContentLength", "You must provide the Content-Length HTTP header."),
    413: ("EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size."),
    500: ("InternalError", "We encountered an internal error. Please try again."),
    501: ("NotImplemented", "A header you provided implies functionality that is not implemented."),
    503: ("SlowDown", "Please reduce your request rate."),
}
GATEWAY_PAGES = {502: "502 Bad Gateway", 504: "504 Gateway Time-out"}
NOT_UPLOAD_QUERY = {
    "partNumber",
    "uploadId",
    "uploads",
    "acl",
    "tagging",
    "retention",
    "legal-hold",
}


def s3_error(status: int) -> Respond:
    """S3's own XML error document for `status`, or a gateway's HTML page for 502 and 504."""
    request_id = uuid.uuid4().hex[:16].upper()
    if status in GATEWAY_PAGES:
        title = GATEWAY_PAGES[status]
        page = (
            f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}"
            "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        ).encode()
        headers = {"Server": "nginx", "Content-Type": "text/html"}
        return Respond(status, {**headers, "Content-Length": str(len(page))}, page)
    if status not in S3_ERRORS:
        raise ValueError(f"no S3 error is known for HTTP {status}: use one of {sorted(S3_ERRORS)}")
    code, message = S3_ERRORS[status]
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message>"
        f"<RequestId>{request_id}</RequestId><HostId>livestack</HostId></Error>"
    ).encode()
    return Respond(
        status,
        {
            "Content-Type": "application/xml",
            "Content-Length": str(len(document)),
            "x-amz-request-id": request_id,
        },
        document,
    )


def is_upload(request: Request) -> bool:
    """A PutObject: a PUT on an object key (path-style or virtual-hosted), not a part, a copy
    or a sub-resource."""
    if request.method != "PUT" or "x-amz-copy-source" in request.headers:
        return False
    url = urlsplit(request.target)
    if {name for name, _ in parse_qsl(url.query, keep_blank_values=True)} & NOT_UPLOAD_QUERY:
        return False
    host = (request.headers.get("Host") or "").rsplit(":", 1)[0]
    path = url.path.lstrip("/")
    virtual_hosted = host not in {"127.0.0.1", "localhost", "[::1]"}
    return bool(path) if virtual_hosted else "/" in path and not path.endswith("/")
