"""Schemathesis against the live hub's own /api/openapi.json: no 5xx, every refusal JSON."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from reliability_support import write_config

from testkit.brokers import start_embedded_broker
from testkit.hub import Hub
from testkit.processes import Processes
from web.api.common import ERROR_CODES
from web.api.openapi import document

schemathesis = pytest.importorskip("schemathesis")

pytestmark = pytest.mark.reliability

REFUSALS = {400, 404, 405, 409, 413, 422}


@pytest.fixture(scope="module")
def api_hub(tmp_path_factory):
    directory = tmp_path_factory.mktemp("api-fuzz")
    processes = Processes(directory)
    try:
        broker = start_embedded_broker(processes)
        yield Hub(processes, broker, directory / "data", write_config(directory))
    finally:
        processes.cleanup()


# The document the hub serves at /api/openapi.json (checked equal below). Loaded eagerly:
# schemathesis' lazy `from_fixture` does not run on pytest 9 (it sets `node._nodeid`).
schema = schemathesis.openapi.from_dict(document())


def test_the_fuzzed_document_is_the_one_the_hub_serves(api_hub):
    assert api_hub.get("/api/openapi.json") == document()


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_endpoint_refuses_bad_requests_cleanly(case, api_hub):
    response = case.call(base_url=api_hub.url, timeout=15)
    assert response.status_code < 500, (case.path, response.status_code, response.text[:300])
    if response.status_code >= 400:
        assert response.status_code in REFUSALS, (case.path, response.status_code)
        content_type = response.headers.get("content-type", [""])[0]
        assert "json" in content_type, response.text[:300]
        error = response.json()["error"]
        assert error["code"] in ERROR_CODES and error["message"], response.text[:300]
    assert api_hub.process.alive()
