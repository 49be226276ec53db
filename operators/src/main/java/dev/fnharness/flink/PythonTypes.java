package dev.fnharness.flink;

/**
 * Types Flink's {@code Types} cannot express but Python functions need. Everything else is declared
 * with Flink's {@code Types} (see the README's type table).
 */
public final class PythonTypes {

  private PythonTypes() {}

  /**
   * {@code BigDecimal} values with {@code precision} digits in all, {@code scale} of them after the
   * point: Python's {@code decimal.Decimal} results are rounded half-up to {@code scale} decimals
   * and fail when they need more than {@code precision} digits. {@code Types.BIG_DEC} instead
   * passes any decimal through with its own scale.
   */
  public static DecimalTypeInfo DECIMAL(int precision, int scale) {
    return new DecimalTypeInfo(precision, scale);
  }
}
