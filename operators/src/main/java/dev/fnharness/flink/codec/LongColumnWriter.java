package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * Columns whose values travel as packed {@code sfixed64}: the integer types, and dates and times as
 * integers in the unit their kind fixes (days, microseconds). Sub-microsecond digits of times are
 * dropped (rounded toward the past): Python's datetime holds microseconds.
 */
final class LongColumnWriter extends ColumnWriter {

  /** How a Java value becomes the long on the wire. */
  enum Encoding {
    NUMBER,
    /** LocalDate: days since 1970-01-01. */
    DATE,
    /** LocalTime: microseconds since midnight. */
    TIME,
    /** LocalDateTime: microseconds since 1970-01-01T00:00. */
    TIMESTAMP,
    /** Instant: microseconds since 1970-01-01T00:00Z. */
    INSTANT
  }

  static final long MICROS_PER_DAY = 86_400_000_000L;

  /** Python's datetime holds years 1 to 9999. */
  static final long MIN_EPOCH_SECOND = -62_135_596_800L; // 0001-01-01T00:00:00Z

  static final long MAX_EPOCH_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z

  private final Encoding encoding;

  /** {@code values}' array while the encoder fills this column by row index. */
  private byte[] rowBytes;

  private final PackedValues values = new PackedValues(RowBatchFields.COLUMN_LONGS);

  LongColumnWriter(Encoding encoding) {
    this.encoding = encoding;
  }

  @Override
  void addNullSlot() {
    append(0);
  }

  @Override
  void addValue(Object value) {
    append(toLong(value));
  }

  /**
   * The encoder's path for integer columns, by row index: {@link #add} with the boxed classes a
   * BIGINT or INT column holds tested exactly, which the JIT turns into one class-word compare
   * each, ahead of the virtual {@link Number#longValue} the other classes need.
   */
  void setNumber(int row, Object value) {
    long number;
    if (value instanceof Long l) {
      number = l;
    } else if (value instanceof Integer i) {
      number = i;
    } else if (value == null) {
      nulls.setReservedNull(row);
      number = 0;
    } else {
      number = toLong(value);
    }
    PackedValues.setLong(rowBytes, row, number);
  }

  @Override
  void reserveRows(int rows) {
    super.reserveRows(rows);
    rowBytes = values.reserve(rows * Long.BYTES);
  }

  @Override
  void endRows(int rows) {
    values.seal(rows * Long.BYTES);
    super.endRows(rows);
  }

  boolean isNumber() {
    return encoding == Encoding.NUMBER;
  }

  /** Appends a non-null value (an element of {@code long[]}, {@code int[]}...). */
  void addLong(long value) {
    append(value);
    size++;
  }

  private void append(long value) {
    values.putLong(value);
  }

  private long toLong(Object value) {
    return switch (encoding) {
      case NUMBER -> ((Number) value).longValue();
      case DATE -> {
        LocalDate date = (LocalDate) value;
        checkYear(date.getYear(), value);
        yield date.toEpochDay();
      }
      case TIME -> ((LocalTime) value).toNanoOfDay() / 1000;
      case TIMESTAMP -> {
        LocalDateTime dateTime = (LocalDateTime) value;
        checkYear(dateTime.getYear(), value);
        yield dateTime.toLocalDate().toEpochDay() * MICROS_PER_DAY
            + dateTime.toLocalTime().toNanoOfDay() / 1000;
      }
      case INSTANT -> {
        Instant instant = (Instant) value;
        long seconds = instant.getEpochSecond();
        if (seconds < MIN_EPOCH_SECOND || seconds > MAX_EPOCH_SECOND) {
          throw outOfPythonRange(value);
        }
        yield seconds * 1_000_000 + instant.getNano() / 1000;
      }
    };
  }

  private static void checkYear(int year, Object value) {
    if (year < 1 || year > 9999) {
      throw outOfPythonRange(value);
    }
  }

  private static IllegalArgumentException outOfPythonRange(Object value) {
    return new IllegalArgumentException(
        value + " is outside the years 1 to 9999 that Python's datetime can hold");
  }

  @Override
  int computeValuesSize() {
    return values.serializedSize();
  }

  @Override
  void writeValues(CodedOutputStream out) throws IOException {
    values.writeTo(out);
  }

  @Override
  void reset() {
    values.clear();
    super.reset();
  }
}
