package dev.resnetserving.v2;

import java.util.List;

/** A request's JSON part, read before any binary data that follows it. */
record ParsedRequest(
    String id, Parameters parameters, List<ParsedInput> inputs, List<RequestedOutput> outputs) {

  InferenceRequest withInputs(List<InputTensor> tensors) {
    return new InferenceRequest(id, parameters, tensors, outputs);
  }
}
