package dev.fnharness.flink.codec;

import java.util.List;
import org.apache.flink.types.Row;

/**
 * Encodes a fixed batch and says which per-row code did it; public so that a test can call it
 * through another class loader (see {@link RowAdderGeneratorTest}).
 */
public final class CodecProbe {

  private CodecProbe() {}

  /**
   * @return the adder's class, whether it is hidden, and the batch's bytes
   */
  public static Object[] encode() {
    RowBatchEncoder encoder =
        new RowBatchEncoder(
            new int[] {1, 0, 2}, List.of(ColumnType.STRING, ColumnType.BIGINT, ColumnType.DOUBLE));
    encoder.add(Row.of(7L, "seven", 7.5));
    encoder.add(Row.of(null, null, null));
    Class<?> adder = encoder.adder().getClass();
    return new Object[] {adder, adder.isHidden(), encoder.finish().toByteArray()};
  }
}
