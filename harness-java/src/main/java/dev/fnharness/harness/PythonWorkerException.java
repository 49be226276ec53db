package dev.fnharness.harness;

/** The worker answered an instruction with an error; the message carries the worker's text. */
public class PythonWorkerException extends RuntimeException {

  public PythonWorkerException(String message) {
    super(message);
  }
}
