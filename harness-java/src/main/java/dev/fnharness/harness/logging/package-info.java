/**
 * The Logging stream: {@link dev.fnharness.harness.logging.LoggingServer} receives the worker's
 * records and hands them to a {@link dev.fnharness.harness.logging.LogEntrySink}, by default {@link
 * dev.fnharness.harness.logging.Slf4jLogEntrySink} (logger {@code fnharness.python.<name>}, message
 * prefixed with the worker id).
 */
package dev.fnharness.harness.logging;
