package dev.fnharness.flink.codec;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Arrays;

/** ARRAY and MAP columns: per row its number of elements in {@code lengths}, plus child columns. */
abstract class LengthsColumnWriter extends ColumnWriter {

  private final ColumnWriter[] children;
  private final int[] childSizes;
  private int[] lengths = new int[64];
  private int lengthsSize;

  LengthsColumnWriter(ColumnWriter... children) {
    this.children = children;
    this.childSizes = new int[children.length];
  }

  /** Records the number of elements of the row being added. */
  final void appendLength(int length) {
    if (size == lengths.length) {
      lengths = Arrays.copyOf(lengths, size * 2);
    }
    lengths[size] = length;
  }

  @Override
  final void addNullSlot() {
    appendLength(0);
  }

  @Override
  final int computeValuesSize() {
    int data = 0;
    for (int i = 0; i < size; i++) {
      data += CodedOutputStream.computeUInt32SizeNoTag(lengths[i]);
    }
    lengthsSize = data;
    int bytes = packedSize(RowBatchFields.COLUMN_LENGTHS, data);
    for (int c = 0; c < children.length; c++) {
      childSizes[c] = children[c].computeSize();
      bytes += messageSize(RowBatchFields.COLUMN_CHILDREN, childSizes[c]);
    }
    return bytes;
  }

  @Override
  final void writeValues(CodedOutputStream out) throws IOException {
    if (size > 0) {
      writePackedHeader(out, RowBatchFields.COLUMN_LENGTHS, lengthsSize);
      for (int i = 0; i < size; i++) {
        out.writeUInt32NoTag(lengths[i]);
      }
    }
    for (int c = 0; c < children.length; c++) {
      out.writeTag(RowBatchFields.COLUMN_CHILDREN, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(childSizes[c]);
      children[c].writeTo(out);
    }
  }

  @Override
  final void reset() {
    for (ColumnWriter child : children) {
      child.reset();
    }
    super.reset();
  }
}
