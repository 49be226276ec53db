"""Python functions for the type tests (TypesRoundTripTest): identity, and wrong results."""
import decimal


def identity(x):
    return x


def _constant(value):
    def constant(x):
        return value

    return constant


bigint_as_str = _constant("12")
int_beyond_32_bits = _constant(1 << 31)
bigint_beyond_64_bits = _constant(1 << 64)
decimal_too_wide = _constant(decimal.Decimal("123456.7"))
float_too_wide_for_decimal = _constant(1e10)
list_with_a_str = _constant([1, 2, "three"])
