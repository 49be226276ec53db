package dev.fnharness.flink.internal.state;

/**
 * Fails one state request (or the whole batch it is in); the message goes to the worker as the
 * request's {@code error} and names the function, the state and the key.
 */
final class StateRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  StateRequestException(String message) {
    super(message, null, false, false);
  }
}
