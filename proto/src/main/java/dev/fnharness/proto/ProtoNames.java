package dev.fnharness.proto;

import com.google.protobuf.ProtocolMessageEnum;
import org.apache.beam.model.pipeline.v1.RunnerApi;

/**
 * The strings behind {@link Names}' enum values, read from their {@code beam_urn} / {@code
 * beam_constant} options, as Beam reads its own: the proto is the one place they are spelt, for
 * Java and Python alike.
 */
public final class ProtoNames {

  private ProtoNames() {}

  /**
   * E.g. {@code urn(Names.FunctionKind.SCALAR_FUNCTION)} is
   * "fnharness:transform:scalar_function:v1".
   */
  public static String urn(ProtocolMessageEnum value) {
    return required(value, value.getValueDescriptor().getOptions().getExtension(RunnerApi.beamUrn));
  }

  /** E.g. {@code constant(Names.Constant.TRANSFORM_ID)} is "fn". */
  public static String constant(ProtocolMessageEnum value) {
    return required(
        value, value.getValueDescriptor().getOptions().getExtension(RunnerApi.beamConstant));
  }

  private static String required(ProtocolMessageEnum value, String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException(
          value.getValueDescriptor().getFullName() + " names nothing");
    }
    return name;
  }
}
