package dev.fnharness.flink.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes and compiles a {@link RowAdder} per schema, as Flink's table runtime does for its own
 * generated code: one straight-line statement per column, each a call on the column writer's final
 * class held in a typed final field. C2 then compiles a schema's row as one method with every call
 * inlined, no slot to load and no path to switch on, and branch history of its own per column
 * (benchmarks/RESULTS.md, "Serialization path"). The statements follow the slot chain, so the visit
 * order and the calls are those of {@link SlotChainAdder}: the same bytes.
 *
 * <p>Compiled classes are cached by their source, which is all a schema's class depends on (the
 * columns' field positions and writer classes), so the operators of one job compile a schema once.
 * Where compiling fails (Janino missing or refusing the source, a class-loading conflict) the
 * encoder gets the {@link SlotChainAdder}, with a warning: slower, never a failed job.
 */
final class RowAdderGenerator {

  private static final Logger LOG = LoggerFactory.getLogger(RowAdderGenerator.class);

  static final String CLASS_NAME = "GeneratedRowAdder";

  /** Set to false to encode with the generic {@link SlotChainAdder} only. */
  static final String ENABLED_PROPERTY = "fnharness.encoder.codegen";

  /** Distinct schemas whose classes are kept; operators of one job have a handful. */
  private static final int CACHED_SCHEMAS = 64;

  private static final MethodType CONSTRUCTOR =
      MethodType.methodType(RowAdder.class, ColumnSlot.class, ColumnWriter[].class);

  /** The one every encoder uses: shared by all operators whose classes this loader loaded. */
  static final RowAdderGenerator SHARED =
      new RowAdderGenerator(
          Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true"))
              ? JaninoCompiler::define
              : null);

  /** Turns a generated source into its class, defined in this package. */
  @FunctionalInterface
  interface Compiler {
    MethodHandles.Lookup define(String source) throws Exception;
  }

  /** Null: always the generic adder. */
  private final Compiler compiler;

  /** Source to the class's constructor, or empty where compiling it failed (not tried again). */
  private final Map<String, Optional<MethodHandle>> compiled =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<MethodHandle>> eldest) {
          return size() > CACHED_SCHEMAS;
        }
      };

  private int compilations;

  /**
   * @param compiler null to always use the generic adder
   */
  RowAdderGenerator(Compiler compiler) {
    this.compiler = compiler;
  }

  /**
   * An adder visiting {@code firstSlot}'s chain, writing to {@code columns} (indexed by batch
   * column, as the slots' {@link ColumnSlot#column}).
   */
  RowAdder adderFor(ColumnSlot firstSlot, ColumnWriter[] columns) {
    if (compiler != null) {
      String source = source(firstSlot);
      Optional<MethodHandle> constructor = constructorFor(source);
      if (constructor.isPresent()) {
        try {
          return (RowAdder) constructor.get().invokeExact(firstSlot, columns);
        } catch (VirtualMachineError e) {
          throw e;
        } catch (Throwable e) {
          // Cannot happen for a source written from these very slots; still no reason to fail.
          LOG.warn("The generated row adder could not be created; using the generic one", e);
        }
      }
    }
    return new SlotChainAdder(firstSlot);
  }

  /** Classes compiled so far (failed attempts included), for tests. */
  synchronized int compilations() {
    return compilations;
  }

  // Compiling under the lock: operators of one job opening at once wait for the first one's
  // class instead of each compiling the same source.
  private synchronized Optional<MethodHandle> constructorFor(String source) {
    Optional<MethodHandle> constructor = compiled.get(source);
    if (constructor == null) {
      constructor = compile(source);
      compiled.put(source, constructor);
    }
    return constructor;
  }

  private Optional<MethodHandle> compile(String source) {
    compilations++;
    long start = System.nanoTime();
    try {
      MethodHandles.Lookup lookup = compiler.define(source);
      MethodHandle constructor =
          lookup
              .findConstructor(
                  lookup.lookupClass(),
                  MethodType.methodType(void.class, ColumnSlot.class, ColumnWriter[].class))
              .asType(CONSTRUCTOR);
      if (LOG.isDebugEnabled()) {
        LOG.debug(
            "Compiled a row adder in {} ms:\n{}", (System.nanoTime() - start) / 1_000_000, source);
      }
      return Optional.of(constructor);
    } catch (Exception | LinkageError e) {
      // LinkageError: Janino absent from the classpath, or a class seen through two loaders.
      LOG.warn(
          "Could not compile the row encoder for a schema; encoding it with the generic path"
              + " (same bytes, slower). Source:\n{}",
          source,
          e);
      return Optional.empty();
    }
  }

  /** The Java source of the adder for {@code firstSlot}'s chain. */
  static String source(ColumnSlot firstSlot) {
    StringBuilder fields = new StringBuilder();
    StringBuilder assignments = new StringBuilder();
    StringBuilder statements = new StringBuilder();
    for (ColumnSlot slot = firstSlot; slot != null; slot = slot.next) {
      String writerClass = slot.writer.getClass().getSimpleName();
      String field = "c" + slot.column;
      fields.append("  private final ").append(writerClass).append(' ').append(field).append(";\n");
      assignments
          .append("    ")
          .append(field)
          .append(" = (")
          .append(writerClass)
          .append(") columns[")
          .append(slot.column)
          .append("];\n");
      statements.append("    ").append(call(slot, field)).append(";\n");
    }
    return "package "
        + RowAdder.class.getPackageName()
        + ";\n"
        + "\n"
        + "import org.apache.flink.types.Row;\n"
        + "\n"
        + "/** RowBatchEncoder's work per row for one schema, written by RowAdderGenerator. */\n"
        + "public final class "
        + CLASS_NAME
        + " extends RowAdder {\n"
        + "\n"
        + fields
        + "\n"
        + "  public "
        + CLASS_NAME
        + "(ColumnSlot firstSlot, ColumnWriter[] columns) {\n"
        + "    super(firstSlot);\n"
        + assignments
        + "  }\n"
        + "\n"
        + "  void add(Row row) {\n"
        + "    int r = rowCount;\n"
        + "    if (r == reservedRows) {\n"
        + "      reserveRows();\n"
        + "    }\n"
        + statements
        + "    rowCount = r + 1;\n"
        + "  }\n"
        + "}\n";
  }

  /** The same call {@link SlotChainAdder} makes for the slot's path. */
  private static String call(ColumnSlot slot, String field) {
    String value = "row.getField(" + slot.position + ")";
    return switch (slot.path) {
      case ColumnSlot.NUMBER -> field + ".setNumber(r, " + value + ")";
      case ColumnSlot.DOUBLE -> field + ".setDouble(r, " + value + ")";
      case ColumnSlot.BOOLEAN -> field + ".setBoolean(r, " + value + ")";
      case ColumnSlot.STRING -> field + ".setString(r, " + value + ")";
      default -> field + ".add(" + value + ")";
    };
  }
}
