package dev.resnetserving.classification;

import dev.resnetserving.image.RgbImage;

/** An image as the model sees it: the crop, to draw on, and the tensor made from it. */
public record CroppedImage(RgbImage rgb, float[] tensor) {}
