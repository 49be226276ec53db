package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import org.apache.flink.types.Row;

/**
 * ROW columns (nested {@link Row}s): one child column per field, each with a slot for every row; a
 * null row puts a null in every field.
 */
final class RowColumnWriter extends ColumnWriter {

  private final ColumnWriter[] fields;
  private final String[] names;
  private final int[] fieldSizes;

  RowColumnWriter(ColumnType type) {
    this.fields = new ColumnWriter[type.fieldTypes().size()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = ColumnWriter.forType(type.fieldTypes().get(i));
    }
    this.names = type.fieldNames().toArray(new String[0]);
    this.fieldSizes = new int[fields.length];
  }

  @Override
  void addNullSlot() {
    for (ColumnWriter field : fields) {
      field.add(null);
    }
  }

  @Override
  void addValue(Object value) {
    Row row = (Row) value;
    if (row.getArity() != fields.length) {
      throw new IllegalArgumentException(
          "the row " + row + " has " + row.getArity() + " fields, its type " + fields.length);
    }
    if (row.getFieldNames(false) == null) {
      for (int i = 0; i < fields.length; i++) {
        fields[i].add(row.getField(i));
      }
    } else { // a name-based Row (Row.withNames)
      for (int i = 0; i < fields.length; i++) {
        fields[i].add(row.getField(names[i]));
      }
    }
  }

  @Override
  int computeValuesSize() {
    int bytes = 0;
    for (int i = 0; i < fields.length; i++) {
      fieldSizes[i] = fields[i].computeSize();
      bytes += messageSize(RowBatchFields.COLUMN_CHILDREN, fieldSizes[i]);
    }
    return bytes;
  }

  @Override
  void writeValues(CodedOutputStream out) throws IOException {
    for (int i = 0; i < fields.length; i++) {
      out.writeTag(RowBatchFields.COLUMN_CHILDREN, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(fieldSizes[i]);
      fields[i].writeTo(out);
    }
  }

  @Override
  void reset() {
    for (ColumnWriter field : fields) {
      field.reset();
    }
    super.reset();
  }
}
