package dev.fnharness.cli;

import dev.fnharness.flink.PythonFunctions;
import dev.fnharness.flink.PythonScalarFunction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The job of {@code fnharness run}: read records, parse them in parallel, the scalar UDFs in one
 * Python operator, then each table UDF in its own, and format the rows as output lines. What comes
 * back to the client is one stream: output lines (right) and rejected records (left).
 *
 * <p>{@code --keep} chooses the input columns of the output only: every UDF may read any input
 * column. Each Python operator keeps the columns that the output or a later UDF needs, so the last
 * one's rows are the output's columns, in order.
 */
final class CliPipeline {

  static final TypeInformation<Either<Tuple3<Long, byte[], String>, String>> RESULT_TYPE =
      new EitherTypeInfo<>(Rejected.TYPE, Types.STRING);

  /** A column of some stage's rows: an input column (stage -1) or a result of stage n. */
  private record Slot(String name, int stage) {}

  /** A Python operator: its UDFs (several scalar ones, or one table UDF) and what it keeps. */
  private record Stage(List<UdfSpec> udfs, boolean table, List<String> keep) {}

  private static final int INPUT = -1;

  private final Schema schema;
  private final List<Stage> stages = new ArrayList<>();
  private final List<Schema.Column> outputColumns = new ArrayList<>();

  /** For each output column, the function that makes it, or null for an input column. */
  private final List<String> producers = new ArrayList<>();

  /**
   * @param keep the input columns the output keeps, null for all
   * @param udfSpecs the --udf values; {@code tableUdfSpecs} the --table-udf values, in order
   * @throws SpecException for a spec that does not parse, names an unknown column, or names its
   *     result as another output column is named
   */
  CliPipeline(Schema schema, List<String> keep, List<String> udfSpecs, List<String> tableUdfSpecs) {
    this.schema = schema;
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
    List<Slot> output = new ArrayList<>();
    for (String name : keep == null ? columns : keep) {
      output.add(new Slot(name, INPUT));
      outputColumns.add(schema.column(columns.indexOf(name)));
      producers.add(null);
    }
    // the column each name means at this point: an input column, or the latest result so named
    Map<String, Slot> visible = new LinkedHashMap<>();
    columns.forEach(name -> visible.put(name, new Slot(name, INPUT)));
    List<List<UdfSpec>> udfsByStage = new ArrayList<>();
    List<Set<Slot>> reads = new ArrayList<>();

    List<UdfSpec> scalars = new ArrayList<>();
    Set<Slot> scalarReads = new HashSet<>();
    for (String spec : udfSpecs) {
      UdfSpec udf = UdfSpecParser.scalar(spec, columns);
      udf.columnsRead().forEach(name -> scalarReads.add(new Slot(name, INPUT)));
      scalars.add(udf);
    }
    if (!scalars.isEmpty()) {
      udfsByStage.add(scalars);
      reads.add(scalarReads);
      for (int i = 0; i < scalars.size(); i++) {
        addResults(scalars.get(i), "--udf", udfSpecs.get(i), 0, output, visible);
      }
    }
    for (String spec : tableUdfSpecs) {
      UdfSpec table = UdfSpecParser.table(spec, List.copyOf(visible.keySet()));
      Set<Slot> tableReads = new HashSet<>();
      table.columnsRead().forEach(name -> tableReads.add(visible.get(name)));
      int stage = udfsByStage.size();
      udfsByStage.add(List.of(table));
      reads.add(tableReads);
      addResults(table, "--table-udf", spec, stage, output, visible);
    }
    planStages(columns, udfsByStage, reads, output, !scalars.isEmpty());
  }

  private void addResults(
      UdfSpec udf,
      String option,
      String spec,
      int stage,
      List<Slot> output,
      Map<String, Slot> visible) {
    for (Schema.Column result : udf.resultColumns()) {
      List<String> names = names(outputColumns);
      if (names.contains(result.name())) {
        throw SpecException.about(
            option,
            spec,
            "its result column '"
                + result.name()
                + "' has the name of another column of the output ("
                + String.join(", ", names)
                + "); choose another");
      }
      Slot slot = new Slot(result.name(), stage);
      output.add(slot);
      outputColumns.add(result);
      producers.add(udf.call().reference());
      visible.put(result.name(), slot);
    }
  }

  /** What each stage keeps: the output columns it has, then the columns later stages read. */
  private void planStages(
      List<String> inputColumns,
      List<List<UdfSpec>> udfsByStage,
      List<Set<Slot>> reads,
      List<Slot> output,
      boolean firstIsScalar) {
    List<Slot> incoming = new ArrayList<>();
    inputColumns.forEach(name -> incoming.add(new Slot(name, INPUT)));
    for (int stage = 0; stage < udfsByStage.size(); stage++) {
      Set<Slot> readLater = new HashSet<>();
      for (int later = stage + 1; later < udfsByStage.size(); later++) {
        readLater.addAll(reads.get(later));
      }
      List<Slot> kept = new ArrayList<>();
      for (Slot slot : output) {
        if (incoming.contains(slot)) {
          kept.add(slot);
        }
      }
      for (Slot slot : incoming) {
        if (readLater.contains(slot) && !kept.contains(slot)) {
          kept.add(slot);
        }
      }
      stages.add(
          new Stage(
              udfsByStage.get(stage),
              !(stage == 0 && firstIsScalar),
              kept.stream().map(Slot::name).toList()));
      incoming.clear();
      incoming.addAll(kept);
      for (Slot slot : output) {
        if (slot.stage() == stage) {
          incoming.add(slot);
        }
      }
    }
  }

  private static List<String> names(List<Schema.Column> columns) {
    return columns.stream().map(Schema.Column::name).toList();
  }

  /** The columns of the output rows, in order. */
  List<Schema.Column> outputColumns() {
    return List.copyOf(outputColumns);
  }

  /**
   * The stream the client collects: output lines made by {@code format}, and rejected records.
   *
   * @param maxRecordBytes the most bytes an input record may have
   */
  DataStream<Either<Tuple3<Long, byte[], String>, String>> build(
      StreamExecutionEnvironment env,
      InputFile input,
      LineParser parser,
      boolean rejectBadLines,
      int maxRecordBytes,
      RowFormatter format) {
    SingleOutputStreamOperator<Tuple2<Long, String>> lines =
        env.fromData(input.label())
            .process(new ReadLines(input, parser, rejectBadLines, maxRecordBytes))
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
    for (Stage stage : stages) {
      PythonFunctions.Builder builder =
          PythonFunctions.on(out).keep(stage.keep().toArray(String[]::new));
      out =
          stage.table()
              ? builder.table(stage.udfs().get(0).tableFunction())
              : builder.scalar(
                  stage.udfs().stream()
                      .map(UdfSpec::scalarFunction)
                      .toArray(PythonScalarFunction[]::new));
    }

    List<String> built = List.of(((RowTypeInfo) out.getType()).getFieldNames());
    if (!built.equals(names(outputColumns))) {
      throw new IllegalStateException(
          "Output columns " + built + ", expected " + names(outputColumns));
    }
    ResultLimits limits = ResultLimits.of(outputColumns, producers);
    DataStream<Either<Tuple3<Long, byte[], String>, String>> formatted =
        out.map(
                row ->
                    Either.<Tuple3<Long, byte[], String>, String>Right(
                        format.format(limits == null ? row : limits.fit(row))))
            .returns(RESULT_TYPE)
            .name("format");
    DataStream<Either<Tuple3<Long, byte[], String>, String>> rejected =
        lines
            .getSideOutput(Rejected.TAG)
            .union(rows.getSideOutput(Rejected.TAG))
            .map(Either::<Tuple3<Long, byte[], String>, String>Left)
            .returns(RESULT_TYPE)
            .name("rejected records");
    return formatted.union(rejected);
  }
}
