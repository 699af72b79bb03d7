"""Fixtures for the simulator's own tests: a fresh frozen simulator per test, a tiny urllib-free
HTTP helper, and validators built from the contract's OpenAPI document."""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from hfdash.simulator import SimConfig, Simulator

OPENAPI_PATH = Path(__file__).parents[1] / "contract" / "openapi.yaml"
FROZEN_NOW = 1_795_400_000.0
API_KEY = "sim_test_key_0123456789"


def frozen_config(**overrides: Any) -> SimConfig:
    cfg = SimConfig(seed=7, speed=0.0, now=FROZEN_NOW, api_key=API_KEY)
    for name, value in overrides.items():
        setattr(cfg, name, value)
    return cfg


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Http:
    """Plain http.client requests against one simulator; the API key is sent unless told not to."""

    def __init__(self, base_url: str, api_key: str | None) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.api_key = api_key

    def request(
        self,
        method: str,
        target: str,
        *,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        auth: bool = True,
        timeout: float = 10.0,
    ) -> Reply:
        if target.startswith("http"):
            parts = urlsplit(target)
            target = parts.path + ("?" + parts.query if parts.query else "")
        sent = dict(headers or {})
        if auth and self.api_key and "authorization" not in {k.lower() for k in sent}:
            sent.setdefault("x-api-key", self.api_key)
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, target, body=body, headers=sent)
            resp = conn.getresponse()
            data = resp.read()
            return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)
        finally:
            conn.close()

    def get(self, target: str, **kwargs: Any) -> Reply:
        return self.request("GET", target, **kwargs)

    def delete(self, target: str, **kwargs: Any) -> Reply:
        return self.request("DELETE", target, **kwargs)

    def control(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        body = json.dumps(payload).encode() if payload is not None else None
        reply = self.request(method, "/_sim/" + path, body=body, auth=False)
        assert reply.status == 200, reply.body
        return reply.json()


@pytest.fixture
def make_sim() -> Iterator[Callable[..., Simulator]]:
    started: list[Simulator] = []

    def make(**overrides: Any) -> Simulator:
        sim = Simulator(frozen_config(**overrides))
        sim.start()
        started.append(sim)
        return sim

    yield make
    for sim in started:
        sim.stop()


@pytest.fixture
def sim(make_sim: Callable[..., Simulator]) -> Simulator:
    return make_sim()


@pytest.fixture
def api(sim: Simulator) -> Http:
    return Http(sim.url, sim.api_key)


# ---------------------------------------------------------------------------- contract schemas


class Contract:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.registry: Registry[Any] = Registry().with_resource(
            "urn:openapi", Resource.from_contents(doc, default_specification=DRAFT202012)
        )

    def _deref(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            pointer = node["$ref"].lstrip("#/").split("/")
            target: Any = self.doc
            for part in pointer:
                target = target[part]
            node = target
        return node

    def schema_for(self, path: str, method: str, status: int) -> dict[str, Any]:
        responses = self.doc["paths"][path][method.lower()]["responses"]
        key = str(status) if str(status) in responses else f"{str(status)[0]}XX"
        response = self._deref(responses[key])
        schema: dict[str, Any] = response["content"]["application/json"]["schema"]
        return schema

    def validate(self, path: str, method: str, status: int, body: Any) -> None:
        schema = self.schema_for(path, method, status)
        wrapped = {"$ref": "urn:openapi#" + schema["$ref"][1:]} if "$ref" in schema else schema
        Draft202012Validator(wrapped, registry=self.registry).validate(body)


@pytest.fixture(scope="session")
def contract() -> Contract:
    with OPENAPI_PATH.open(encoding="utf-8") as fh:
        return Contract(yaml.safe_load(fh))
