"""A loopback HTTP proxy in front of moto that misbehaves for chosen regions.

The region comes from the request's SigV4 `Authorization` header and the
action from `X-Amz-Target` (JSON services) or the `Action=` form field (STS,
IAM). A fault is chosen by `region/Action`, `*/Action` or `region`. Healthy
requests are forwarded to moto; faulty ones stall, close the connection,
answer 500 or 503, throttle, reject the credentials (`badtoken`), or page
forever (`endless`: moto's answer with a `NextToken` added). Bounded: it
serves only until `stop()`, and a stalled request waits at most `STALL`
seconds.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

STALL = 30.0
_REGION = re.compile(r"Credential=[^/]+/[0-9]{8}/(?P<region>[a-z0-9-]+)/")
_ACTION = re.compile(rb"(?:^|&)Action=(?P<action>[A-Za-z]+)")


class FaultProxy:
    def __init__(self, upstream: str, faults: dict[str, str]) -> None:
        self.upstream = urlsplit(upstream)
        self.faults = faults
        self.requests: list[tuple[str, str]] = []
        self._released = threading.Event()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                match = _REGION.search(self.headers.get("Authorization", ""))
                region = match.group("region") if match else ""
                action = self.headers.get("X-Amz-Target", "").rpartition(".")[2]
                form = _ACTION.search(body)
                action = action or (form.group("action").decode() if form else "")
                fault = next(
                    (proxy.faults[k] for k in (f"{region}/{action}", f"*/{action}", region) if k in proxy.faults), ""
                )
                proxy.requests.append((region, fault))
                if fault == "stall":
                    proxy._released.wait(STALL)
                    return
                if fault == "close":
                    self.close_connection = True
                    self.connection.close()
                    return
                if fault in ("500", "503", "throttle"):
                    status = 400 if fault == "throttle" else int(fault)
                    code = "ThrottlingException" if fault == "throttle" else "InternalFailure"
                    self._error(status, code)
                    return
                if fault == "badtoken":
                    self._error(403, "InvalidClientTokenId")
                    return
                self._forward(body, endless=fault == "endless")

            def _error(self, status: int, code: str) -> None:
                """The error in the service's own protocol: JSON for Secrets Manager, XML for STS and IAM."""
                if "json" in self.headers.get("Content-Type", ""):
                    self._answer(status, json.dumps({"__type": code, "message": "fault"}).encode(), "json")
                else:
                    xml = (
                        "<ErrorResponse><Error><Type>Sender</Type><Code>"
                        + ("Throttling" if code.startswith("Throttling") else code)
                        + "</Code><Message>fault</Message></Error><RequestId>fault</RequestId></ErrorResponse>"
                    )
                    self._answer(status, xml.encode(), "xml")

            def _answer(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1" if kind == "json" else "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _forward(self, body: bytes, endless: bool = False) -> None:
                upstream = http.client.HTTPConnection(
                    proxy.upstream.hostname or "127.0.0.1", proxy.upstream.port, timeout=30
                )
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                upstream.request("POST", self.path, body=body, headers=headers)
                response = upstream.getresponse()
                data = response.read()
                if endless and response.status == 200:
                    data = json.dumps({**json.loads(data), "NextToken": "0"}).encode()
                self.send_response(response.status)
                for name, value in response.getheaders():
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                upstream.close()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FaultProxy:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._released.set()
        self.server.shutdown()
        self.server.server_close()
