package dev.fnharness.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.types.Row;

/**
 * Seeded random input files for {@link InputFuzzTest} and {@link RunCommandITCase}: valid rows
 * written the ways other tools write them (quoted or not, CRLF or LF, NaN and infinity spelled as
 * Python, Java or Spark do, base64 of either alphabet, line breaks inside quoted fields, huge
 * fields), blank lines, bad rows of every kind this reader reports, and, when asked, chaos:
 * truncated lines, stray quotes and random bytes. Each segment says what it should read as.
 */
final class InputFuzzFiles {

  static final Schema SCHEMA =
      SchemaParser.parse("id BIGINT, name STRING, x DOUBLE, data BYTES, tags ARRAY<STRING>");

  enum Kind {
    VALID,
    BAD,
    BLANK
  }

  /**
   * @param row for VALID, the row it reads as
   * @param bytes for BAD, the bytes the reject file must get
   */
  record Expected(Kind kind, long line, Row row, byte[] bytes) {}

  /**
   * @param firstChaosLine the line of the first chaos segment (past it only invariants hold), or
   *     Long.MAX_VALUE
   */
  record File(byte[] bytes, List<Expected> expected, long firstChaosLine) {}

  private static final String[] NAN = {"nan", "NaN", "NAN", "-nan", "+nan"};
  private static final String[] INF = {"inf", "Inf", "+inf", "Infinity", "+Infinity", "INFINITY"};
  private static final String[] MINUS_INF = {"-inf", "-Inf", "-Infinity", "-INFINITY"};
  private static final String[] JSON_NAN = {"NaN", "\"nan\"", "\"NaN\""};
  private static final String[] JSON_INF = {"Infinity", "+Infinity", "\"inf\"", "\"Infinity\""};
  private static final String[] JSON_MINUS_INF = {"-Infinity", "\"-inf\"", "\"-Infinity\""};
  private static final String[] TEXT = {
    "a",
    "b",
    "Z",
    "0",
    "7",
    " ",
    ",",
    "\"",
    "'",
    "\\",
    "{",
    "[",
    "é",
    "中",
    "\uD83D\uDE00",
    "\t",
    "\n",
    "\r\n",
    "\r"
  };
  private static final String[] PLAIN_TEXT = {"a", "b", "Z", "0", "7", " ", "'", "é", "中", "_"};
  private static final byte[][] INVALID_UTF8 = {
    {(byte) 0xFF},
    {(byte) 0xC3},
    {(byte) 0x80},
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a surrogate
    {(byte) 0xC0, (byte) 0xAF}, // overlong '/'
    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // past U+10FFFF
    {(byte) 0xE2, (byte) 0x82} // cut short
  };
  private static final byte[] CHAOS_BYTES = {'"', '"', ',', '\r', '\n', (byte) 0xFF, 'a', '{', '}'};

  private InputFuzzFiles() {}

  // --- files -----------------------------------------------------------------------------------

  static File csv(Random random, boolean chaos) {
    Builder file = new Builder(random, true);
    if (random.nextInt(5) == 0) {
      file.add("id,name,x,data,tags".getBytes(StandardCharsets.UTF_8), Kind.BLANK, null);
    }
    int segments = 5 + random.nextInt(30);
    for (int i = 0; i < segments; i++) {
      int pick = random.nextInt(100);
      if (chaos && pick < 15) {
        file.chaos(csvLine(random, row(random, false, false), false));
      } else if (pick < 60) {
        Row row = row(random, file.hugeOnce(), false);
        file.add(csvLine(random, row, false), Kind.VALID, row);
      } else if (pick < 70) {
        file.add(blank(random), Kind.BLANK, null);
      } else {
        file.add(badCsv(random), Kind.BAD, null);
      }
    }
    if (!chaos && random.nextInt(4) == 0) {
      // a quote that never closes, then rows with no quote to close it: it costs its line only
      file.add(
          ("9,\"never closed" + plain(random)).getBytes(StandardCharsets.UTF_8), Kind.BAD, null);
      for (int i = random.nextInt(4); i > 0; i--) {
        Row row = plainRow(random);
        file.add(csvLine(random, row, true), Kind.VALID, row);
      }
    }
    return file.build();
  }

  static File json(Random random, boolean chaos) {
    Builder file = new Builder(random, false);
    int segments = 5 + random.nextInt(30);
    for (int i = 0; i < segments; i++) {
      int pick = random.nextInt(100);
      if (chaos && pick < 15) {
        file.chaos(jsonLine(random, row(random, false, true)));
      } else if (pick < 60) {
        Row row = row(random, file.hugeOnce(), true);
        file.add(jsonLine(random, row), Kind.VALID, row);
      } else if (pick < 70) {
        file.add(blank(random), Kind.BLANK, null);
      } else {
        file.add(badJson(random), Kind.BAD, null);
      }
    }
    return file.build();
  }

  /** Puts segments together with line breaks, counting lines as the reader does. */
  private static final class Builder {
    private final Random random;
    private final boolean crlf;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Expected> expected = new ArrayList<>();
    private long line = 1;
    private long firstChaosLine = Long.MAX_VALUE;
    private boolean pendingBreak;
    private boolean huge;
    private boolean lastEmpty;

    Builder(Random random, boolean csv) {
      this.random = random;
      this.crlf = csv && random.nextBoolean();
      if (random.nextInt(8) == 0) {
        out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
      }
    }

    /** True for one valid row in about one file of 30: a field of 1-2 MB. */
    boolean hugeOnce() {
      if (huge || random.nextInt(500) > 0) {
        return false;
      }
      huge = true;
      return true;
    }

    void add(byte[] segment, Kind kind, Row row) {
      breakBefore();
      expected.add(new Expected(kind, line, row, segment));
      out.writeBytes(segment);
      line += breaks(segment) + 1;
      pendingBreak = true;
      lastEmpty = segment.length == 0;
    }

    /** A valid line cut short, with stray quotes or random bytes in it. */
    void chaos(byte[] line) {
      byte[] mutated = line;
      switch (random.nextInt(4)) {
        case 0 -> mutated = java.util.Arrays.copyOf(line, random.nextInt(line.length + 1));
        case 1 -> {
          for (int i = 1 + random.nextInt(3); i > 0; i--) {
            mutated = insert(mutated, random.nextInt(mutated.length + 1), new byte[] {'"'});
          }
        }
        case 2 -> {
          for (int i = 1 + random.nextInt(5); i > 0; i--) {
            byte b = CHAOS_BYTES[random.nextInt(CHAOS_BYTES.length)];
            mutated = insert(mutated, random.nextInt(mutated.length + 1), new byte[] {b});
          }
        }
        default -> {
          mutated = new byte[random.nextInt(60)];
          for (int i = 0; i < mutated.length; i++) {
            mutated[i] = CHAOS_BYTES[random.nextInt(CHAOS_BYTES.length)];
          }
        }
      }
      breakBefore();
      firstChaosLine = Math.min(firstChaosLine, this.line);
      out.writeBytes(mutated);
      this.line += breaks(mutated) + 1;
      pendingBreak = true;
      lastEmpty = mutated.length == 0;
    }

    private void breakBefore() {
      if (pendingBreak) {
        out.writeBytes(crlf ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
      }
    }

    File build() {
      // mostly a last line break; always after an empty last line, which else is no line
      if (pendingBreak && (lastEmpty || random.nextInt(5) > 0)) {
        out.writeBytes(crlf ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
      }
      return new File(out.toByteArray(), expected, firstChaosLine);
    }
  }

  // --- rows --------------------------------------------------------------------------------------

  /**
   * @param huge a name of 1-3 MB
   * @param json whether for JSON lines, where -0.0 becomes 0.0 (JSON numbers are read exactly)
   */
  private static Row row(Random random, boolean huge, boolean json) {
    Long id = random.nextInt(10) == 0 ? null : random.nextLong() >> random.nextInt(64);
    String name;
    if (huge) {
      name =
          text(random, 1_000_000 + random.nextInt(2_000_000), PLAIN_TEXT) + text(random, 20, TEXT);
    } else {
      name = random.nextInt(10) == 0 ? null : text(random, random.nextInt(20), TEXT);
    }
    Double x = random.nextInt(10) == 0 ? null : number(random);
    if (json && x != null && x == 0.0) {
      x = 0.0;
    }
    byte[] data = null;
    if (random.nextInt(10) > 0) {
      data = new byte[random.nextInt(17)];
      random.nextBytes(data);
    }
    String[] tags = null;
    if (random.nextInt(5) > 0) {
      tags = new String[random.nextInt(5)];
      for (int i = 0; i < tags.length; i++) {
        tags[i] = random.nextInt(10) == 0 ? null : text(random, random.nextInt(8), TEXT);
      }
    }
    return Row.of(id, name, x, data, tags);
  }

  /** A row whose CSV has no quote, comma or line break in any field. */
  private static Row plainRow(Random random) {
    byte[] data = new byte[random.nextInt(9)];
    random.nextBytes(data);
    return Row.of(random.nextLong(), plain(random), random.nextDouble(), data, null);
  }

  private static String plain(Random random) {
    return text(random, 1 + random.nextInt(10), PLAIN_TEXT);
  }

  private static double number(Random random) {
    return switch (random.nextInt(8)) {
      case 0 -> Double.NaN;
      case 1 -> Double.POSITIVE_INFINITY;
      case 2 -> Double.NEGATIVE_INFINITY;
      case 3 -> -0.0;
      case 4 -> {
        double d = Double.longBitsToDouble(random.nextLong());
        yield Double.isFinite(d) ? d : Double.MIN_VALUE;
      }
      default -> random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10);
    };
  }

  private static String text(Random random, int length, String[] pieces) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(pieces[random.nextInt(pieces.length)]);
    }
    return s.toString();
  }

  // --- CSV ---------------------------------------------------------------------------------------

  /**
   * @param plain no optional quotes (for the rows after a quote that never closes)
   */
  private static byte[] csvLine(Random random, Row row, boolean plain) {
    List<String> fields = csvFields(random, row, plain);
    return String.join(",", fields).getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> csvFields(Random random, Row row, boolean plain) {
    List<String> fields = new ArrayList<>();
    Long id = (Long) row.getField(0);
    fields.add(id == null ? "" : (random.nextInt(5) == 0 ? " " + id + " " : String.valueOf(id)));
    fields.add(csvQuote(random, (String) row.getField(1), plain));
    Double x = (Double) row.getField(2);
    fields.add(x == null ? "" : csvQuote(random, spelled(random, x), plain));
    byte[] data = (byte[]) row.getField(3);
    fields.add(data == null ? "" : csvQuote(random, base64(random, data), plain));
    Object tags = row.getField(4);
    fields.add(tags == null ? "" : csvQuote(random, SCHEMA.column(4).type().format(tags), plain));
    return fields;
  }

  /** RFC 4180 quoting where it is needed, and sometimes where it is not. */
  private static String csvQuote(Random random, String text, boolean plain) {
    if (text == null) {
      return "";
    }
    boolean needed =
        text.isEmpty()
            || text.contains(",")
            || text.contains("\"")
            || text.contains("\n")
            || text.contains("\r");
    return needed || (!plain && random.nextInt(4) == 0)
        ? "\"" + text.replace("\"", "\"\"") + "\""
        : text;
  }

  private static String spelled(Random random, double x) {
    if (Double.isNaN(x)) {
      return NAN[random.nextInt(NAN.length)];
    }
    if (x == Double.POSITIVE_INFINITY) {
      return INF[random.nextInt(INF.length)];
    }
    if (x == Double.NEGATIVE_INFINITY) {
      return MINUS_INF[random.nextInt(MINUS_INF.length)];
    }
    return switch (x == 0 ? 0 : random.nextInt(3)) { // BigDecimal has no -0
      case 0 -> String.valueOf(x); // Java: 1.0E-5
      case 1 -> String.format(java.util.Locale.ROOT, "%.17g", x); // 17 digits round-trip
      default -> new java.math.BigDecimal(x).toString(); // exact
    };
  }

  private static String base64(Random random, byte[] data) {
    return switch (random.nextInt(3)) {
      case 0 -> Base64.getEncoder().encodeToString(data);
      case 1 -> Base64.getEncoder().withoutPadding().encodeToString(data);
      default -> Base64.getUrlEncoder().encodeToString(data);
    };
  }

  /** A line that cannot be read as a row, for a reason that stays within the line. */
  private static byte[] badCsv(Random random) {
    Row row = row(random, false, false);
    List<String> fields = csvFields(random, row, false);
    switch (random.nextInt(8)) {
      case 0 -> fields.remove(fields.size() - 1);
      case 1 -> fields.add("extra");
      case 2 ->
          fields.set(
              0, new String[] {"12x", "1.5", "99999999999999999999", "0x1"}[random.nextInt(4)]);
      case 3 ->
          fields.set(2, new String[] {"1e999", "0x10", "1.5f", "nope", "-"}[random.nextInt(5)]);
      case 4 -> fields.set(3, new String[] {"!!", "YQ=a", "\"a b\""}[random.nextInt(3)]);
      case 5 ->
          fields.set(4, new String[] {"\"[1, \"", "\"{\"\"a\"\": 1}\"", "x"}[random.nextInt(3)]);
      case 6 -> fields.set(0, "\"1\"x"); // text after a closing quote
      default -> {
        return invalidUtf8(random, String.join(",", fields).getBytes(StandardCharsets.UTF_8));
      }
    }
    return String.join(",", fields).getBytes(StandardCharsets.UTF_8);
  }

  // --- JSON lines --------------------------------------------------------------------------------

  /** A JSON object in shuffled key order, nulls sometimes left out, an unknown key sometimes. */
  private static byte[] jsonLine(Random random, Row row) {
    List<String> members = new ArrayList<>();
    for (int i = 0; i < SCHEMA.size(); i++) {
      Object value = row.getField(i);
      String name = SCHEMA.column(i).name();
      if (value == null) {
        if (random.nextBoolean()) {
          members.add("\"" + name + "\":null");
        }
      } else if (i == 2) {
        members.add("\"" + name + "\":" + jsonSpelled(random, (Double) value));
      } else if (i == 3) {
        members.add("\"" + name + "\":\"" + base64(random, (byte[]) value) + "\"");
      } else {
        members.add("\"" + name + "\":" + Json.write(SCHEMA.column(i).type().toJson(value)));
      }
    }
    if (random.nextInt(4) == 0) {
      members.add("\"other\":[1,{\"a\":null}]");
    }
    Collections.shuffle(members, random);
    return ("{" + String.join(random.nextBoolean() ? "," : ", ", members) + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String jsonSpelled(Random random, double x) {
    if (Double.isNaN(x)) {
      return JSON_NAN[random.nextInt(JSON_NAN.length)];
    }
    if (x == Double.POSITIVE_INFINITY) {
      return JSON_INF[random.nextInt(JSON_INF.length)];
    }
    if (x == Double.NEGATIVE_INFINITY) {
      return JSON_MINUS_INF[random.nextInt(JSON_MINUS_INF.length)];
    }
    return random.nextBoolean() ? String.valueOf(x) : "\"" + x + "\"";
  }

  private static byte[] badJson(Random random) {
    byte[] line = jsonLine(random, row(random, false, true));
    return switch (random.nextInt(5)) {
      case 0 -> java.util.Arrays.copyOf(line, 1 + random.nextInt(line.length - 1)); // cut short
      case 1 -> invalidUtf8(random, line);
      case 2 ->
          new String[] {"[1, 2]", "42", "\"text\"", "null", "{\"id\": 1} {}"}
              [random.nextInt(5)].getBytes(StandardCharsets.UTF_8);
      case 3 ->
          new String[] {
                "{\"id\": \"abc\"}",
                "{\"x\": \"1e999\"}",
                "{\"data\": 12}",
                "{\"tags\": \"[]\"}",
                "{\"tags\": [[]]}",
                "{\"id\": 1.5}",
                "{\"data\": \"!!\"}"
              }
              [random.nextInt(7)].getBytes(StandardCharsets.UTF_8);
      default ->
          ("{\"id\": " + random.nextInt() + ", \"name\": \"unclosed}")
              .getBytes(StandardCharsets.UTF_8);
    };
  }

  // --- bytes -------------------------------------------------------------------------------------

  /**
   * The line with a sequence that is not UTF-8 put in at a character boundary, not at the start of
   * a field (where it would make the field's opening quote a plain character).
   */
  private static byte[] invalidUtf8(Random random, byte[] line) {
    int at;
    do {
      at = 1 + random.nextInt(line.length);
    } while ((at < line.length && (line[at] & 0xC0) == 0x80) || line[at - 1] == ',');
    return insert(line, at, INVALID_UTF8[random.nextInt(INVALID_UTF8.length)]);
  }

  private static byte[] insert(byte[] bytes, int at, byte[] inserted) {
    byte[] result = new byte[bytes.length + inserted.length];
    System.arraycopy(bytes, 0, result, 0, at);
    System.arraycopy(inserted, 0, result, at, inserted.length);
    System.arraycopy(bytes, at, result, at + inserted.length, bytes.length - at);
    return result;
  }

  private static byte[] blank(Random random) {
    return new String[] {"", "", "  ", "\t"}[random.nextInt(4)].getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Line breaks in {@code bytes}: {@code \r\n} is one, and so are a lone {@code \r} or {@code \n}.
   */
  static int breaks(byte[] bytes) {
    int n = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n'
          || (bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
        n++;
      }
    }
    return n;
  }

  /**
   * A file's lines, each as {line's bytes, its line break's bytes}, the byte order mark left out:
   * split here independently of {@link RecordReader}, to check it.
   */
  static List<byte[][]> lines(byte[] file) {
    List<byte[][]> lines = new ArrayList<>();
    int start =
        file.length >= 3
                && file[0] == (byte) 0xEF
                && file[1] == (byte) 0xBB
                && file[2] == (byte) 0xBF
            ? 3
            : 0;
    int i = start;
    while (i < file.length) {
      int end = i;
      while (end < file.length && file[end] != '\n' && file[end] != '\r') {
        end++;
      }
      int breakLength =
          end == file.length
              ? 0
              : (file[end] == '\r' && end + 1 < file.length && file[end + 1] == '\n' ? 2 : 1);
      lines.add(
          new byte[][] {
            java.util.Arrays.copyOfRange(file, i, end),
            java.util.Arrays.copyOfRange(file, end, end + breakLength)
          });
      i = end + breakLength;
    }
    return lines;
  }

  /** Lines {@code first} (from 1) to {@code first + count - 1}, with the breaks between them. */
  static byte[] span(List<byte[][]> lines, long first, int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < count; i++) {
      byte[][] line = lines.get((int) first - 1 + i);
      out.writeBytes(line[0]);
      if (i < count - 1) {
        out.writeBytes(line[1]);
      }
    }
    return out.toByteArray();
  }
}
