package com.example.quickstart;

import dev.fnharness.flink.PythonFunctions;
import dev.fnharness.flink.PythonOptions;
import dev.fnharness.flink.PythonScalarFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;

/** Adds one to each of the numbers 1 to 5, in Python. Arguments: more settings, as key=value. */
public class QuickstartJob {

  public static void main(String[] args) throws Exception {
    Configuration conf = new Configuration();
    conf.set(PythonOptions.PYTHON_FILES, "udfs.py"); // travels with the job
    for (String setting : args) { // e.g. python.executable=/usr/bin/python3.12
      String[] keyAndValue = setting.split("=", 2);
      if (keyAndValue.length != 2) {
        throw new IllegalArgumentException("Settings are key=value, not '" + setting + "'");
      }
      conf.setString(keyAndValue[0], keyAndValue[1]);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);

    DataStream<Row> rows =
        env.fromSequence(1, 5).map(Row::of).returns(Types.ROW_NAMED(new String[] {"x"}, Types.LONG));
    DataStream<Row> withY =
        PythonFunctions.scalar(
            rows, PythonScalarFunction.of("udfs:add_one").args("x").returns(Types.LONG).as("y"));
    withY.print();
    env.execute("fnharness quickstart");
  }
}
