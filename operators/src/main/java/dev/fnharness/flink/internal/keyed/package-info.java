/**
 * The operator of keyed functions ({@link
 * dev.fnharness.flink.internal.keyed.PythonKeyedFunctionOperator}): one bundle at a time, events
 * (rows and fired timers) gathered by {@code KeyedInputBatch}, output rows and timer actions
 * applied by {@code KeyedResults}; state through {@code dev.fnharness.flink.internal.state}.
 */
package dev.fnharness.flink.internal.keyed;
