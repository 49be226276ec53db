package dev.fnharness.cli;

import java.util.List;
import org.apache.flink.types.Row;

/**
 * CSV records: fields in schema order; a first record that repeats the column names is a header. A
 * record is a line, or several when a quoted field holds line breaks ({@link CsvRecordFraming}).
 */
final class CsvLineParser implements LineParser {

  private static final long serialVersionUID = 1L;

  private final Schema schema;

  CsvLineParser(Schema schema) {
    this.schema = schema;
  }

  @Override
  public Row parse(String line) throws BadLineException {
    List<String> fields = CsvFields.split(line);
    if (fields.size() != schema.size()) {
      throw new BadLineException(
          fields.size()
              + " field(s), but the schema has "
              + schema.size()
              + " column(s): "
              + String.join(", ", schema.names()));
    }
    Row row = new Row(schema.size());
    for (int i = 0; i < fields.size(); i++) {
      row.setField(i, LineParser.value(schema.column(i), i, fields.get(i)));
    }
    return row;
  }

  @Override
  public RecordFraming framing() {
    return new CsvRecordFraming();
  }

  @Override
  public boolean isHeader(String firstLine) {
    try {
      List<String> fields = CsvFields.split(firstLine);
      if (fields.size() != schema.size()) {
        return false;
      }
      for (int i = 0; i < fields.size(); i++) {
        if (fields.get(i) == null
            || !fields.get(i).trim().equalsIgnoreCase(schema.column(i).name())) {
          return false;
        }
      }
      return true;
    } catch (BadLineException e) {
      return false;
    }
  }
}
