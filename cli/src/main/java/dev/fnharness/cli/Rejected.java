package dev.fnharness.cli;

import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.util.OutputTag;

/**
 * Input records set aside for the reject file: (line number, the record's bytes as in the file,
 * why). Bytes, not text, so that a record that is not UTF-8 is written back exactly as it was.
 */
final class Rejected {

  static final TypeInformation<Tuple3<Long, byte[], String>> TYPE =
      new TypeHint<Tuple3<Long, byte[], String>>() {}.getTypeInfo();

  /** The side output of the stages that read and parse records. */
  static final OutputTag<Tuple3<Long, byte[], String>> TAG = new OutputTag<>("rejected", TYPE);

  private Rejected() {}
}
