/**
 * {@link dev.fnharness.harness.worker.FnApiRemoteWorker}: a started worker seen through the Fn API,
 * whatever its environment: its server, its Control, Data and State streams, registration, bundles,
 * and the failure rule (the first sign of death fails everything in flight, once).
 */
package dev.fnharness.harness.worker;
