package dev.fnharness.harness;

import io.grpc.stub.StreamObserver;

/** Inbound side of a call that was refused at once: nothing the peer sends matters. */
final class IgnoringObserver<T> implements StreamObserver<T> {

  @Override
  public void onNext(T value) {}

  @Override
  public void onError(Throwable t) {}

  @Override
  public void onCompleted() {}
}
