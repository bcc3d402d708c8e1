package dev.resnetserving.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;

/**
 * Turns decoded samples into 8-bit RGB exactly as PIL's {@code Image.convert("RGB")} does.
 *
 * <p>Samples are read from the raster, never through {@code getRGB()}, which would colour-manage
 * them and apply gamma to grey. As in PIL: alpha is dropped without compositing, palette indices
 * are looked up in the palette (its transparency ignored), grey is copied to R, G and B, samples of
 * fewer than 8 bits are stretched ({@code v * 255 / max}, PIL's unpackers) and 16-bit samples keep
 * their high byte. CMYK JPEGs take their own path, {@link JpegCmykConverter}.
 *
 * <p>One deliberate difference: PIL 9.4 opens 16-bit grey as mode "I" and clips it at 255, which
 * turns most such images white; here its high byte is kept, as for every other 16-bit image.
 */
final class PilRgbConverter {

  private PilRgbConverter() {}

  static RgbImage toRgb(BufferedImage image) {
    Raster raster = image.getRaster();
    ColorModel colorModel = image.getColorModel();
    int width = raster.getWidth();
    int height = raster.getHeight();
    byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
    if (colorModel instanceof IndexColorModel palette) {
      convertPalette(raster, palette, rgb);
    } else {
      int[] rgbBands = rgbBands(colorModel.getColorSpace().getType(), raster.getNumBands());
      if (!copyInterleavedBytes(raster, rgbBands, rgb)) {
        copyScaledSamples(raster, rgbBands, rgb);
      }
    }
    return new RgbImage(width, height, rgb);
  }

  /** The bands holding R, G and B. */
  private static int[] rgbBands(int colorSpaceType, int bands) {
    if (colorSpaceType == ColorSpace.TYPE_RGB && bands >= 3) {
      return new int[] {0, 1, 2};
    }
    if (colorSpaceType == ColorSpace.TYPE_GRAY && bands >= 1) {
      return new int[] {0, 0, 0};
    }
    throw new CorruptImageException("The image's colour space cannot be decoded.");
  }

  /** The fast path for 8-bit interleaved rasters, what JPEG, WebP and most PNGs decode to. */
  private static boolean copyInterleavedBytes(Raster raster, int[] rgbBands, byte[] rgb) {
    if (!(raster.getSampleModel() instanceof ComponentSampleModel model)
        || !(raster.getDataBuffer() instanceof DataBufferByte buffer)
        || buffer.getNumBanks() != 1
        || raster.getSampleModelTranslateX() != 0
        || raster.getSampleModelTranslateY() != 0
        || !allBanksZero(model)) {
      return false;
    }
    byte[] data = buffer.getData();
    int pixelStride = model.getPixelStride();
    int scanlineStride = model.getScanlineStride();
    int[] offsets = model.getBandOffsets();
    int r = offsets[rgbBands[0]];
    int g = offsets[rgbBands[1]];
    int b = offsets[rgbBands[2]];
    int width = raster.getWidth();
    int out = 0;
    for (int y = 0; y < raster.getHeight(); y++) {
      int in = buffer.getOffset() + y * scanlineStride;
      for (int x = 0; x < width; x++, in += pixelStride) {
        rgb[out++] = data[in + r];
        rgb[out++] = data[in + g];
        rgb[out++] = data[in + b];
      }
    }
    return true;
  }

  private static boolean allBanksZero(ComponentSampleModel model) {
    for (int bank : model.getBankIndices()) {
      if (bank != 0) {
        return false;
      }
    }
    return true;
  }

  /** Any other layout: packed, 16-bit, fewer than 8 bits, several banks. */
  private static void copyScaledSamples(Raster raster, int[] rgbBands, byte[] rgb) {
    SampleModel model = raster.getSampleModel();
    int bands = raster.getNumBands();
    int[] bits = model.getSampleSize();
    int width = raster.getWidth();
    int[] row = new int[width * bands];
    int out = 0;
    for (int y = 0; y < raster.getHeight(); y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
      for (int x = 0; x < width; x++) {
        int pixel = x * bands;
        for (int channel = 0; channel < 3; channel++) {
          int band = rgbBands[channel];
          rgb[out++] = (byte) to8Bits(row[pixel + band], bits[band]);
        }
      }
    }
  }

  private static int to8Bits(int sample, int bits) {
    if (bits == 8) {
      return sample;
    }
    if (bits > 8) {
      return sample >>> (bits - 8);
    }
    return sample * 255 / ((1 << bits) - 1);
  }

  private static void convertPalette(Raster raster, IndexColorModel palette, byte[] rgb) {
    // Indices past the end of a short palette read grey, as PIL's palette starts as a grey ramp.
    byte[] reds = new byte[Math.max(palette.getMapSize(), 256)];
    for (int i = 0; i < reds.length; i++) {
      reds[i] = (byte) i;
    }
    byte[] greens = reds.clone();
    byte[] blues = reds.clone();
    palette.getReds(reds);
    palette.getGreens(greens);
    palette.getBlues(blues);
    int width = raster.getWidth();
    int[] indices = new int[width];
    int out = 0;
    for (int y = 0; y < raster.getHeight(); y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, 0, indices);
      for (int x = 0; x < width; x++) {
        int index = indices[x] & 0xff;
        rgb[out++] = reds[index];
        rgb[out++] = greens[index];
        rgb[out++] = blues[index];
      }
    }
  }
}
