package dev.resnetserving.training;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;

/**
 * The residual unit of ResNet-18/34 (He et al. 2015, torchvision's {@code BasicBlock}): the sum of
 * a main path and a skip path, then ReLU.
 *
 * <pre>
 * main: conv3x3(stride s) → BN → ReLU → conv3x3 → BN
 * skip: identity, or conv1x1(stride s) → BN when the unit changes the shape
 * </pre>
 *
 * Convolutions carry no bias: the BatchNorm after each one has its own shift.
 */
public final class ResidualUnit {

  private ResidualUnit() {}

  /**
   * @param filters output channels of both convolutions
   * @param stride 2 halves the height and width (the first unit of a stage), 1 keeps them
   * @param projectSkip true when the input's shape differs from the output's, so the skip path
   *     needs a 1x1 convolution
   */
  public static Block of(int filters, int stride, boolean projectSkip) {
    SequentialBlock main =
        new SequentialBlock()
            .add(conv(3, filters, stride))
            .add(batchNorm())
            .add(Activation.reluBlock())
            .add(conv(3, filters, 1))
            .add(batchNorm());
    Block skip =
        projectSkip
            ? new SequentialBlock().add(conv(1, filters, stride)).add(batchNorm())
            : Blocks.identityBlock();
    return new SequentialBlock()
        .add(new ParallelBlock(ResidualUnit::sum, List.of(main, skip)))
        .add(Activation.reluBlock());
  }

  private static NDList sum(List<NDList> paths) {
    return new NDList(paths.get(0).singletonOrThrow().add(paths.get(1).singletonOrThrow()));
  }

  /** A "same"-padded square convolution: the output is the input's size divided by the stride. */
  static Conv2d conv(int kernel, int filters, int stride) {
    return Conv2d.builder()
        .setKernelShape(new Shape(kernel, kernel))
        .setFilters(filters)
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(kernel / 2, kernel / 2))
        .optBias(false)
        .build();
  }

  /** PyTorch's defaults: epsilon 1e-5, running averages keep 0.9 of the old value. */
  static BatchNorm batchNorm() {
    return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
  }
}
