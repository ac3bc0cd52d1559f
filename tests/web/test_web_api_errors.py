"""The API's one error type: every code it can answer with is one the API lists."""

from typing import get_args

import pytest

from hub.api import CommandRefused, CommandTimeout, InvalidRequest, NotFound, Unavailable
from hub.core.hub_core import RefusalReason
from protocol import ProtocolError
from web.api.common import ERROR_CODES, HUB_ERRORS, REFUSAL_STATUS, ApiError, BadBody


def test_every_refusal_reason_has_a_status_and_is_a_listed_code():
    assert set(REFUSAL_STATUS) == set(get_args(RefusalReason))
    assert set(REFUSAL_STATUS) <= set(ERROR_CODES)


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (BadBody("x"), 400, "bad_body"),
        (InvalidRequest("x"), 400, "invalid_request"),
        (ProtocolError("x"), 400, "invalid_request"),
        (CommandRefused("not_dimmable", "x"), 400, "not_dimmable"),
        (NotFound("x"), 404, "not_found"),
        (CommandRefused("not_found", "x"), 404, "not_found"),
        (CommandRefused("offline", "x"), 409, "offline"),
        (Unavailable("x"), 503, "unavailable"),
        (CommandTimeout("x"), 504, "device_timeout"),
    ],
)
def test_each_hub_error_becomes_its_status_and_code(exc, status, code):
    assert isinstance(exc, HUB_ERRORS)
    answer = ApiError.of(exc)
    assert (answer.status, answer.code, answer.body()) == (
        status,
        code,
        {"code": code, "message": "x"},
    )
    assert code in ERROR_CODES


def test_an_error_the_api_does_not_know_is_not_turned_into_an_answer():
    with pytest.raises(TypeError):
        ApiError.of(KeyError("x"))
