package dev.fnharness.flink.internal.plan;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.PythonKeyedFunction;
import dev.fnharness.flink.codec.ColumnType;
import dev.fnharness.flink.internal.keyed.PythonKeyedFunctionOperator;
import dev.fnharness.flink.internal.state.StateKeyCodec;
import dev.fnharness.flink.internal.worker.WorkerSetup;
import dev.fnharness.proto.Field;
import dev.fnharness.proto.KeyedFunctionPayload;
import dev.fnharness.proto.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.types.Row;

/**
 * What one keyed operator computes, worked out when the job is built: the key's and the rows'
 * column types, the output row type and the worker's payload. Unsupported types fail here.
 *
 * <p>Batches carry three leading columns before the row's fields (docs/protocol.md, "Keyed
 * functions and state"): in, event / timestamp / key; out, source / action / timer time.
 */
@Internal
public final class KeyedFunctionPlan implements TransformPlan {

  private static final long serialVersionUID = 1L;

  public static final Names.FunctionKind KIND = Names.FunctionKind.KEYED_FUNCTION;

  /** Leading output columns: source event, action, timer time. */
  public static final int OUTPUT_HEADER_COLUMNS = 3;

  private final String reference;
  private final ColumnType keyType;
  private final List<ColumnType> inputTypes;
  private final RowTypeInfo outputType;
  private final List<ColumnType> outputBatchTypes;
  private final Duration stateTtl;
  private final byte[] payload;

  private KeyedFunctionPlan(
      String reference,
      ColumnType keyType,
      List<ColumnType> inputTypes,
      RowTypeInfo outputType,
      List<ColumnType> outputColumnTypes,
      Duration stateTtl,
      byte[] payload) {
    this.reference = reference;
    this.keyType = keyType;
    this.inputTypes = inputTypes;
    this.outputType = outputType;
    List<ColumnType> batchTypes =
        new ArrayList<>(List.of(ColumnType.INT, ColumnType.INT, ColumnType.BIGINT));
    batchTypes.addAll(outputColumnTypes);
    this.outputBatchTypes = List.copyOf(batchTypes);
    this.stateTtl = stateTtl;
    this.payload = payload;
  }

  /**
   * @param stateCacheSize the worker's cross-bundle cache size ({@code python.state.cache-size})
   */
  public static KeyedFunctionPlan of(
      RowTypeInfo inputType,
      TypeInformation<?> keyTypeInfo,
      PythonKeyedFunction function,
      int stateCacheSize) {
    String reference = function.reference();
    if (function.outputType() == null) {
      throw new IllegalArgumentException(
          "Python function '"
              + reference
              + "' needs an output row type: add .returns(Types.ROW_NAMED(new String[]"
              + " {\"greeting\"}, Types.STRING)) or another named row type");
    }
    ColumnType keyType =
        ColumnType.of(
            keyTypeInfo, "key of the keyed stream of Python function '" + reference + "'");
    if (!StateKeyCodec.SUPPORTED.contains(keyType)) {
      throw new IllegalArgumentException(
          "The key of the keyed stream of Python function '"
              + reference
              + "' has type "
              + keyTypeInfo
              + "; keyed Python functions support keys of type "
              + StateKeyCodec.SUPPORTED);
    }
    KeyedFunctionPayload.Builder proto =
        KeyedFunctionPayload.newBuilder()
            .setModule(function.module())
            .setQualname(function.qualname())
            .setTimerModule(function.timerModule())
            .setTimerQualname(function.timerQualname())
            .setKeyType(keyType.toProto())
            .setCacheStateAcrossBundles(function.stateTtl() == null)
            .setStateCacheEntries(stateCacheSize);
    List<ColumnType> inputTypes =
        columns(inputType, "input column", reference, proto::addInputColumns);
    List<ColumnType> outputTypes =
        columns(function.outputType(), "output column", reference, proto::addOutputColumns);
    return new KeyedFunctionPlan(
        reference,
        keyType,
        inputTypes,
        function.outputType(),
        outputTypes,
        function.stateTtl(),
        proto.build().toByteArray());
  }

  private static List<ColumnType> columns(
      RowTypeInfo rowType, String what, String reference, Consumer<Field> addToPayload) {
    List<ColumnType> types = new ArrayList<>();
    String[] names = rowType.getFieldNames();
    for (int i = 0; i < rowType.getArity(); i++) {
      ColumnType type =
          ColumnType.of(
              rowType.getTypeAt(i),
              what + " '" + names[i] + "' of Python function '" + reference + "'");
      types.add(type);
      addToPayload.accept(Field.newBuilder().setName(names[i]).setType(type.toProto()).build());
    }
    return List.copyOf(types);
  }

  @Override
  public Names.FunctionKind kind() {
    return KIND;
  }

  @Override
  public OneInputStreamOperator<Row, Row> newOperator(WorkerSetup setup) {
    return new PythonKeyedFunctionOperator(this, setup);
  }

  @Override
  public List<String> functionReferences() {
    return List.of(reference);
  }

  /** "Python function 'greeter:greet'", for messages. */
  @Override
  public String describe() {
    return "Python function '" + reference + "'";
  }

  public ColumnType keyType() {
    return keyType;
  }

  public List<ColumnType> inputTypes() {
    return inputTypes;
  }

  @Override
  public RowTypeInfo outputType() {
    return outputType;
  }

  /** Types of the output batch: source, action, timer time, then the output row's fields. */
  @Override
  public List<ColumnType> outputBatchTypes() {
    return outputBatchTypes;
  }

  /** Null when state never expires. */
  public Duration stateTtl() {
    return stateTtl;
  }

  @Override
  public ByteString payload() {
    return ByteString.copyFrom(payload);
  }
}
