"""A time typed into a card (web/static/forms.js `onTimeEntered`), in the system Chromium:
one command with the whole time, never one per digit."""

import pytest

pytestmark = [pytest.mark.browser]

FIELD = """async (quietMs) => {
  const { onTimeEntered } = await import("/forms.js");
  document.body.innerHTML = '<input type="time" id="t" value="03:29"><button id="b">x</button>';
  window.sent = [];
  onTimeEntered(document.getElementById("t"), (value) => sent.push(value), quietMs);
}"""


def type_time(page, digits: str) -> None:
    page.click("#t", position={"x": 8, "y": 8})  # the hours
    page.keyboard.type(digits)


@pytest.mark.parametrize("finish", ["Enter", "blur"])
def test_a_typed_time_is_sent_once_whole_when_the_person_is_done(static_page, finish):
    static_page.evaluate(FIELD, 60_000)
    type_time(static_page, "0630")  # Chromium fires change at 06:00, 06:03 and 06:30
    assert static_page.evaluate("sent") == []
    if finish == "Enter":
        static_page.keyboard.press("Enter")
    else:
        static_page.click("#b")
    assert static_page.evaluate("sent") == ["06:30"]
    static_page.click("#b")  # leaving again, with nothing new entered, sends nothing
    assert static_page.evaluate("sent") == ["06:30"]


def test_a_time_set_in_one_go_is_sent_once_things_go_quiet(static_page):
    static_page.evaluate(FIELD, 200)
    static_page.fill("#t", "07:45")  # as a phone's picker sets it
    static_page.wait_for_function("sent.length > 0", timeout=5000)
    assert static_page.evaluate("sent") == ["07:45"]
