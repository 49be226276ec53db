package dev.fnharness.harness.rpc;

import io.grpc.stub.StreamObserver;

/** Inbound side of a call that was refused at once: nothing the peer sends matters. */
public final class IgnoringObserver<T> implements StreamObserver<T> {

  @Override
  public void onNext(T value) {}

  @Override
  public void onError(Throwable t) {}

  @Override
  public void onCompleted() {}
}
