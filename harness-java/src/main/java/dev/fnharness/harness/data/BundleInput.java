package dev.fnharness.harness.data;

import com.google.protobuf.ByteString;
import dev.fnharness.harness.RemoteWorker;
import dev.fnharness.harness.bundle.ActiveBundle;
import dev.fnharness.harness.bundle.InFlightBundle;

/** The input side of one bundle: what {@link RemoteWorker#startBundle} hands the operator. */
public final class BundleInput implements ActiveBundle {

  private final InFlightBundle bundle;
  private final String transformId;
  private final DataChannel data;

  public BundleInput(InFlightBundle bundle, String transformId, DataChannel data) {
    this.bundle = bundle;
    this.transformId = transformId;
    this.data = data;
  }

  @Override
  public String instructionId() {
    return bundle.instructionId();
  }

  /** Dropped once the bundle has ended: the worker discards a failed bundle's input anyway. */
  @Override
  public void send(ByteString batch) {
    if (!bundle.isTerminated()) {
      data.send(bundle.instructionId(), transformId, batch);
    }
  }

  @Override
  public void finishInput() {
    if (!bundle.isTerminated()) {
      data.sendLast(bundle.instructionId(), transformId);
    }
  }
}
