package dev.resnetserving.image;

import java.util.Arrays;

/**
 * Pillow 9.4's {@code Image.resize(size, BILINEAR)} on 8-bit RGB, bit for bit: a port of {@code
 * ImagingResample} in libImaging/Resample.c. The filter is antialiased (its support grows with the
 * downscaling factor), coefficients are fixed-point with 22 fractional bits, and the horizontal
 * pass runs first and rounds to 8 bits before the vertical pass.
 *
 * <p>Every output pixel depends only on its own coefficients, so computing just the crop window
 * gives the same bytes as resizing the whole image and cropping afterwards, for less work.
 */
final class PillowBilinearResampler {

  /** Fractional bits of the fixed-point coefficients: 32 - 8 result bits - 2 overflow bits. */
  private static final int PRECISION_BITS = 32 - 8 - 2;

  private static final int HALF = 1 << (PRECISION_BITS - 1);

  private PillowBilinearResampler() {}

  /** Resizes to the plan's resized size and returns only its crop window. */
  static RgbImage resizeAndCrop(RgbImage image, ResizeCropPlan plan) {
    int size = plan.cropSize();
    return resize(
        image, plan.resizedWidth(), plan.resizedHeight(), plan.left(), plan.top(), size, size);
  }

  /**
   * Resizes to outWidth x outHeight and returns the window of that size starting at (left, top).
   */
  static RgbImage resize(
      RgbImage image, int outWidth, int outHeight, int left, int top, int width, int height) {
    if (left < 0 || top < 0 || left + width > outWidth || top + height > outHeight) {
      throw new IllegalArgumentException("Window outside the resized image");
    }
    // Pillow skips the pass for a side that keeps its size; that pass would be the identity.
    boolean resizeColumns = outWidth != image.width();
    boolean resizeRows = outHeight != image.height();
    Coefficients rows = null;
    int firstRow = top;
    int lastRow = top + height;
    if (resizeRows) {
      rows = Coefficients.bilinear(image.height(), outHeight, top, height);
      firstRow = rows.lowestInput();
      lastRow = rows.highestInput() + 1;
    }
    byte[] horizontal =
        resizeColumns
            ? resampleRows(
                image,
                Coefficients.bilinear(image.width(), outWidth, left, width),
                firstRow,
                lastRow)
            : copyWindow(image, left, firstRow, width, lastRow - firstRow);
    byte[] out = resizeRows ? resampleColumns(horizontal, width, rows, firstRow) : horizontal;
    return new RgbImage(width, height, out);
  }

  /** The horizontal pass over source rows [firstRow, lastRow), for the window's columns only. */
  private static byte[] resampleRows(
      RgbImage image, Coefficients columns, int firstRow, int lastRow) {
    byte[] in = image.pixels();
    int width = columns.outputs();
    int taps = columns.taps();
    int[] starts = columns.starts();
    int[] weights = columns.weights();
    byte[] out = new byte[(lastRow - firstRow) * width * 3];
    int o = 0;
    for (int y = firstRow; y < lastRow; y++) {
      int row = y * image.width();
      for (int xx = 0; xx < width; xx++) {
        int i = (row + starts[xx]) * 3;
        int k = xx * taps;
        int r = HALF;
        int g = HALF;
        int b = HALF;
        for (int x = 0; x < taps; x++, i += 3) {
          int weight = weights[k + x];
          r += (in[i] & 0xff) * weight;
          g += (in[i + 1] & 0xff) * weight;
          b += (in[i + 2] & 0xff) * weight;
        }
        out[o++] = clip8(r);
        out[o++] = clip8(g);
        out[o++] = clip8(b);
      }
    }
    return out;
  }

  /** The vertical pass; {@code in} holds rows from {@code firstRow} on, {@code width} wide. */
  private static byte[] resampleColumns(byte[] in, int width, Coefficients rows, int firstRow) {
    int height = rows.outputs();
    int stride = width * 3;
    byte[] out = new byte[height * stride];
    int[] sums = new int[stride];
    int[] weights = rows.weights();
    int taps = rows.taps();
    for (int yy = 0; yy < height; yy++) {
      // Row by row rather than pixel by pixel: the same sums, in loops the JIT can vectorise.
      Arrays.fill(sums, HALF);
      int row = (rows.starts()[yy] - firstRow) * stride;
      for (int y = 0; y < taps; y++, row += stride) {
        int weight = weights[yy * taps + y];
        if (weight == 0) {
          continue;
        }
        for (int i = 0; i < stride; i++) {
          sums[i] += (in[row + i] & 0xff) * weight;
        }
      }
      int o = yy * stride;
      for (int i = 0; i < stride; i++) {
        out[o + i] = clip8(sums[i]);
      }
    }
    return out;
  }

  private static byte[] copyWindow(RgbImage image, int left, int top, int width, int height) {
    byte[] out = new byte[width * height * 3];
    for (int y = 0; y < height; y++) {
      System.arraycopy(
          image.pixels(), ((top + y) * image.width() + left) * 3, out, y * width * 3, width * 3);
    }
    return out;
  }

  /** Resample.c's clip8: the fixed-point sum back to a byte, clamped to 0..255. */
  private static byte clip8(int sum) {
    int value = sum >> PRECISION_BITS;
    return (byte) (value < 0 ? 0 : Math.min(value, 255));
  }

  /**
   * Resample.c's {@code precompute_coeffs} and {@code normalize_coeffs_8bpc} for the bilinear
   * filter, for the outputs [firstOutput, firstOutput + outputs) of a full resize from inSize to
   * outSize. Output {@code i} sums inputs {@code starts[i]} to {@code starts[i] + taps - 1} with
   * {@code weights[i * taps ...]}.
   *
   * <p>Pillow gives each output its own number of inputs; here every output gets the largest
   * number, the extra weights zero and the window moved left where it would pass the last input.
   * The integer sums are unchanged, and the inner loop has one trip count the JIT can unroll.
   */
  record Coefficients(int outputs, int taps, int[] starts, int[] weights) {

    static Coefficients bilinear(int inSize, int outSize, int firstOutput, int outputs) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = 1.0 * filterScale; // the bilinear filter's support is 1
      int ksize = (int) Math.ceil(support) * 2 + 1;
      int[] bounds = new int[outputs * 2];
      int[] pillowWeights = new int[outputs * ksize];
      double[] k = new double[ksize];
      int taps = 1;
      for (int i = 0; i < outputs; i++) {
        int xx = firstOutput + i;
        double center = (xx + 0.5) * scale;
        double ww = 0.0;
        double ss = 1.0 / filterScale;
        int xmin = (int) (center - support + 0.5);
        if (xmin < 0) {
          xmin = 0;
        }
        int xmax = (int) (center + support + 0.5);
        if (xmax > inSize) {
          xmax = inSize;
        }
        xmax -= xmin;
        for (int x = 0; x < xmax; x++) {
          double w = bilinearFilter((x + xmin - center + 0.5) * ss);
          k[x] = w;
          ww += w;
        }
        for (int x = 0; x < xmax; x++) {
          pillowWeights[i * ksize + x] = toFixedPoint(ww != 0.0 ? k[x] / ww : k[x]);
        }
        bounds[i * 2] = xmin;
        bounds[i * 2 + 1] = xmax;
        taps = Math.max(taps, xmax);
      }
      int[] starts = new int[outputs];
      int[] weights = new int[outputs * taps];
      for (int i = 0; i < outputs; i++) {
        int xmin = bounds[i * 2];
        int start = Math.min(xmin, inSize - taps);
        starts[i] = start;
        System.arraycopy(
            pillowWeights, i * ksize, weights, i * taps + xmin - start, bounds[i * 2 + 1]);
      }
      return new Coefficients(outputs, taps, starts, weights);
    }

    /** Windows only move right from one output to the next: the first starts lowest. */
    int lowestInput() {
      return starts[0];
    }

    int highestInput() {
      return starts[outputs - 1] + taps - 1;
    }

    private static double bilinearFilter(double x) {
      double distance = x < 0.0 ? -x : x;
      return distance < 1.0 ? 1.0 - distance : 0.0;
    }

    private static int toFixedPoint(double coefficient) {
      return coefficient < 0
          ? (int) (-0.5 + coefficient * (1 << PRECISION_BITS))
          : (int) (0.5 + coefficient * (1 << PRECISION_BITS));
    }
  }
}
