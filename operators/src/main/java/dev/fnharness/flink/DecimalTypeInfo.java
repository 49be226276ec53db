package dev.fnharness.flink;

import java.math.BigDecimal;
import java.util.Objects;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.AtomicType;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeComparator;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.BigDecComparator;
import org.apache.flink.api.common.typeutils.base.BigDecSerializer;

/**
 * {@code BigDecimal} values with a declared precision and scale, SQL's {@code DECIMAL(p, s)}:
 * create it with {@link PythonTypes#DECIMAL(int, int)}.
 *
 * <p>Flink's DataStream {@code Types.BIG_DEC} says nothing about precision or scale, so a Python
 * result declared with it may be any decimal. Declaring {@code DECIMAL(p, s)} instead makes every
 * value of the column have scale {@code s} (results are rounded half-up to {@code s} decimals, as
 * Flink SQL's CAST does) and lets a result that needs more than {@code p} digits fail with the
 * function, column, row and value named. At run time the values are plain {@code BigDecimal}s,
 * serialized by Flink's own {@code BigDecSerializer}; precision and scale only exist at the
 * boundary with Python.
 */
public final class DecimalTypeInfo extends TypeInformation<BigDecimal>
    implements AtomicType<BigDecimal> {

  private static final long serialVersionUID = 1L;

  private final int precision;
  private final int scale;

  DecimalTypeInfo(int precision, int scale) {
    if (precision < 1) {
      throw new IllegalArgumentException("DECIMAL precision must be at least 1, got " + precision);
    }
    if (scale < 0 || scale > precision) {
      throw new IllegalArgumentException(
          "DECIMAL scale must be between 0 and the precision " + precision + ", got " + scale);
    }
    this.precision = precision;
    this.scale = scale;
  }

  /** Total number of digits. */
  public int precision() {
    return precision;
  }

  /** Digits after the decimal point. */
  public int scale() {
    return scale;
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<BigDecimal> getTypeClass() {
    return BigDecimal.class;
  }

  @Override
  public boolean isKeyType() {
    return true;
  }

  @Override
  public TypeSerializer<BigDecimal> createSerializer(SerializerConfig config) {
    return BigDecSerializer.INSTANCE;
  }

  @Override
  public TypeComparator<BigDecimal> createComparator(
      boolean sortOrderAscending, ExecutionConfig executionConfig) {
    return new BigDecComparator(sortOrderAscending);
  }

  @Override
  public String toString() {
    return "DECIMAL(" + precision + ", " + scale + ")";
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof DecimalTypeInfo other
        && other.canEqual(this)
        && precision == other.precision
        && scale == other.scale;
  }

  @Override
  public int hashCode() {
    return Objects.hash(DecimalTypeInfo.class, precision, scale);
  }

  @Override
  public boolean canEqual(Object obj) {
    return obj instanceof DecimalTypeInfo;
  }
}
