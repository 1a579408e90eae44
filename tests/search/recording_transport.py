"""A recording stand-in for an Elasticsearch cluster, plugged in below the real client.

`RecordingCluster.client()` returns a genuine `Elasticsearch` client whose transport node never
opens a socket: each request is appended to `cluster.requests` (method, target and the parsed JSON
or NDJSON body) and answered by the test's own `respond(request)` function when it returns a
`Reply`, else by defaults that keep just enough alias state to behave like a real cluster while
indexes are created, aliases swapped and indexes deleted.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport._node import NodeApiResponse
from elastic_transport.client_utils import DEFAULT, DefaultType
from elasticsearch import Elasticsearch

_INDEX_PATH = re.compile(r"^/([^/_][^/]*)$")
_ALIAS_LOOKUP_PATH = re.compile(r"^/_alias/([^/]+)$")

EMPTY_SEARCH = {
    "took": 1,
    "timed_out": False,
    "hits": {"total": {"value": 0, "relation": "eq"}, "max_score": None, "hits": []},
}


@dataclass(frozen=True)
class Request:
    method: str
    target: str
    body: Any = None  # a dict for JSON, a list of dicts for NDJSON, None without a body

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def params(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.target).query))


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any


@dataclass(frozen=True)
class BulkOperation:
    operation: str  # index, create, update or delete
    meta: dict  # _id, _index…
    source: dict | None  # None for deletes


def bulk_operations(request: Request) -> list[BulkOperation]:
    lines = iter(request.body)
    operations = []
    for line in lines:
        [(operation, meta)] = line.items()
        source = None if operation == "delete" else next(lines)
        operations.append(BulkOperation(operation, meta, source))
    return operations


@dataclass
class RecordingCluster:
    """The requests recorded so far, and the alias state the default replies come from."""

    respond: Callable[[Request], Reply | None] = lambda request: None
    aliases: dict[str, set[str]] = field(default_factory=dict)  # alias → concrete indexes
    search_response: dict = field(default_factory=lambda: EMPTY_SEARCH)
    requests: list[Request] = field(default_factory=list)

    def client(self) -> Elasticsearch:
        node_class = type("BoundRecordingNode", (RecordingNode,), {"cluster": self})
        return Elasticsearch("http://recorder:9200", node_class=node_class)

    def calls(self) -> list[tuple[str, str]]:
        """(method, path) of every request in order: the shape of a workflow at a glance."""
        return [(request.method, request.path) for request in self.requests]

    def handle(self, request: Request) -> Reply:
        self.requests.append(request)
        return self.respond(request) or self.default_reply(request)

    def default_reply(self, request: Request) -> Reply:
        path = request.path
        if path.endswith("/_bulk"):
            return Reply(200, _bulk_success(request))
        if path.endswith("/_search"):
            return Reply(200, self.search_response)
        if path == "/_aliases":
            self._apply_alias_actions(request.body["actions"])
        elif path == "/_cluster/health":
            return Reply(200, {"cluster_name": "recorder", "status": "green"})
        elif alias := _match(_ALIAS_LOOKUP_PATH, path):
            return self._alias_reply(alias)
        elif (index := _match(_INDEX_PATH, path)) and request.method == "PUT":
            self._create_index(index, request.body or {})
            return Reply(200, {"acknowledged": True, "shards_acknowledged": True, "index": index})
        elif request.method == "DELETE":
            self._forget_indexes(path.strip("/").split(","))
        return Reply(200, {"acknowledged": True})

    def _alias_reply(self, alias: str) -> Reply:
        indexes = self.aliases.get(alias)
        if not indexes:
            return Reply(404, {"error": f"alias [{alias}] missing", "status": 404})
        return Reply(200, {index: {"aliases": {alias: {}}} for index in sorted(indexes)})

    def _create_index(self, index: str, body: dict) -> None:
        for alias in body.get("aliases", {}):
            self.aliases.setdefault(alias, set()).add(index)

    def _apply_alias_actions(self, actions: list[dict]) -> None:
        for action in actions:
            [(kind, spec)] = action.items()
            indexes = self.aliases.setdefault(spec["alias"], set())
            if kind == "add":
                indexes.add(spec["index"])
            elif kind == "remove":
                indexes.discard(spec["index"])

    def _forget_indexes(self, names: list[str]) -> None:
        for indexes in self.aliases.values():
            indexes.difference_update(names)


class RecordingNode(BaseNode):
    """A transport node that answers from its `cluster`, set on a per-cluster subclass."""

    cluster: RecordingCluster

    def perform_request(
        self,
        method: str,
        target: str,
        body: bytes | None = None,
        headers: HttpHeaders | None = None,
        request_timeout: DefaultType | float | None = DEFAULT,
    ) -> NodeApiResponse:
        content_type = (headers or {}).get("content-type", "")
        reply = self.cluster.handle(Request(method, target, _parse(body, content_type)))
        meta = ApiResponseMeta(
            status=reply.status,
            http_version="1.1",
            # The client refuses to talk to a server that does not say it is Elasticsearch.
            headers=HttpHeaders(
                {"content-type": "application/json", "x-elastic-product": "Elasticsearch"}
            ),
            duration=0.0,
            node=self.config,
        )
        payload = b"" if method == "HEAD" else json.dumps(reply.body).encode()
        return NodeApiResponse(meta, payload)


def _parse(body: bytes | None, content_type: str) -> Any:
    if not body:
        return None
    if "ndjson" in content_type:
        return [json.loads(line) for line in body.decode().splitlines() if line.strip()]
    return json.loads(body)


def _bulk_success(request: Request) -> dict:
    default_index = request.path.strip("/").removesuffix("_bulk").strip("/") or None
    items = [
        {
            op.operation: {
                "_index": op.meta.get("_index", default_index),
                "_id": op.meta.get("_id"),
                "status": 200 if op.operation == "delete" else 201,
            }
        }
        for op in bulk_operations(request)
    ]
    return {"took": 1, "errors": False, "items": items}


def _match(pattern: re.Pattern, path: str) -> str | None:
    found = pattern.match(path)
    return found.group(1) if found else None
