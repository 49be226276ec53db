package dev.fnharness.cli;

import dev.fnharness.flink.PythonFunctions;
import dev.fnharness.flink.PythonScalarFunction;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.flink.types.Row;

/**
 * The job of {@code fnharness run}: read lines, parse them in parallel, the scalar UDFs in one
 * Python operator (keeping the --keep columns), then each table UDF in its own, and format the rows
 * as output lines. What comes back to the client is one stream: output lines (right) and rejected
 * lines (left).
 */
final class CliPipeline {

  static final TypeInformation<Tuple3<Long, String, String>> REJECT_TYPE =
      new TypeHint<Tuple3<Long, String, String>>() {}.getTypeInfo();
  static final TypeInformation<Either<Tuple3<Long, String, String>, String>> RESULT_TYPE =
      new EitherTypeInfo<>(REJECT_TYPE, Types.STRING);

  private final Schema schema;
  private final List<String> keep;
  private final List<UdfSpec> scalarUdfs;
  private final List<UdfSpec> tableUdfs;
  private final List<Schema.Column> outputColumns;

  /**
   * @param keep the input columns the output keeps, null for all
   * @param udfSpecs the --udf values; {@code tableUdfSpecs} the --table-udf values, in order
   * @throws SpecException for a spec that does not parse or names an unknown column
   */
  CliPipeline(Schema schema, List<String> keep, List<String> udfSpecs, List<String> tableUdfSpecs) {
    this.schema = schema;
    this.keep = keep;
    List<String> columns = schema.names();
    if (keep != null) {
      for (String column : keep) {
        if (!columns.contains(column)) {
          throw SpecException.about(
              "--keep",
              String.join(",", keep),
              "there is no column '" + column + "'; the columns are " + String.join(", ", columns));
        }
      }
    }
    List<UdfSpec> scalars = new ArrayList<>();
    for (String spec : udfSpecs) {
      scalars.add(UdfSpecParser.scalar(spec, columns));
    }
    this.scalarUdfs = scalars;
    List<UdfSpec> tables = new ArrayList<>();
    List<Schema.Column> available = new ArrayList<>();
    for (String name : keep == null ? columns : keep) {
      available.add(schema.column(columns.indexOf(name)));
    }
    scalars.forEach(u -> available.addAll(u.resultColumns()));
    for (String spec : tableUdfSpecs) {
      UdfSpec table = UdfSpecParser.table(spec, names(available));
      available.addAll(table.resultColumns());
      tables.add(table);
    }
    this.tableUdfs = tables;
    this.outputColumns = List.copyOf(available);
  }

  private static List<String> names(List<Schema.Column> columns) {
    return columns.stream().map(Schema.Column::name).toList();
  }

  /** The columns of the output rows, in order. */
  List<Schema.Column> outputColumns() {
    return outputColumns;
  }

  /** The stream the client collects: output lines made by {@code format}, and rejected lines. */
  DataStream<Either<Tuple3<Long, String, String>, String>> build(
      StreamExecutionEnvironment env,
      InputFile input,
      LineParser parser,
      boolean rejectBadLines,
      RowFormatter format) {
    DataStream<Tuple2<Long, String>> lines =
        env.fromData(input.label())
            .flatMap(new ReadLines(input, parser))
            .returns(new TypeHint<Tuple2<Long, String>>() {})
            .setParallelism(1)
            .name("read " + input.label());
    SingleOutputStreamOperator<Row> rows =
        lines
            .rebalance()
            .process(new ParseLines(parser, input.label(), rejectBadLines))
            .returns(schema.rowType())
            .name("parse");

    DataStream<Row> out = rows;
    boolean first = true;
    if (!scalarUdfs.isEmpty()) {
      out =
          keeping(out, first)
              .scalar(
                  scalarUdfs.stream()
                      .map(UdfSpec::scalarFunction)
                      .toArray(PythonScalarFunction[]::new));
      first = false;
    }
    for (UdfSpec table : tableUdfs) {
      out = keeping(out, first).table(table.tableFunction());
      first = false;
    }

    List<String> built = List.of(((RowTypeInfo) out.getType()).getFieldNames());
    if (!built.equals(names(outputColumns))) {
      throw new IllegalStateException(
          "Output columns " + built + ", expected " + names(outputColumns));
    }
    DataStream<Either<Tuple3<Long, String, String>, String>> formatted =
        out.map(row -> Either.<Tuple3<Long, String, String>, String>Right(format.format(row)))
            .returns(RESULT_TYPE)
            .name("format");
    DataStream<Either<Tuple3<Long, String, String>, String>> rejected =
        rows.getSideOutput(ParseLines.REJECTED)
            .map(Either::<Tuple3<Long, String, String>, String>Left)
            .returns(RESULT_TYPE)
            .name("rejected lines");
    return formatted.union(rejected);
  }

  /** The first Python operator keeps the --keep columns; later ones keep everything. */
  private PythonFunctions.Builder keeping(DataStream<Row> stream, boolean first) {
    PythonFunctions.Builder builder = PythonFunctions.on(stream);
    return first && keep != null ? builder.keep(keep.toArray(String[]::new)) : builder;
  }
}
