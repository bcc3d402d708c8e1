package dev.resnetserving.grpc;

import dev.resnetserving.config.ServingReadiness;
import dev.resnetserving.grpc.protocol.GRPCInferenceServiceGrpc;
import dev.resnetserving.grpc.protocol.ModelInferRequest;
import dev.resnetserving.grpc.protocol.ModelInferResponse;
import dev.resnetserving.grpc.protocol.ModelMetadataRequest;
import dev.resnetserving.grpc.protocol.ModelMetadataResponse;
import dev.resnetserving.grpc.protocol.ModelReadyRequest;
import dev.resnetserving.grpc.protocol.ModelReadyResponse;
import dev.resnetserving.grpc.protocol.ServerLiveRequest;
import dev.resnetserving.grpc.protocol.ServerLiveResponse;
import dev.resnetserving.grpc.protocol.ServerMetadataRequest;
import dev.resnetserving.grpc.protocol.ServerMetadataResponse;
import dev.resnetserving.grpc.protocol.ServerReadyRequest;
import dev.resnetserving.grpc.protocol.ServerReadyResponse;
import dev.resnetserving.inference.NotServedException;
import dev.resnetserving.security.TenantQuotas;
import dev.resnetserving.v2.InferenceResponse;
import dev.resnetserving.v2.ModelMetadata;
import dev.resnetserving.v2.OpenInferenceModel;
import dev.resnetserving.v2.PreparedInference;
import dev.resnetserving.v2.ServerMetadata;
import dev.resnetserving.v2.TensorMetadata;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The Open Inference Protocol v2 over gRPC ({@code inference.GRPCInferenceService}), a thin door
 * over the same model as REST v2: the same checks ({@link OpenInferenceModel#prepare}), quotas,
 * admission, batcher and limits. A call cancelled by its client, or past its deadline, cancels its
 * work, which withdraws its images still queued.
 */
final class InferenceGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

  private final OpenInferenceModel model;
  private final ServerMetadata server;
  private final InferRequestReader reader;
  private final InferResponseWriter writer = new InferResponseWriter();
  private final ServingReadiness state;
  private final TenantQuotas quotas;
  private final GrpcErrors errors;

  InferenceGrpcService(
      OpenInferenceModel model,
      ServerMetadata server,
      InferRequestReader reader,
      ServingReadiness state,
      TenantQuotas quotas,
      GrpcErrors errors) {
    this.model = model;
    this.server = server;
    this.reader = reader;
    this.state = state;
    this.quotas = quotas;
    this.errors = errors;
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> responses) {
    answer(responses, () -> ServerLiveResponse.newBuilder().setLive(true).build());
  }

  @Override
  public void serverReady(
      ServerReadyRequest request, StreamObserver<ServerReadyResponse> responses) {
    answer(responses, () -> ServerReadyResponse.newBuilder().setReady(state.isReady()).build());
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> responses) {
    answer(
        responses,
        () -> {
          model.resolve(request.getName(), version(request.getVersion()));
          return ModelReadyResponse.newBuilder().setReady(state.isReady()).build();
        });
  }

  @Override
  public void serverMetadata(
      ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> responses) {
    answer(
        responses,
        () ->
            ServerMetadataResponse.newBuilder()
                .setName(server.name())
                .setVersion(server.version())
                .addAllExtensions(server.extensions())
                .build());
  }

  @Override
  public void modelMetadata(
      ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> responses) {
    answer(
        responses,
        () -> {
          model.resolve(request.getName(), version(request.getVersion()));
          ModelMetadata metadata = model.metadata();
          ModelMetadataResponse.Builder response =
              ModelMetadataResponse.newBuilder()
                  .setName(metadata.name())
                  .addAllVersions(metadata.versions())
                  .setPlatform(metadata.platform());
          metadata.inputs().forEach(input -> response.addInputs(tensor(input)));
          metadata.outputs().forEach(output -> response.addOutputs(tensor(output)));
          return response.build();
        });
  }

  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> responses) {
    ServerCallStreamObserver<ModelInferResponse> call =
        (ServerCallStreamObserver<ModelInferResponse>) responses;
    CompletableFuture<InferenceResponse> pending;
    try {
      state
          .unavailability()
          .ifPresent(
              reason -> {
                throw new NotServedException(reason);
              });
      model.resolve(request.getModelName(), version(request.getModelVersion()));
      PreparedInference prepared = model.prepare(reader.read(request));
      pending = quotas.admit(prepared.imageCount()).holdDuring(() -> model.run(prepared));
    } catch (RuntimeException e) {
      responses.onError(errors.of(e));
      return;
    }
    // Runs on cancellation and on the client's deadline: withdraws the images still queued.
    call.setOnCancelHandler(() -> pending.cancel(false));
    pending.whenComplete(
        (response, failure) -> {
          if (call.isCancelled()) {
            return;
          }
          if (failure != null) {
            responses.onError(errors.of(failure));
            return;
          }
          ModelInferResponse answer;
          try {
            answer = writer.write(response);
          } catch (RuntimeException e) {
            responses.onError(errors.of(e));
            return;
          }
          responses.onNext(answer);
          responses.onCompleted();
        });
  }

  private <T> void answer(StreamObserver<T> responses, Supplier<T> response) {
    T answer;
    try {
      answer = response.get();
    } catch (RuntimeException e) {
      responses.onError(errors.of(e));
      return;
    }
    responses.onNext(answer);
    responses.onCompleted();
  }

  /** The protocol's empty version lets the server choose. */
  private static String version(String version) {
    return version.isEmpty() ? null : version;
  }

  private static ModelMetadataResponse.TensorMetadata tensor(TensorMetadata tensor) {
    ModelMetadataResponse.TensorMetadata.Builder builder =
        ModelMetadataResponse.TensorMetadata.newBuilder()
            .setName(tensor.name())
            .setDatatype(tensor.datatype());
    for (long dimension : tensor.shape()) {
      builder.addShape(dimension);
    }
    return builder.build();
  }
}
