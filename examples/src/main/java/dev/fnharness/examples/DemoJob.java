package dev.fnharness.examples;

import dev.fnharness.flink.PythonFunctions;
import dev.fnharness.flink.PythonOptions;
import dev.fnharness.flink.PythonScalarFunction;
import java.nio.file.Path;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * A small job on an embedded MiniCluster: Java rows, Python functions, printed results.
 *
 * <p>Arguments: the path of demo_udfs.py, and optionally the Python interpreter.
 */
public final class DemoJob {

  public static void main(String[] args) throws Exception {
    Path udfs = Path.of(args.length > 0 ? args[0] : "examples/src/main/python/demo_udfs.py");
    Configuration config = new Configuration();
    config.set(PythonOptions.PYTHON_FILES, udfs.toAbsolutePath().toString());
    config.set(PythonOptions.PYTHON_EXECUTABLE, args.length > 1 ? args[1] : "python3");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(2);

    DataStream<Row> weather =
        env.fromData(
            Types.ROW_NAMED(new String[] {"name", "city", "celsius"}, Types.STRING, Types.STRING, Types.DOUBLE),
            Row.of("Ada", "London", 11.5),
            Row.of("Linus", "Helsinki", -3.0),
            Row.of("Grace", "Arlington", 24.0),
            Row.of("Guido", null, null));

    DataStream<Row> enriched =
        PythonFunctions.scalar(
            weather,
            PythonScalarFunction.of("demo_udfs:greet").args("name").returns(Types.STRING).as("greeting"),
            PythonScalarFunction.of("demo_udfs:shout").args("city").returns(Types.STRING).as("loud_city"),
            PythonScalarFunction.of("demo_udfs:celsius_to_fahrenheit")
                .args("celsius")
                .returns(Types.DOUBLE)
                .as("fahrenheit"));

    System.out.println("name | city | celsius | greeting | loud_city | fahrenheit");
    try (CloseableIterator<Row> rows = enriched.executeAndCollect("fnharness demo")) {
      while (rows.hasNext()) {
        Row row = rows.next();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.getArity(); i++) {
          line.append(i == 0 ? "" : " | ").append(row.getField(i));
        }
        System.out.println(line);
      }
    }
  }
}
