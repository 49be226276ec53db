/**
 * What the worker runs, worked out when the job is built: {@link
 * dev.fnharness.flink.internal.plan.TransformPlan}, one class per function kind ({@link
 * dev.fnharness.flink.internal.plan.ScalarFunctionPlan}, {@link
 * dev.fnharness.flink.internal.plan.TableFunctionPlan}, both {@link
 * dev.fnharness.flink.internal.plan.RowFunctionPlan}s, and {@link
 * dev.fnharness.flink.internal.plan.KeyedFunctionPlan}), each with its URN, payload, output batch
 * types, result join and operator; {@link dev.fnharness.flink.internal.plan.TransformDescriptor}
 * makes any of them the worker's descriptor, with the operator's {@code OperatorInfo}.
 */
package dev.fnharness.flink.internal.plan;
