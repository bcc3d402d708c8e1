package dev.resnetserving.inference;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * The number type a model computes in. The model file carries it: {@code
 * scripts/fixtures/reduce_precision.py} stores bf16 or fp16 weights behind a float32 interface, so
 * every precision takes the same float32 input and gives float32 logits. The cast cannot happen in
 * Java: DJL 0.36 has no way to cast a loaded TorchScript module, and making a bfloat16 NDArray
 * aborts the JVM (docs/benchmarks.md, "Reduced precision").
 */
public enum Precision {
  FP32(DataType.FLOAT32),
  /** DJL 0.36 maps no native type to {@code BFLOAT16}: it reports bfloat16 tensors as UNKNOWN. */
  BF16(DataType.UNKNOWN),
  /**
   * libtorch runs fp16 on a CPU, but several times slower than fp32 (docs/benchmarks.md): GPUs
   * only.
   */
  FP16(DataType.FLOAT16);

  public static final String SETTING = "resnet.model.precision (RESNET_MODEL_PRECISION)";

  private final DataType weightType;

  Precision(DataType weightType) {
    this.weightType = weightType;
  }

  /** The precision whose weights DJL reports as this type, else the type's own name. */
  static String nameOfWeight(DataType type) {
    for (Precision precision : values()) {
      if (precision.weightType == type) {
        return precision.label();
      }
    }
    return type.toString();
  }

  /** The name used in settings and messages: fp32, bf16, fp16. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
