package dev.resnetserving.security;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Images admitted for one request; released once, when the request is answered. */
@FunctionalInterface
public interface QuotaPermit {

  QuotaPermit NONE = () -> {};

  void release();

  /** Starts the request's work and releases this permit when it ends, however it ends. */
  default <T> CompletableFuture<T> holdDuring(Supplier<CompletableFuture<T>> work) {
    CompletableFuture<T> pending;
    try {
      pending = work.get();
    } catch (RuntimeException e) {
      release();
      throw e;
    }
    pending.whenComplete((result, failure) -> release());
    return pending;
  }
}
