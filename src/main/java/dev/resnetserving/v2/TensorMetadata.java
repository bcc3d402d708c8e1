package dev.resnetserving.v2;

/**
 * A {@code $metadata_tensor}: a tensor the model takes or gives.
 *
 * @param shape -1 for a variable dimension (the batch)
 */
public record TensorMetadata(String name, String datatype, long[] shape) {}
