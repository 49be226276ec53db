/**
 * The operator of every plan whose results join its input rows ({@link
 * dev.fnharness.flink.internal.scalar.PythonFunctionOperator}): the rows waiting for results
 * ({@code WaitingRows}), how output batches join them ({@link
 * dev.fnharness.flink.internal.scalar.ResultJoin}: {@link
 * dev.fnharness.flink.internal.scalar.ScalarResultJoin} one to one, {@link
 * dev.fnharness.flink.internal.scalar.TableResultJoin} by position), and the watermark held while
 * bundles are in flight ({@code HeldWatermark}).
 */
package dev.fnharness.flink.internal.scalar;
