package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;

/**
 * Collects one column's values for a batch and writes them as a {@code Column} message body,
 * straight to a {@link CodedOutputStream}: no message object per row or per column. Nested columns
 * hold child writers, whose values are the elements (keys, values, fields) of all rows.
 *
 * <p>Use: {@link #add} per value; then {@link #computeSize} (which caches what {@link #writeTo}
 * needs, children included) and {@link #writeTo}; then {@link #reset}. The encoder fills its
 * top-level integer, double, boolean and string columns by row index instead of {@code add} (their
 * {@code set...(row, value)} methods, after {@link #reserveRows}), and tells them the row count
 * with {@link #endRows} before {@code computeSize}.
 */
abstract class ColumnWriter {

  final NullMask nulls = new NullMask();

  /** Values added since the last reset. */
  int size;

  /** Appends the next value; {@code null} is a null. */
  final void add(Object value) {
    if (value == null) {
      nulls.setNull(size);
      addNullSlot();
    } else {
      addValue(value);
    }
    size++;
  }

  /** Appends the slot a null occupies (0, "", no elements...). {@link #size} is not yet counted. */
  abstract void addNullSlot();

  /** Appends a non-null value. {@link #size} is not yet counted. */
  abstract void addValue(Object value);

  /** Size of the {@code Column} fields after {@code nulls}; may cache for {@link #writeValues}. */
  abstract int computeValuesSize();

  abstract void writeValues(CodedOutputStream out) throws IOException;

  /**
   * For a top-level column the encoder fills by row index: room for rows 0 to {@code rows - 1}.
   * Writers without row-indexed methods need none; those with them call super (the null bitmap).
   */
  void reserveRows(int rows) {
    nulls.reserve(rows);
  }

  /** For a top-level column the encoder filled by row index: the batch holds {@code rows}. */
  void endRows(int rows) {
    size = rows;
  }

  /** Forgets the values, keeping the buffers; subclasses call super. */
  void reset() {
    nulls.clear(size);
    size = 0;
  }

  /** Size of the {@code Column} body for the values added so far. */
  final int computeSize() {
    return nullsSize() + computeValuesSize();
  }

  final void writeTo(CodedOutputStream out) throws IOException {
    if (nulls.anyNull()) {
      out.writeByteArray(
          RowBatchFields.COLUMN_NULLS, nulls.bits(size), 0, NullMask.byteLength(size));
    }
    writeValues(out);
  }

  private int nullsSize() {
    return nulls.anyNull()
        ? CodedOutputStream.computeTagSize(RowBatchFields.COLUMN_NULLS)
            + CodedOutputStream.computeUInt32SizeNoTag(NullMask.byteLength(size))
            + NullMask.byteLength(size)
        : 0;
  }

  static ColumnWriter forType(ColumnType type) {
    ScalarKind scalar = ScalarKind.of(type.kind());
    if (scalar != null) {
      return scalar.newWriter(type);
    }
    return switch (type.kind()) {
      case ARRAY -> new ArrayColumnWriter(forType(type.elementType()));
      case MAP -> new MapColumnWriter(forType(type.keyType()), forType(type.valueType()));
      case ROW -> new RowColumnWriter(type);
      default -> throw new IllegalArgumentException("no column writer for " + type);
    };
  }

  /** Size of a packed repeated field whose payload is {@code dataSize} bytes (0 when empty). */
  static int packedSize(int fieldNumber, int dataSize) {
    return dataSize == 0
        ? 0
        : CodedOutputStream.computeTagSize(fieldNumber)
            + CodedOutputStream.computeUInt32SizeNoTag(dataSize)
            + dataSize;
  }

  static void writePackedHeader(CodedOutputStream out, int fieldNumber, int dataSize)
      throws IOException {
    out.writeTag(fieldNumber, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(dataSize);
  }

  /** Size of an embedded message field (a child column) whose body is {@code bodySize} bytes. */
  static int messageSize(int fieldNumber, int bodySize) {
    return CodedOutputStream.computeTagSize(fieldNumber)
        + CodedOutputStream.computeUInt32SizeNoTag(bodySize)
        + bodySize;
  }
}
