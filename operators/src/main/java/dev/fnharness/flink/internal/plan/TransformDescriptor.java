package dev.fnharness.flink.internal.plan;

import dev.fnharness.proto.Names;
import dev.fnharness.proto.OperatorInfo;
import dev.fnharness.proto.ProtoNames;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleDescriptor;
import org.apache.beam.model.pipeline.v1.RunnerApi.FunctionSpec;
import org.apache.beam.model.pipeline.v1.RunnerApi.PTransform;
import org.apache.flink.annotation.Internal;

/**
 * The one place a {@link ProcessBundleDescriptor} is made, for every kind of plan: one transform
 * under {@link #TRANSFORM_ID}, whose spec is the plan's URN and payload, and whose annotations
 * carry the {@link OperatorInfo} of the operator instance that registers it (what a Python
 * function's {@code open(context)} is told). docs/protocol.md, "Control", has the contract.
 */
@Internal
public final class TransformDescriptor {

  /** The id of the descriptor's one transform, and so of its Data and State traffic. */
  public static final String TRANSFORM_ID = ProtoNames.constant(Names.Constant.TRANSFORM_ID);

  /** The annotation key of the transform's {@link OperatorInfo}. */
  public static final String OPERATOR_INFO_ANNOTATION =
      ProtoNames.constant(Names.Constant.OPERATOR_INFO_ANNOTATION);

  private TransformDescriptor() {}

  /**
   * @param descriptorId unique among the descriptors of the worker, which operators may share
   */
  public static ProcessBundleDescriptor of(
      TransformPlan plan, String descriptorId, OperatorInfo operator) {
    return ProcessBundleDescriptor.newBuilder()
        .setId(descriptorId)
        .putTransforms(
            TRANSFORM_ID,
            PTransform.newBuilder()
                .setUniqueName(String.join(",", plan.functionReferences()))
                .setSpec(
                    FunctionSpec.newBuilder()
                        .setUrn(ProtoNames.urn(plan.kind()))
                        .setPayload(plan.payload()))
                .putAnnotations(OPERATOR_INFO_ANNOTATION, operator.toByteString())
                .build())
        .build();
  }
}
