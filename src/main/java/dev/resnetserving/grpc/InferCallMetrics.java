package dev.resnetserving.grpc;

import dev.resnetserving.classification.Outcome;
import dev.resnetserving.classification.RequestMetrics;
import dev.resnetserving.grpc.protocol.GRPCInferenceServiceGrpc;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Counts and times every {@code ModelInfer} call in the request metrics, as the HTTP door does its
 * model requests: from the call's arrival until its answer is sent, or until it is cancelled. The
 * other calls (health, metadata, reflection) are not inference requests, as HTTP counts only its
 * model routes.
 */
final class InferCallMetrics implements ServerInterceptor {

  static final String MODEL_INFER =
      GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName();

  private final RequestMetrics metrics;

  InferCallMetrics(RequestMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    if (!MODEL_INFER.equals(call.getMethodDescriptor().getFullMethodName())) {
      return next.startCall(call, headers);
    }
    long started = System.nanoTime();
    StatusKeepingCall<Q, A> answered = new StatusKeepingCall<>(call);
    return new SimpleForwardingServerCallListener<>(next.startCall(answered, headers)) {
      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } finally {
          // Without a status of its own, an exception escaped the service and Spring gRPC answered.
          record(Outcome.ERROR);
        }
      }

      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          record(Outcome.CANCELLED);
        }
      }

      private void record(Outcome unanswered) {
        metrics.record(answered.outcome(unanswered), System.nanoTime() - started);
      }
    };
  }

  /** Keeps the status the service answered with, for when the call ends. */
  private static final class StatusKeepingCall<Q, A> extends SimpleForwardingServerCall<Q, A> {

    private volatile Status status;

    StatusKeepingCall(ServerCall<Q, A> call) {
      super(call);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      this.status = status;
      super.close(status, trailers);
    }

    Outcome outcome(Outcome unanswered) {
      Status answer = status;
      return answer == null ? unanswered : CallOutcome.of(answer.getCode());
    }
  }
}
