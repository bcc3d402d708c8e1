package dev.resnetserving.v2;

import java.util.List;

/**
 * An {@code $inference_response}.
 *
 * @param id the request's id, or {@code null} when it gave none
 */
public record InferenceResponse(
    String modelName, String modelVersion, String id, List<OutputTensor> outputs) {}
