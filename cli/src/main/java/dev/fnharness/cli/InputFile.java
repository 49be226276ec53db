package dev.fnharness.cli;

import java.io.Serializable;
import java.nio.file.Path;
import org.apache.flink.api.common.functions.RuntimeContext;

/**
 * Where the job reads its input: the client's file itself (MiniCluster), or its copy in Flink's
 * distributed cache (a remote cluster, whose TaskManagers may not see the client's disk).
 *
 * @param label the path as the user gave it, for error messages
 * @param cacheName the distributed-cache entry, or null to read {@code label} directly
 */
record InputFile(String label, String cacheName) implements Serializable {

  static final String CACHE_NAME = "fnharness-cli-input";

  Path open(RuntimeContext context) {
    return cacheName == null
        ? Path.of(label)
        : context.getDistributedCache().getFile(cacheName).toPath();
  }
}
