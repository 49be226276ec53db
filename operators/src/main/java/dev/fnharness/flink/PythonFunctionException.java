package dev.fnharness.flink;

/**
 * A Python function could not be loaded or failed on a row. The message names the function and
 * carries the worker's explanation (for a failure in user code, the full Python traceback).
 */
public class PythonFunctionException extends RuntimeException {

  public PythonFunctionException(String message, Throwable cause) {
    super(message, cause);
  }

  public PythonFunctionException(String message) {
    super(message);
  }
}
