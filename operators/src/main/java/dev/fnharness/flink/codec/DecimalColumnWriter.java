package dev.fnharness.flink.codec;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * DECIMAL columns: the decimal text of each value ({@link BigDecimal#toString()}, exact, with the
 * value's scale) in {@code strings}. Text measured faster than an unscaled integer plus scale on
 * the Python side, where the time goes (see columns.py), and needs no per-value scale for {@code
 * Types.BIG_DEC}. For DECIMAL(p, s) every value is first brought to scale s, rounding half-up; a
 * value that then needs more than p digits is refused.
 */
final class DecimalColumnWriter extends StringColumnWriter {

  private final int precision;
  private final int scale;

  /**
   * @param precision 0 for unbounded: every value keeps its own scale
   */
  DecimalColumnWriter(int precision, int scale) {
    this.precision = precision;
    this.scale = scale;
  }

  @Override
  String toText(Object value) {
    BigDecimal decimal = (BigDecimal) value;
    if (precision > 0) {
      if (decimal.scale() != scale) {
        decimal = decimal.setScale(scale, RoundingMode.HALF_UP);
      }
      if (decimal.precision() > precision) {
        throw new IllegalArgumentException(
            value + " does not fit DECIMAL(" + precision + ", " + scale + ")");
      }
    }
    return decimal.toString();
  }
}
