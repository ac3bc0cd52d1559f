"""The page's number formats (web/static/util.js), run in the system Chromium."""

import pytest

pytestmark = [pytest.mark.browser]

MONEY = """async (amounts) => {
  const { formatMoney } = await import("/util.js");
  return amounts.map((amount) => formatMoney(amount, "GBP"));
}"""


def test_money_is_rounded_before_it_is_signed(static_page):
    amounts = [-0.004, -0.0, 0.004, -0.12, -0.125001, 1.234]
    shown = static_page.evaluate(MONEY, amounts)
    assert shown == ["£0.00", "£0.00", "£0.00", "-£0.12", "-£0.13", "£1.23"]


def test_a_rate_keeps_its_three_digits_and_no_minus_zero(static_page):
    rates = static_page.evaluate(
        """async () => {
          const { formatMoney } = await import("/util.js");
          return [formatMoney(-0.0004, "GBP", 3), formatMoney(0.2816, "GBP", 3)];
        }"""
    )
    assert rates == ["£0.000", "£0.282"]
