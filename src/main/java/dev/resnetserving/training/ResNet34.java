package dev.resnetserving.training;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * ResNet-34 built from {@link ResidualUnit}s, laid out like torchvision's {@code resnet34}:
 *
 * <pre>
 * conv7x7/2, 64 → BN → ReLU → max-pool 3x3/2
 * → residual units [64]x3, [128]x4, [256]x6, [512]x3 (stride 2 where the filter count changes)
 * → global average pool → dense over the classes
 * </pre>
 *
 * The dense layer outputs logits; the softmax belongs to the loss in training and to the translator
 * in serving.
 */
public final class ResNet34 {

  /** Filters of each stage and how many residual units it has. */
  static final int[] STAGE_FILTERS = {64, 128, 256, 512};

  static final int[] STAGE_UNITS = {3, 4, 6, 3};

  private ResNet34() {}

  public static Builder builder() {
    return new Builder();
  }

  private static Block network(int classes) {
    SequentialBlock network =
        new SequentialBlock()
            .add(ResidualUnit.conv(7, 64, 2))
            .add(ResidualUnit.batchNorm())
            .add(Activation.reluBlock())
            .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
    int previousFilters = 64;
    for (int stage = 0; stage < STAGE_FILTERS.length; stage++) {
      int filters = STAGE_FILTERS[stage];
      for (int unit = 0; unit < STAGE_UNITS[stage]; unit++) {
        int stride = unit == 0 && filters != previousFilters ? 2 : 1;
        network.add(ResidualUnit.of(filters, stride, filters != previousFilters));
        previousFilters = filters;
      }
    }
    return network
        .add(Pool.globalAvgPool2dBlock())
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(classes).build());
  }

  /** Builds a ResNet-34; {@link #setClasses} is required. */
  public static final class Builder {

    private int classes;

    private Builder() {}

    /** The number of classes, the width of the last dense layer. */
    public Builder setClasses(int classes) {
      if (classes < 1) {
        throw new IllegalArgumentException("classes must be at least 1, was " + classes);
      }
      this.classes = classes;
      return this;
    }

    public Block build() {
      if (classes == 0) {
        throw new IllegalStateException("setClasses is required");
      }
      return network(classes);
    }
  }
}
