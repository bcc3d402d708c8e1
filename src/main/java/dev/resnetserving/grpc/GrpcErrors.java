package dev.resnetserving.grpc;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import dev.resnetserving.classification.Outcome;
import dev.resnetserving.image.ImageRejectedException;
import dev.resnetserving.inference.DynamicBatcher;
import dev.resnetserving.inference.InferenceFailedException;
import dev.resnetserving.inference.NotServedException;
import dev.resnetserving.inference.NotServedException.Reason;
import dev.resnetserving.security.QuotaExceededException;
import dev.resnetserving.v2.ProtocolException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC status of each way a call can fail, with a message that says what was wrong and never a
 * stack trace. A call worth retrying later (over quota, overloaded) carries the wait twice in its
 * trailers: as {@code retry-after} in whole seconds, as HTTP's header, and as the standard {@code
 * google.rpc.RetryInfo} detail that gRPC's own retry-aware clients read.
 */
final class GrpcErrors {

  static final Metadata.Key<String> RETRY_AFTER =
      Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);

  private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);
  private static final long MAX_RETRY_SECONDS = 60;

  private final DynamicBatcher batcher;

  GrpcErrors(DynamicBatcher batcher) {
    this.batcher = batcher;
  }

  StatusRuntimeException of(Throwable failure) {
    Throwable cause = Outcome.unwrap(failure);
    if (cause instanceof StatusRuntimeException status) {
      return status;
    }
    if (cause instanceof ProtocolException protocol) {
      Status status =
          protocol.status() == ProtocolException.NOT_FOUND
              ? Status.NOT_FOUND
              : Status.INVALID_ARGUMENT;
      return status.withDescription(protocol.getMessage()).asRuntimeException();
    }
    if (cause instanceof ImageRejectedException rejected) {
      return Status.INVALID_ARGUMENT.withDescription(rejected.getMessage()).asRuntimeException();
    }
    if (cause instanceof QuotaExceededException quota) {
      return quota.retryAfter().isPresent()
          ? retryLater(
              Status.RESOURCE_EXHAUSTED, quota.getMessage(), seconds(quota.retryAfter().get()))
          : Status.RESOURCE_EXHAUSTED.withDescription(quota.getMessage()).asRuntimeException();
    }
    if (cause instanceof NotServedException notServed) {
      return notServed(notServed);
    }
    if (cause instanceof CancellationException) {
      return Status.CANCELLED.withDescription("the call was cancelled").asRuntimeException();
    }
    if (cause instanceof InferenceFailedException inference) {
      return Status.INTERNAL.withDescription(inference.getMessage()).asRuntimeException();
    }
    log.error("Unexpected error in a gRPC call", cause);
    return Status.INTERNAL
        .withDescription("the server failed to handle the request")
        .asRuntimeException();
  }

  private StatusRuntimeException notServed(NotServedException e) {
    Reason reason = e.reason();
    return switch (reason) {
      case QUEUE_FULL ->
          retryLater(
              Status.RESOURCE_EXHAUSTED, e.getMessage() + "; retry later", overloadedSeconds());
      case TIMEOUT -> Status.DEADLINE_EXCEEDED.withDescription(e.getMessage()).asRuntimeException();
      case WITHDRAWN -> Status.CANCELLED.withDescription(e.getMessage()).asRuntimeException();
      case SHUTTING_DOWN, NOT_READY, MODEL_STALLED ->
          retryLater(Status.UNAVAILABLE, e.getMessage() + "; retry later", 1);
    };
  }

  /** The time the queue needs to drain at the rate workers have been taking images. */
  private long overloadedSeconds() {
    return batcher.expectedDrainTime().map(GrpcErrors::seconds).orElse(1L);
  }

  private static long seconds(Duration wait) {
    long seconds = wait.plusNanos(999_999_999).toSeconds();
    return Math.max(1, Math.min(MAX_RETRY_SECONDS, seconds));
  }

  private static StatusRuntimeException retryLater(Status status, String message, long seconds) {
    com.google.rpc.Status details =
        com.google.rpc.Status.newBuilder()
            .setCode(status.getCode().value())
            .setMessage(message)
            .addDetails(
                Any.pack(
                    RetryInfo.newBuilder()
                        .setRetryDelay(
                            com.google.protobuf.Duration.newBuilder().setSeconds(seconds))
                        .build()))
            .build();
    Metadata trailers = new Metadata();
    trailers.put(RETRY_AFTER, Long.toString(seconds));
    return StatusProto.toStatusRuntimeException(details, trailers);
  }
}
