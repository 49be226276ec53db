/**
 * What the public API in {@code dev.fnharness.flink} is made of; not an API itself: everything
 * public here is {@code @Internal} and may change. By concern:
 *
 * <ul>
 *   <li>{@code plan}: one plan class per function kind ({@code TransformPlan}), and the one place a
 *       descriptor is made ({@code TransformDescriptor}).
 *   <li>{@code scalar}: the operator of functions whose results join their input rows (scalar and
 *       table functions), its waiting rows and result joins.
 *   <li>{@code keyed}: the operator of keyed functions, its input batches and results (rows and
 *       timers).
 *   <li>{@code state}: Flink keyed state behind the worker's state requests.
 *   <li>{@code bundles}: what every operator shares: {@code OperatorRuntime} over the bundle
 *       lifecycle, the output hand-off to the task thread and the task thread's wake-up.
 *   <li>{@code worker}: an operator's worker: its settings at run time, shipped files, lease (own
 *       or the slot's), registration.
 *   <li>{@code config}: the {@code python.*} settings, checked, and the worker modes.
 * </ul>
 *
 * docs/architecture.md has the path of a row through them and the threads.
 */
package dev.fnharness.flink.internal;
