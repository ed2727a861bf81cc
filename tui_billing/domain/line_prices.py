"""The unit price an invoice line shows, so that quantity x unit price is its amount.

An invoice line reads ``quantity x unit price = amount``: the amount is quantity x unit price
rounded half up to the cent, exactly (the e-invoice checks it: SdI error 00423 on
PrezzoTotale). A contract's price is per price period (38.00 a month) while a line bills a
period (a quarter, 20 days of a month), so the line's unit price is the price of *its*
period per unit: the exact price x period / price period. When that has more than 8 decimals
(20/31 of 38.00, a third of a quarterly price) it is rounded to the fewest decimals, 2 to 8
(FatturaPA PrezzoUnitario has up to 8), at which quantity x unit price still rounds to the
amount. Integer arithmetic throughout: no rounding but the ones stated.
"""

from __future__ import annotations

from decimal import Decimal

MIN_PLACES = 2  # a unit price always shows at least the cents
MAX_PLACES = 8  # FatturaPA PrezzoUnitario: up to 8 decimals
_ONE = Decimal(1)


def _half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` (denominator > 0) rounded half up, away from zero."""
    if numerator >= 0:
        return (2 * numerator + denominator) // (2 * denominator)
    return -((-2 * numerator + denominator) // (2 * denominator))


def _cents(q_num: int, q_den: int, units: int, places: int) -> int:
    """quantity (q_num / q_den) x unit price (units / 10**places) in cents, half up."""
    return _half_up(q_num * units * 100, q_den * 10**places)


def _price(units: int, places: int) -> Decimal:
    """``units / 10**places`` as a Decimal with exactly ``places`` decimals."""
    return Decimal(units).scaleb(-places)


def _fitted(q_num: int, q_den: int, num: int, den: int, cents: int) -> int | None:
    """The unit price in units of 10**-8 nearest to ``num / den`` among those whose product
    with the quantity rounds to ``cents`` (cents >= 0, quantity > 0); None when there is none
    (a quantity above a million leaves no 8-decimal price within half a cent)."""
    scale: int = 10**MAX_PLACES
    # q x u x 100 / scale must lie in [cents - 1/2, cents + 1/2): u in [low, high]
    low = -((-(2 * cents - 1) * q_den * scale) // (200 * q_num))  # ceiling
    high = -((-(2 * cents + 1) * q_den * scale) // (200 * q_num)) - 1
    target = min(max(_half_up(num * scale, den), low), high)
    for units in (target, target + 1, target - 1):
        if _cents(q_num, q_den, units, MAX_PLACES) == cents:
            return units
    return None


def line_price(quantity: Decimal, num: int, den: int, amount: Decimal) -> tuple[Decimal, Decimal]:
    """``(quantity, unit price)`` of a line of ``amount`` whose exact unit price is
    ``num / den`` (den > 0): quantity x unit price rounds half up to ``amount``.

    The exact price when it has at most 8 decimals (shown with at least 2); else the exact
    price rounded to the fewest decimals, 2 to 8, that still give the amount; else the 8-decimal
    price nearest to it that does. Only a quantity above a million can leave none: then the
    line reads 1 x amount."""
    cents = int(amount.scaleb(2))
    q_num, q_den = quantity.as_integer_ratio()
    if q_num == 0 and cents != 0:  # nothing times a price gives an amount
        return _ONE, amount
    sign = 1
    if q_num < 0:  # work with -quantity and -price: the same product
        q_num, num, sign = -q_num, -num, -sign
    if cents < 0 or (cents == 0 and num < 0):  # and with a positive amount
        num, cents, sign = -num, -cents, -sign
    scaled = num * 10**MAX_PLACES
    if scaled % den == 0:  # the exact price has at most 8 decimals
        units, places = scaled // den, MAX_PLACES
        while places > MIN_PLACES and units % 10 == 0:
            units //= 10
            places -= 1
        if q_num == 0 or _cents(q_num, q_den, units, places) == cents:
            return quantity, _price(sign * units, places)
    elif q_num == 0:
        return quantity, _price(sign * _half_up(scaled, den), MAX_PLACES)
    else:
        for places in range(MIN_PLACES, MAX_PLACES + 1):
            units = _half_up(num * 10**places, den)
            if _cents(q_num, q_den, units, places) == cents:
                return quantity, _price(sign * units, places)
    fitted = _fitted(q_num, q_den, num, den, cents)
    if fitted is None:
        return _ONE, amount
    return quantity, _price(sign * fitted, MAX_PLACES)


def unit_price_for(
    quantity: Decimal, price: Decimal, num: int, den: int, amount: Decimal
) -> tuple[Decimal, Decimal]:
    """``(quantity, unit price)`` of a line billing ``amount`` = quantity x ``price`` x
    num / den rounded: the line's unit price is ``price`` x num / den, see :func:`line_price`."""
    p_num, p_den = price.as_integer_ratio()
    return line_price(quantity, p_num * num, p_den * den, amount)


def fitted_unit_price(
    quantity: Decimal, unit_price: Decimal, amount: Decimal
) -> tuple[Decimal, Decimal]:
    """``(quantity, unit_price)`` when quantity x unit price already rounds to ``amount``, else
    the line's quantity and a unit price near amount / quantity that does (for lines whose
    exact price is not known any more, such as drafts written before the rule)."""
    if rounds_to(quantity, unit_price, amount) and decimals(unit_price) <= MAX_PLACES:
        return quantity, unit_price
    if quantity == 0:
        return line_price(quantity, 0, 1, amount)
    a_num, a_den = amount.as_integer_ratio()
    q_num, q_den = quantity.as_integer_ratio()
    if q_num < 0:
        a_num, q_num = -a_num, -q_num
    return line_price(quantity, a_num * q_den, a_den * q_num, amount)


def decimals(value: Decimal) -> int:
    """How many decimals ``value`` needs (114.00: 0; 24.516: 3)."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def rounds_to(quantity: Decimal, unit_price: Decimal, amount: Decimal) -> bool:
    """Whether quantity x unit price, rounded half up to the cent, is ``amount``."""
    q_num, q_den = quantity.as_integer_ratio()
    u_num, u_den = unit_price.as_integer_ratio()
    return _half_up(q_num * u_num * 100, q_den * u_den) == int(amount.scaleb(2))


__all__ = [
    "MAX_PLACES",
    "MIN_PLACES",
    "decimals",
    "fitted_unit_price",
    "line_price",
    "rounds_to",
    "unit_price_for",
]
