package dev.resnetserving.training;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws the learning curves, Keras-history style: loss and accuracy per epoch, training (solid) and
 * validation (dashed), with a line where fine-tuning starts. Plain Java 2D, headless.
 */
final class TrainingCurves {

  private static final int PANEL_WIDTH = 560;
  private static final int HEIGHT = 400;
  private static final int MARGIN_LEFT = 60;
  private static final int MARGIN_RIGHT = 20;
  private static final int MARGIN_TOP = 40;
  private static final int MARGIN_BOTTOM = 50;
  private static final Color TRAIN = new Color(0x1f77b4);
  private static final Color VALIDATION = new Color(0xff7f0e);
  private static final Stroke SOLID = new BasicStroke(2f);
  private static final Stroke DASHED =
      new BasicStroke(
          2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f);

  private TrainingCurves() {}

  static void write(List<EpochReport> history, Path png) {
    BufferedImage image = new BufferedImage(2 * PANEL_WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    double maxLoss =
        history.stream()
            .mapToDouble(r -> Math.max(r.train().loss(), r.validation().loss()))
            .filter(Double::isFinite)
            .max()
            .orElse(1);
    panel(
        g,
        0,
        "loss",
        history,
        r -> r.train().loss(),
        r -> r.validation().loss(),
        Math.max(maxLoss, 1e-3));
    panel(
        g,
        PANEL_WIDTH,
        "accuracy",
        history,
        r -> r.train().accuracy(),
        r -> r.validation().accuracy(),
        1);
    g.dispose();
    try {
      ImageIO.write(image, "png", png.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the plot " + png, e);
    }
  }

  private static void panel(
      Graphics2D g,
      int left,
      String title,
      List<EpochReport> history,
      ToDoubleFunction<EpochReport> train,
      ToDoubleFunction<EpochReport> validation,
      double maxY) {
    int x0 = left + MARGIN_LEFT;
    int x1 = left + PANEL_WIDTH - MARGIN_RIGHT;
    int y0 = HEIGHT - MARGIN_BOTTOM;
    int y1 = MARGIN_TOP;
    int epochs = Math.max(history.size(), 2);
    Axis x = new Axis(1, epochs, x0, x1);
    Axis y = new Axis(0, maxY, y0, y1);

    g.setColor(new Color(0xdddddd));
    g.setStroke(new BasicStroke(1f));
    for (int tick = 0; tick <= 4; tick++) {
      double value = maxY * tick / 4;
      int py = y.pixel(value);
      g.drawLine(x0, py, x1, py);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(Locale.ROOT, "%.2f", value), left + 12, py + 4);
      g.setColor(new Color(0xdddddd));
    }
    g.setColor(Color.DARK_GRAY);
    int step = Math.max(1, epochs / 10);
    for (int epoch = 1; epoch <= epochs; epoch += step) {
      g.drawString(Integer.toString(epoch), x.pixel(epoch) - 4, y0 + 16);
    }
    g.drawString("epoch", (x0 + x1) / 2 - 15, y0 + 34);
    g.drawLine(x0, y0, x1, y0);
    g.drawLine(x0, y0, x0, y1);
    g.setFont(g.getFont().deriveFont(Font.BOLD, 14f));
    g.drawString(title, (x0 + x1) / 2 - 25, MARGIN_TOP - 16);
    g.setFont(g.getFont().deriveFont(Font.PLAIN, 12f));

    int fineTuneStart = fineTuneStart(history);
    if (fineTuneStart > 0) {
      int px = x.pixel(fineTuneStart + 0.5);
      g.setColor(Color.GRAY);
      g.setStroke(DASHED);
      g.drawLine(px, y0, px, y1);
      g.drawString("fine-tuning", px + 4, y1 + 12);
    }
    curve(g, history, train, x, y, TRAIN, SOLID);
    curve(g, history, validation, x, y, VALIDATION, DASHED);
    legend(g, x1 - 110, y1 + 10);
  }

  /** The epoch (counted from 1 over both phases) after which fine-tuning began; 0 if it did not. */
  private static int fineTuneStart(List<EpochReport> history) {
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i).phase() == Phase.FINE_TUNE) {
        return i;
      }
    }
    return 0;
  }

  private static void curve(
      Graphics2D g,
      List<EpochReport> history,
      ToDoubleFunction<EpochReport> metric,
      Axis x,
      Axis y,
      Color color,
      Stroke stroke) {
    Path2D.Double path = new Path2D.Double();
    for (int i = 0; i < history.size(); i++) {
      double value = metric.applyAsDouble(history.get(i));
      if (!Double.isFinite(value)) {
        continue;
      }
      if (path.getCurrentPoint() == null) {
        path.moveTo(x.pixel(i + 1), y.pixel(value));
      } else {
        path.lineTo(x.pixel(i + 1), y.pixel(value));
      }
      g.setColor(color);
      g.fillOval(x.pixel(i + 1) - 3, y.pixel(value) - 3, 6, 6);
    }
    g.setColor(color);
    g.setStroke(stroke);
    g.draw(path);
  }

  private static void legend(Graphics2D g, int left, int top) {
    g.setStroke(SOLID);
    g.setColor(TRAIN);
    g.drawLine(left, top, left + 24, top);
    g.setColor(Color.DARK_GRAY);
    g.drawString("train", left + 30, top + 4);
    g.setStroke(DASHED);
    g.setColor(VALIDATION);
    g.drawLine(left, top + 18, left + 24, top + 18);
    g.setColor(Color.DARK_GRAY);
    g.drawString("validation", left + 30, top + 22);
  }

  /** Maps data values linearly onto pixels. */
  private record Axis(double min, double max, int fromPixel, int toPixel) {
    int pixel(double value) {
      return (int) Math.round(fromPixel + (value - min) / (max - min) * (toPixel - fromPixel));
    }
  }
}
