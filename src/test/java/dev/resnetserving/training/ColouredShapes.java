package dev.resnetserving.training;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A seeded data set of coloured shapes on noisy backgrounds: each class is one shape in one colour
 * family, with random position, size, shade and background.
 */
final class ColouredShapes {

  /** In sorted order, as {@link ImageFolder} numbers them. */
  static final List<String> CLASSES =
      List.of("blue-triangle", "green-square", "red-disc", "yellow-cross");

  private static final float[] HUES = {0.62f, 0.33f, 0f, 0.15f};

  private final Random random;
  private final int size;

  ColouredShapes(long seed, int size) {
    this.random = new Random(seed);
    this.size = size;
  }

  BufferedImage draw(int label) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int grey = 90 + random.nextInt(80);
        image.setRGB(x, y, new Color(grey, grey, grey).getRGB());
      }
    }
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(
        Color.getHSBColor(
            HUES[label] + (random.nextFloat() - 0.5f) * 0.06f,
            0.7f + random.nextFloat() * 0.3f,
            0.7f + random.nextFloat() * 0.3f));
    int side = size / 3 + random.nextInt(size / 3);
    int left = random.nextInt(size - side + 1);
    int top = random.nextInt(size - side + 1);
    switch (label) {
      case 0 ->
          g.fillPolygon(
              new Polygon(
                  new int[] {left, left + side / 2, left + side},
                  new int[] {top + side, top, top + side},
                  3));
      case 1 -> g.fillRect(left, top, side, side);
      case 2 -> g.fillOval(left, top, side, side);
      default -> {
        g.fillRect(left + side / 3, top, side / 3, side);
        g.fillRect(left, top + side / 3, side, side / 3);
      }
    }
    g.dispose();
    return image;
  }

  /** CHW floats scaled to [-1, 1]. */
  float[] tensor(int label) {
    BufferedImage image = draw(label);
    int plane = size * size;
    float[] tensor = new float[3 * plane];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int rgb = image.getRGB(x, y);
        int p = y * size + x;
        tensor[p] = ((rgb >> 16) & 0xff) / 127.5f - 1;
        tensor[plane + p] = ((rgb >> 8) & 0xff) / 127.5f - 1;
        tensor[2 * plane + p] = (rgb & 0xff) / 127.5f - 1;
      }
    }
    return tensor;
  }

  /** Writes {@code perClass} PNG images of every class under {@code root/<class>/}. */
  void writeImageFolder(Path root, int perClass) {
    try {
      for (int label = 0; label < CLASSES.size(); label++) {
        Path folder = Files.createDirectories(root.resolve(CLASSES.get(label)));
        for (int i = 0; i < perClass; i++) {
          ImageIO.write(draw(label), "png", folder.resolve(String.format("%03d.png", i)).toFile());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
