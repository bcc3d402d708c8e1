package dev.resnetserving.v2;

import java.util.List;

/**
 * An {@code $inference_request}.
 *
 * @param id returned in the response when given; may be {@code null}
 * @param outputs the outputs asked for; empty asks for every output with default settings
 */
public record InferenceRequest(
    String id, Parameters parameters, List<InputTensor> inputs, List<RequestedOutput> outputs) {

  /** Triton's {@code binary_data_output}: every output in binary unless it says otherwise. */
  public boolean binaryOutputs() {
    return parameters.flag("binary_data_output");
  }
}
