package dev.resnetserving.image;

/**
 * Where torchvision 0.14's {@code Resize(shortSide)} then {@code CenterCrop(cropSize)} take a PIL
 * image: the resized size and the crop window inside it.
 *
 * @param resizedWidth width after Resize
 * @param resizedHeight height after Resize
 * @param left first column of the crop in the resized image
 * @param top first row of the crop in the resized image
 * @param cropSize side of the square crop
 */
record ResizeCropPlan(int resizedWidth, int resizedHeight, int left, int top, int cropSize) {

  /** A row of the resized image, three bytes a pixel, must fit one array. */
  private static final int LONGEST_RESIZED_EDGE = Integer.MAX_VALUE / 3;

  /**
   * Resize: the short side becomes {@code shortSide} and the long side {@code int(shortSide * long
   * / short)}. CenterCrop: {@code int(round((size - cropSize) / 2.0))}, Python's round, which
   * rounds halves to even like {@link Math#rint}.
   */
  static ResizeCropPlan torchvision(int width, int height, int shortSide, int cropSize) {
    if (cropSize > shortSide) {
      throw new IllegalArgumentException(
          "Crop " + cropSize + " is larger than the resized short side " + shortSide);
    }
    int shortEdge = Math.min(width, height);
    int longEdge = Math.max(width, height);
    // Python divides the exact integers and rounds once; so do two exact doubles.
    double resizedLong = (double) ((long) shortSide * longEdge) / shortEdge;
    if (resizedLong > LONGEST_RESIZED_EDGE) {
      throw new ImageTooLargeException(
          "The image is " + width + "x" + height + ": too elongated to resize.");
    }
    int newLong = (int) resizedLong;
    int resizedWidth = width <= height ? shortSide : newLong;
    int resizedHeight = width <= height ? newLong : shortSide;
    int left = (int) Math.rint((resizedWidth - cropSize) / 2.0);
    int top = (int) Math.rint((resizedHeight - cropSize) / 2.0);
    return new ResizeCropPlan(resizedWidth, resizedHeight, left, top, cropSize);
  }
}
