package dev.fnharness.flink.codec;

import java.io.StringReader;
import java.lang.invoke.MethodHandles;
import org.codehaus.janino.SimpleCompiler;

/**
 * Compiles a generated {@link RowAdder} with Janino and defines it in this package. The only class
 * that touches Janino, so that without it on the classpath {@link RowAdderGenerator} sees a {@link
 * LinkageError} here and falls back instead of failing to load.
 */
final class JaninoCompiler {

  private JaninoCompiler() {}

  /**
   * @return a lookup on the defined class
   */
  static MethodHandles.Lookup define(String source) throws Exception {
    SimpleCompiler compiler = new SimpleCompiler();
    // The generated code names this package's classes and Flink's Row: resolve them through the
    // loader that loaded this class (in a Flink job the user-code class loader when the job jar
    // holds fnharness), not the thread's context loader, which may hold other copies.
    compiler.setParentClassLoader(JaninoCompiler.class.getClassLoader());
    // Line numbers and the source file name in the stack traces of values that cannot be sent.
    compiler.setDebuggingInformation(true, true, false);
    compiler.cook(RowAdderGenerator.CLASS_NAME + ".java", new StringReader(source));
    byte[] bytecode =
        compiler
            .getBytecodes()
            .get(RowAdder.class.getPackageName() + "." + RowAdderGenerator.CLASS_NAME);
    // A hidden class in this package: it may call the writers' package-private methods (Janino's
    // own class loader would put it in another runtime package), and it is unloaded once the
    // generator's cache and the encoders using it let go of it.
    return MethodHandles.lookup().defineHiddenClass(bytecode, true);
  }
}
