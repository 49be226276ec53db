package dev.fnharness.examples.cdn;

import java.util.UUID;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.types.Row;

/**
 * CDN access-log rows made up from their sequence number alone, so every run and every test sees
 * the same log: {@code uuid, client_ip, request_time, response_size, uri}. Clients repeat, as on a
 * real CDN: 100,000 of them, spread over all public IPv4 /8 blocks.
 */
public final class AccessLogGenerator implements MapFunction<Long, Row> {

  private static final long serialVersionUID = 1L;

  public static final TypeInformation<Row> ROW_TYPE =
      Types.ROW_NAMED(
          new String[] {"uuid", "client_ip", "request_time", "response_size", "uri"},
          Types.STRING,
          Types.STRING,
          Types.LONG,
          Types.LONG,
          Types.STRING);

  private static final int CLIENTS = 100_000;
  private static final int OBJECTS = 5_000;

  @Override
  public Row map(Long sequence) {
    return row(sequence);
  }

  /** Row number {@code sequence} of the log. */
  public static Row row(long sequence) {
    long h = mix(sequence);
    long client = Long.remainderUnsigned(h, CLIENTS);
    long object = Long.remainderUnsigned(mix(h), OBJECTS);
    // sizes from 1 kB to ~16 MB, mostly small; larger files take longer
    long responseSize = 1024L << Long.remainderUnsigned(mix(h + 1), 15);
    long requestTime = 5 + responseSize / (2_000 + Long.remainderUnsigned(mix(h + 2), 30_000));
    return Row.of(
        new UUID(h, mix(h + 3)).toString(),
        clientIp(client),
        requestTime,
        responseSize,
        "/video/" + object + ".mp4");
  }

  /** A public-looking IPv4 address for client number {@code client}: first octet 1..223. */
  static String clientIp(long client) {
    long h = mix(client * 31 + 7);
    long a = 1 + Long.remainderUnsigned(h, 223);
    return a + "." + ((h >>> 8) & 255) + "." + ((h >>> 16) & 255) + "." + ((h >>> 24) & 255);
  }

  /** SplitMix64's finalizer: a cheap, well-spread hash of a long. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
