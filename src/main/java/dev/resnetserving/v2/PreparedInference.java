package dev.resnetserving.v2;

import java.util.List;

/**
 * A request checked against the model, with its inputs taken out: either encoded images or
 * preprocessed tensors.
 *
 * @param images the encoded images, or {@code null} for tensors
 * @param tensors the CHW tensors, or {@code null} for images
 */
public record PreparedInference(
    InferenceRequest request,
    List<RequestedOutput> outputs,
    List<byte[]> images,
    List<float[]> tensors) {

  /** What the request costs against a quota: one per image or tensor. */
  public int imageCount() {
    return images != null ? images.size() : tensors.size();
  }
}
