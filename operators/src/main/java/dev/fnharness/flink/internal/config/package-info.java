/**
 * The {@code python.*} settings: {@link dev.fnharness.flink.internal.config.PythonConfig} (capture,
 * fallback to the cluster's, the common getters), {@code ConfigChecks}, {@code DependencySettings}
 * (python.files, requirements, archives), and the worker modes: {@link
 * dev.fnharness.flink.internal.config.WorkerMode}, each with its settings ({@link
 * dev.fnharness.flink.internal.config.DockerSettings}, {@link
 * dev.fnharness.flink.internal.config.ExternalSettings} and {@link
 * dev.fnharness.flink.internal.config.ExternalRunner}) and its environment; {@link
 * dev.fnharness.flink.internal.config.WorkerScope}.
 */
package dev.fnharness.flink.internal.config;
