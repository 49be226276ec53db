package dev.fnharness.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The serialization benchmarks timed by this thread's CPU time instead of the wall clock, for a
 * machine shared with other builds: time the thread spends waiting for a core is left out, which
 * JMH's wall-clock figures cannot do. The methods run in alternating rounds (so a busy stretch hits
 * all of them) and the median round is reported. Time spent in GC threads is not counted (about 1%
 * for the columnar encoder, by JMH's {@code -prof gc}).
 *
 * <p>Arguments: a {@link BenchmarkSchema} name, {@code FLOOR} for {@link MixedFloorBenchmark}, or
 * {@code COLUMNS=0,1,3,4} for {@link EncodeBreakdownBenchmark} with those MIXED columns; then
 * optionally rounds (default 9) and milliseconds per round (default 300). Run one JVM per schema,
 * as JMH forks one per parameter, so no schema's profile shapes another's code.
 */
public final class CpuTimeRunner {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static volatile Object sink;

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    long millis = args.length > 2 ? Long.parseLong(args[2]) : 300;
    Map<String, Callable<Object>> methods = new LinkedHashMap<>();
    if (args[0].startsWith("COLUMNS=")) {
      EncodeBreakdownBenchmark breakdown = new EncodeBreakdownBenchmark();
      breakdown.columns = args[0].substring("COLUMNS=".length());
      breakdown.setUp();
      methods.put("encode", breakdown::encode);
    } else if (args[0].equals("FLOOR")) {
      MixedFloorBenchmark floor = new MixedFloorBenchmark();
      floor.setUp();
      methods.put("encodeColumnar", floor::encodeColumnar);
      methods.put("encodeHandWritten", floor::encodeHandWritten);
      methods.put("encodeFlinkRowSerializer", floor::encodeFlinkRowSerializer);
    } else {
      SerializationBenchmark b = new SerializationBenchmark();
      b.schema = BenchmarkSchema.valueOf(args[0]);
      b.setUp();
      methods.put("encodeColumnar", b::encodeColumnar);
      methods.put("encodeFlinkRowSerializer", b::encodeFlinkRowSerializer);
      methods.put("encodeProtobufPerRow", b::encodeProtobufPerRow);
      methods.put("decodeColumnar", b::decodeColumnar);
      methods.put("decodeFlinkRowSerializer", b::decodeFlinkRowSerializer);
      methods.put("decodeProtobufPerRow", b::decodeProtobufPerRow);
    }
    Map<String, double[]> micros = new LinkedHashMap<>();
    methods.keySet().forEach(name -> micros.put(name, new double[rounds]));
    for (int warmUp = 0; warmUp < 3; warmUp++) {
      for (Callable<Object> method : methods.values()) {
        cpuMicrosPerCall(method, millis);
      }
    }
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<String, Callable<Object>> method : methods.entrySet()) {
        micros.get(method.getKey())[round] = cpuMicrosPerCall(method.getValue(), millis);
      }
    }
    for (Map.Entry<String, double[]> entry : micros.entrySet()) {
      double[] sorted = entry.getValue().clone();
      Arrays.sort(sorted);
      System.out.printf(
          "%-8s %-26s median %8.2f  min %8.2f  max %8.2f  us/op (thread CPU time)%n",
          args[0], entry.getKey(), sorted[rounds / 2], sorted[0], sorted[rounds - 1]);
    }
  }

  private static double cpuMicrosPerCall(Callable<Object> method, long millis) throws Exception {
    long end = System.nanoTime() + millis * 1_000_000;
    long calls = 0;
    long start = THREADS.getCurrentThreadCpuTime();
    do {
      for (int i = 0; i < 20; i++) {
        sink = method.call();
      }
      calls += 20;
    } while (System.nanoTime() < end);
    return (THREADS.getCurrentThreadCpuTime() - start) / 1000.0 / calls;
  }

  private CpuTimeRunner() {}
}
