package dev.resnetserving.explain;

import dev.resnetserving.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Draws an {@link Explanation} over its crop as a PNG: red where hiding a region lowers the target
 * class (the region speaks for it), blue where it raises it, more opaque the larger the change,
 * scaled to the largest change in the image. A map with no change at all is the bare crop.
 */
public final class HeatmapImage {

  private static final int[] FOR_CLASS = {255, 40, 0};
  private static final int[] AGAINST_CLASS = {0, 110, 255};
  private static final float MAX_OPACITY = 0.7f;

  private HeatmapImage() {}

  public static byte[] png(Explanation explanation) {
    RgbImage crop = explanation.crop();
    float[] map = explanation.pixelMap();
    float largest = 0;
    for (float value : map) {
      largest = Math.max(largest, Math.abs(value));
    }
    BufferedImage image =
        new BufferedImage(crop.width(), crop.height(), BufferedImage.TYPE_INT_RGB);
    byte[] pixels = crop.pixels();
    for (int p = 0; p < map.length; p++) {
      float strength = largest == 0 ? 0 : map[p] / largest;
      int[] colour = strength >= 0 ? FOR_CLASS : AGAINST_CLASS;
      float opacity = MAX_OPACITY * Math.abs(strength);
      int rgb = 0;
      for (int channel = 0; channel < 3; channel++) {
        float under = pixels[p * 3 + channel] & 0xff;
        rgb = (rgb << 8) | Math.round(under * (1 - opacity) + colour[channel] * opacity);
      }
      image.setRGB(p % crop.width(), p / crop.width(), rgb);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return png.toByteArray();
  }
}
