package dev.fnharness.examples;

import dev.fnharness.flink.PythonFunctions;
import dev.fnharness.flink.PythonKeyedFunction;
import dev.fnharness.flink.PythonOptions;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * The Stateful Functions greeter as a Flink job with a keyed Python function: a stream of names
 * becomes "Welcome X", "Nice to see you again X", "Third time is a charm X", then "Nice to see you
 * at the N-th time X". The counts are Flink keyed state, checkpointed with the job.
 *
 * <p>Arguments: the path of greeter.py, optionally the Python interpreter, then names (a default
 * list when none are given).
 */
public final class GreeterJob {

  public static final TypeInformation<Row> NAMES =
      Types.ROW_NAMED(new String[] {"name"}, Types.STRING);
  public static final TypeInformation<Row> GREETINGS =
      Types.ROW_NAMED(new String[] {"name", "greeting"}, Types.STRING, Types.STRING);

  private GreeterJob() {}

  /** Greets every name of {@code names} (rows with one STRING field "name"). */
  public static DataStream<Row> greetings(DataStream<Row> names) {
    return PythonFunctions.process(
        names.keyBy(row -> (String) row.getField(0), Types.STRING),
        PythonKeyedFunction.of("greeter:greet").onTimer("greeter:forget").returns(GREETINGS));
  }

  public static Configuration configuration(Path greeterPy, String python) {
    Configuration config = new Configuration();
    config.set(PythonOptions.PYTHON_FILES, greeterPy.toAbsolutePath().toString());
    config.set(PythonOptions.PYTHON_EXECUTABLE, python);
    return config;
  }

  public static void main(String[] args) throws Exception {
    Path greeter = Path.of(args.length > 0 ? args[0] : "examples/src/main/python/greeter.py");
    String python = args.length > 1 ? args[1] : "python3";
    List<String> names =
        args.length > 2
            ? List.of(args).subList(2, args.length)
            : List.of("Ada", "Linus", "Ada", "Grace", "Ada", "Linus", "Ada", "Ada");
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(configuration(greeter, python));
    env.setParallelism(2);

    DataStream<Row> input = env.fromData(NAMES, names.stream().map(Row::of).toArray(Row[]::new));
    try (CloseableIterator<Row> rows = greetings(input).executeAndCollect("fnharness greeter")) {
      rows.forEachRemaining(row -> System.out.println(row.getField(1)));
    }
  }
}
