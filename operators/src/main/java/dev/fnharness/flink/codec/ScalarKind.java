package dev.fnharness.flink.codec;

import dev.fnharness.flink.codec.LongColumnWriter.Encoding;
import dev.fnharness.proto.DataType.Kind;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * Every scalar column type in one place: its {@link Kind}, the Flink type it stands for, the value
 * list it travels in (docs/protocol.md, "RowBatch columns"), the writer that puts a Java value on
 * the wire and how the wire becomes Java values again. A new scalar type is one entry here (with a
 * writer class of its own only if none fits), next to its kind in fnharness.proto and its codec in
 * the worker. ARRAY, MAP and ROW are made of these ({@link ColumnType}, {@link ColumnReader}).
 *
 * <p>Each entry reads a whole column in one call, so the loop over its values is the entry's own
 * and the JIT compiles it for that type alone.
 */
enum ScalarKind {
  TINYINT(Kind.TINYINT, Types.BYTE, "BYTE", ValueList.LONGS) {
    @Override
    ColumnWriter newWriter(ColumnType type) {
      return new LongColumnWriter(Encoding.NUMBER);
    }

    @Override
    void read(RawColumn raw, Object[] values, int count) {
      for (int r = 0; r < count; r++) values[r] = (byte) raw.longs[r];
    }
  },

  SMALLINT(Kind.SMALLINT, Types.SHORT, "SHORT", ValueList.LONGS) {
    @Override
    ColumnWriter newWriter(ColumnType type) {
      return new LongColumnWriter(Encoding.NUMBER);
    }

    @Override
    void read(RawColumn raw, Object[] values, int count) {
      for (int r = 0; r < count; r++) values[r] = (short) raw.longs[r];
    }

    @Override
    void readPrimitiveArrays(RawColumn raw, Object[] values, int[] lengths, int count) {
      for (int r = 0, offset = 0; r < count; offset += lengths[r], r++) {
        short[] array = new short[lengths[r]];
        for (int i = 0; i < array.length; i++) array[i] = (short) raw.longs[offset + i];
        values[r] = array;
      }
    }
  },

  INT(Kind.INT, Types.INT, "INT", ValueList.LONGS) {
    @Override
    ColumnWriter newWriter(ColumnType type) {
      return new LongColumnWriter(Encoding.NUMBER);
    }

    @Override
    void read(RawColumn raw, Object[] values, int count) {
      for (int r = 0; r < count; r++) values[r] = (int) raw.longs[r];
    }

    @Override
    void readPrimitiveArrays(RawColumn raw, Object[] values, int[] lengths, int count) {
      for (int r = 0, offset = 0; r < count; offset += lengths[r], r++) {
        int[] array = new int[lengths[r]];
        for (int i = 0; i < array.length; i++) array[i] = (int) raw.longs[offset + i];
        values[r] = array;
      }
    }
  },

  BIGINT(Kind.BIGINT, Types.LONG, "LONG", ValueList.LONGS) {
    @Override
    ColumnWriter newWriter(ColumnType type) {
      return new LongColumnWriter(Encoding.NUMBER);
    }

    @Override
    void read(RawColumn raw, Object[] values, int count) {
      for (int r = 0; r < count; r++) values[r] = raw.longs[r];
    }

    @Override
    void readPrimitiveArrays(RawColumn raw, Object[] values, int[] lengths, int count) {
      for (int r = 0, offset = 0; r < count; offset += lengths[r], r++) {
        values[r] = Arrays.copyOfRange(raw.longs, offset, offset + lengths[r]);
      }
    }
  },

  FLOAT(Kind.FLOAT, Types.FLOAT, "FLOAT", ValueList.FLOATS) {
    @Override
    ColumnWriter newWriter(ColumnType type) {
      return new FloatColumnWriter();
    }

    @Override
    void read(RawColumn raw, Object[] values, int count) {
      for (int r = 0; r < count; r++) values[r] = raw.floats[r];
    }

    @Override
    void readPrimitiveArrays(RawColumn raw, Object[] values, int[] lengths, int count) {
      for (int r = 0, offset = 0; r < count; offset += lengths[r], r++) {
        values[r] = Arrays.copyOfRange(raw.floats, offset, offset + lengths[r]);
      }
    }
  },

  DOUBLE(Kind.DOUBLE, Types.DOUBLE, "DOUBLE", ValueList.DOUBLES) {
    @Override
    ColumnWriter newWriter(ColumnType type) {
      return new DoubleColumnWriter();
    }

    @Override
    void read(RawColumn raw, Object[] values, int count) {
      for (int r = 0; r < count; r++) values[r] = raw.doubles[r];
    }

    @Override
    void readPrimitiveArrays(RawColumn raw, Object[] values, int[] lengths, int count) {
      for (int r = 0, offset = 0; r < count; offset += lengths[r], r++) {
        values[r] = Arrays.copyOfRange(raw.doubles, offset, offset + lengths[r]);
      }
    }
  },

  BOOLEAN(Kind.BOOLEAN, Types.BOOLEAN, "BOOLEAN", ValueList.BOOLS) {
    @Override
    ColumnWriter newWriter(ColumnType type) {
      return new BooleanColumnWriter();
    }

    @Override
    void read(RawColumn raw, Object[] values, int count) {
      for (int r = 0; r < count; r++) values[r] = raw.bools[r];
    }

    @Override
    void readPrimitiveArrays(RawColumn raw, Object[] values, int[] lengths, int count) {
      for (int r = 0, offset = 0; r < count; offset += lengths[r], r++) {
        values[r] = Arrays.copyOfRange(raw.bools, offset, offset + lengths[r]);
      }
    }
  },

  STRING(Kind.STRING, Types.STRING, "STRING", ValueList.STRINGS) {
    @Override
    ColumnWriter newWriter(ColumnType type) {
      return new StringColumnWriter();
    }

    @Override
    void read(RawColumn raw, Object[] values, int count) {
      System.arraycopy(raw.strings, 0, values, 0, count);
    }
  },

  BYTES(
      Kind.BYTES,
      Types.PRIMITIVE_ARRAY(Types.BYTE),
      "PRIMITIVE_ARRAY(BYTE) (bytes)",
      ValueList.BINARIES) {
    @Override
    ColumnWriter newWriter(ColumnType type) {
      return new BytesColumnWriter();
    }

    @Override
    void read(RawColumn raw, Object[] values, int count) {
      System.arraycopy(raw.binaries, 0, values, 0, count);
    }
  },

  /** {@code Types.BIG_DEC}; {@code PythonTypes.DECIMAL(p, s)} too, with its precision and scale. */
  DECIMAL(Kind.DECIMAL, Types.BIG_DEC, "BIG_DEC or PythonTypes.DECIMAL(p, s)", ValueList.STRINGS) {
    @Override
    ColumnWriter newWriter(ColumnType type) {
      return new DecimalColumnWriter(type.precision(), type.scale());
    }

    @Override
    void read(RawColumn raw, Object[] values, int count) {
      for (int r = 0; r < count; r++) {
        String text = raw.strings[r];
        values[r] = text.isEmpty() ? null : new BigDecimal(text); // "" is a null slot
      }
    }
  },

  DATE(Kind.DATE, Types.LOCAL_DATE, "LOCAL_DATE", ValueList.LONGS) {
    @Override
    ColumnWriter newWriter(ColumnType type) {
      return new LongColumnWriter(Encoding.DATE);
    }

    @Override
    void read(RawColumn raw, Object[] values, int count) {
      for (int r = 0; r < count; r++) values[r] = LocalDate.ofEpochDay(raw.longs[r]);
    }
  },

  TIME(Kind.TIME, Types.LOCAL_TIME, "LOCAL_TIME", ValueList.LONGS) {
    @Override
    ColumnWriter newWriter(ColumnType type) {
      return new LongColumnWriter(Encoding.TIME);
    }

    @Override
    void read(RawColumn raw, Object[] values, int count) {
      for (int r = 0; r < count; r++) values[r] = LocalTime.ofNanoOfDay(raw.longs[r] * 1000);
    }
  },

  TIMESTAMP(Kind.TIMESTAMP, Types.LOCAL_DATE_TIME, "LOCAL_DATE_TIME", ValueList.LONGS) {
    @Override
    ColumnWriter newWriter(ColumnType type) {
      return new LongColumnWriter(Encoding.TIMESTAMP);
    }

    @Override
    void read(RawColumn raw, Object[] values, int count) {
      long perDay = LongColumnWriter.MICROS_PER_DAY;
      for (int r = 0; r < count; r++) {
        long micros = raw.longs[r];
        values[r] =
            LocalDateTime.of(
                LocalDate.ofEpochDay(Math.floorDiv(micros, perDay)),
                LocalTime.ofNanoOfDay(Math.floorMod(micros, perDay) * 1000));
      }
    }
  },

  TIMESTAMP_LTZ(Kind.TIMESTAMP_LTZ, Types.INSTANT, "INSTANT", ValueList.LONGS) {
    @Override
    ColumnWriter newWriter(ColumnType type) {
      return new LongColumnWriter(Encoding.INSTANT);
    }

    @Override
    void read(RawColumn raw, Object[] values, int count) {
      for (int r = 0; r < count; r++) {
        long micros = raw.longs[r];
        values[r] =
            Instant.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000);
      }
    }
  };

  /** The value lists of a {@code Column} message (fnharness.proto). */
  enum ValueList {
    LONGS,
    DOUBLES,
    FLOATS,
    BOOLS,
    STRINGS,
    BINARIES
  }

  private static final Map<Kind, ScalarKind> BY_KIND = new EnumMap<>(Kind.class);

  static {
    for (ScalarKind scalar : values()) {
      BY_KIND.put(scalar.kind, scalar);
    }
  }

  final Kind kind;
  final TypeInformation<?> typeInfo;

  /** How the Java API spells the type, after {@code Types.}, for errors. */
  final String apiName;

  final ValueList list;

  ScalarKind(Kind kind, TypeInformation<?> typeInfo, String apiName, ValueList list) {
    this.kind = kind;
    this.typeInfo = typeInfo;
    this.apiName = apiName;
    this.list = list;
  }

  /** The entry of a scalar kind, or null for ARRAY, MAP, ROW and unknown kinds. */
  static ScalarKind of(Kind kind) {
    return BY_KIND.get(kind);
  }

  /** A writer for a column of this type. */
  abstract ColumnWriter newWriter(ColumnType type);

  /**
   * The {@code count} values of a column whose {@link #list} has been checked to hold {@code
   * count}; null slots may hold anything, the reader applies the null bitmap afterwards.
   */
  abstract void read(RawColumn raw, Object[] values, int count);

  /**
   * The elements of Java primitive arrays ({@code long[]}, ...), {@code lengths[r]} per row, as one
   * array per row; only types with a Java primitive form have them.
   */
  void readPrimitiveArrays(RawColumn raw, Object[] values, int[] lengths, int count) {
    throw new IllegalStateException("no primitive arrays of " + this);
  }
}
