package dev.resnetserving.v2;

import java.util.List;

/** A {@code $metadata_model_response}. */
public record ModelMetadata(
    String name,
    List<String> versions,
    String platform,
    List<TensorMetadata> inputs,
    List<TensorMetadata> outputs) {}
