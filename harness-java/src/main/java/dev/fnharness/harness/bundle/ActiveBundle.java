package dev.fnharness.harness.bundle;

import com.google.protobuf.ByteString;

/** The runner's handle on one in-flight bundle: send input, then mark its end. */
public interface ActiveBundle {

  String instructionId();

  /** Sends one input chunk (a serialized {@code RowBatch}) to the worker. */
  void send(ByteString data);

  /** Sends {@code is_last}: no more input for this bundle. */
  void finishInput();
}
