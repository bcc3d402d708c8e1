package dev.resnetserving.v2;

import dev.resnetserving.classification.ImageClassifier;
import dev.resnetserving.classification.Prediction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The served classifier as the Open Inference Protocol sees it: one version, two alternative inputs
 * and one output.
 *
 * <ul>
 *   <li>{@value #IMAGE_INPUT}: BYTES {@code [N]} (or {@code [N,1]}), encoded images (JPEG, PNG,
 *       GIF, BMP, WebP), preprocessed exactly as for {@code /v1/classify};
 *   <li>{@value #TENSOR_INPUT}: FP32 {@code [N,3,S,S]}, images already resized, cropped and
 *       normalised like torchvision's ImageNet transform;
 *   <li>{@value #OUTPUT}: FP32 {@code [N,C]} softmax probabilities, or with Triton's classification
 *       extension BYTES {@code [N,k]} strings {@code "score:index:label"}.
 * </ul>
 */
public final class OpenInferenceModel {

  public static final String IMAGE_INPUT = "image";
  public static final String TENSOR_INPUT = "input";
  public static final String OUTPUT = "probabilities";
  public static final String VERSION = "1";
  public static final String PLATFORM = "pytorch_torchscript";

  private final String name;
  private final ImageClassifier classifier;
  private final int inputSize;

  public OpenInferenceModel(String name, ImageClassifier classifier, int inputSize) {
    this.name = name;
    this.classifier = classifier;
    this.inputSize = inputSize;
  }

  public String name() {
    return name;
  }

  /**
   * Checks that a URL names this model (and, when given, its version).
   *
   * @param version {@code null} when the URL has none
   * @throws ProtocolException 404 otherwise
   */
  public void resolve(String modelName, String version) {
    if (!name.equals(modelName)) {
      throw ProtocolException.notFound(
          "unknown model '" + modelName + "': this server serves '" + name + "'");
    }
    if (version != null && !VERSION.equals(version)) {
      throw ProtocolException.notFound(
          "model '" + name + "' has no version '" + version + "': its only version is " + VERSION);
    }
  }

  public ModelMetadata metadata() {
    return new ModelMetadata(
        name,
        List.of(VERSION),
        PLATFORM,
        List.of(
            new TensorMetadata(IMAGE_INPUT, Datatype.BYTES.name(), new long[] {-1}),
            new TensorMetadata(
                TENSOR_INPUT, Datatype.FP32.name(), new long[] {-1, 3, inputSize, inputSize})),
        List.of(
            new TensorMetadata(
                OUTPUT, Datatype.FP32.name(), new long[] {-1, classifier.classCount()})));
  }

  /** Checks and runs a request: {@link #prepare} then {@link #run}. */
  public CompletableFuture<InferenceResponse> infer(InferenceRequest request) {
    return run(prepare(request));
  }

  /**
   * Checks a request against the model and takes its images or tensors out of it, before anything
   * is charged or queued.
   *
   * @throws ProtocolException when the request does not fit the model
   */
  public PreparedInference prepare(InferenceRequest request) {
    if (request.inputs().size() != 1) {
      throw ProtocolException.badRequest(
          "this model takes exactly one input, "
              + acceptedInputs()
              + "; the request has "
              + request.inputs().size());
    }
    List<RequestedOutput> outputs = outputs(request);
    InputTensor input = request.inputs().get(0);
    return switch (input.name()) {
      case IMAGE_INPUT -> new PreparedInference(request, outputs, images(input), null);
      case TENSOR_INPUT -> new PreparedInference(request, outputs, null, tensors(input));
      default ->
          throw ProtocolException.badRequest(
              "unknown input '" + input.name() + "': this model takes " + acceptedInputs());
    };
  }

  private String acceptedInputs() {
    return "'"
        + IMAGE_INPUT
        + "' (BYTES, encoded images) or '"
        + TENSOR_INPUT
        + "' (FP32 [N,3,"
        + inputSize
        + ","
        + inputSize
        + "])";
  }

  /**
   * Runs a prepared request through the same preprocessing, admission and batcher as {@code
   * /v1/classify}; the future fails as the classifier's does.
   */
  public CompletableFuture<InferenceResponse> run(PreparedInference inference) {
    CompletableFuture<List<float[]>> probabilities =
        inference.images() != null
            ? classifier.probabilities(inference.images())
            : classifier.probabilitiesOfTensors(inference.tensors());
    InferenceRequest request = inference.request();
    CompletableFuture<InferenceResponse> response =
        probabilities.thenApply(
            rows ->
                new InferenceResponse(
                    name,
                    VERSION,
                    request.id(),
                    inference.outputs().stream()
                        .map(output -> output(output, rows, request.binaryOutputs()))
                        .toList()));
    // Cancelling the response (its client went away) withdraws the images still queued.
    response.whenComplete(
        (done, failure) -> {
          if (response.isCancelled()) {
            probabilities.cancel(false);
          }
        });
    return response;
  }

  private List<RequestedOutput> outputs(InferenceRequest request) {
    if (request.outputs().isEmpty()) {
      return List.of(new RequestedOutput(OUTPUT, Parameters.NONE));
    }
    for (RequestedOutput output : request.outputs()) {
      if (!OUTPUT.equals(output.name())) {
        throw ProtocolException.badRequest(
            "unknown output '" + output.name() + "': this model has one output, '" + OUTPUT + "'");
      }
      Long k = output.classification();
      if (k != null && (k < 1 || k > classifier.classCount())) {
        throw ProtocolException.badRequest(
            "classification must be a whole number from 1 to " + classifier.classCount());
      }
      // Refuses a malformed binary_data before any work is queued.
      output.binary(request.binaryOutputs());
    }
    return request.outputs();
  }

  private static List<byte[]> images(InputTensor input) {
    if (input.datatype() != Datatype.BYTES) {
      throw ProtocolException.badRequest(
          "input '" + IMAGE_INPUT + "' must be BYTES: encoded images");
    }
    long[] shape = input.shape();
    if (shape.length == 0 || shape.length > 2 || (shape.length == 2 && shape[1] != 1)) {
      throw ProtocolException.badRequest(
          "input '"
              + IMAGE_INPUT
              + "' must have shape [N] or [N,1], got "
              + Arrays.toString(shape));
    }
    if (input.elements().isEmpty()) {
      throw ProtocolException.badRequest("input '" + IMAGE_INPUT + "' holds no image");
    }
    return input.elements();
  }

  private List<float[]> tensors(InputTensor input) {
    long[] shape = input.shape();
    if (input.datatype() != Datatype.FP32
        || shape.length != 4
        || shape[0] < 1
        || shape[1] != 3
        || shape[2] != inputSize
        || shape[3] != inputSize) {
      throw ProtocolException.badRequest(
          "input '"
              + TENSOR_INPUT
              + "' must be FP32 with shape [N,3,"
              + inputSize
              + ","
              + inputSize
              + "], N from 1; got "
              + input.datatype()
              + " "
              + Arrays.toString(shape));
    }
    int length = classifier.tensorLength();
    List<float[]> tensors = new ArrayList<>((int) shape[0]);
    for (int i = 0; i < shape[0]; i++) {
      tensors.add(Arrays.copyOfRange(input.values(), i * length, (i + 1) * length));
    }
    return tensors;
  }

  private OutputTensor output(
      RequestedOutput requested, List<float[]> rows, boolean binaryByDefault) {
    boolean binary = requested.binary(binaryByDefault);
    Long k = requested.classification();
    if (k == null) {
      int classes = classifier.classCount();
      float[] values = new float[rows.size() * classes];
      for (int i = 0; i < rows.size(); i++) {
        System.arraycopy(rows.get(i), 0, values, i * classes, classes);
      }
      return new OutputTensor(
          OUTPUT, Datatype.FP32, new long[] {rows.size(), classes}, values, null, binary);
    }
    List<byte[]> elements = new ArrayList<>(rows.size() * k.intValue());
    for (float[] row : rows) {
      for (Prediction prediction : classifier.topK(row, k.intValue())) {
        String text =
            prediction.probability() + ":" + prediction.index() + ":" + prediction.label();
        elements.add(text.getBytes(StandardCharsets.UTF_8));
      }
    }
    return new OutputTensor(
        OUTPUT, Datatype.BYTES, new long[] {rows.size(), k}, null, elements, binary);
  }
}
