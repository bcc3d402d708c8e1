package dev.resnetserving.image;

import java.awt.image.IndexColorModel;

/**
 * Where PIL 9.4 puts the first frame of a GIF: on a canvas the size of the logical screen (grown to
 * hold the frame if it sticks out), at the frame's offset, the rest filled with the frame's
 * transparent index, or with index 0. The JDK's reader returns the frame alone.
 *
 * @param width canvas width
 * @param height canvas height
 * @param frameLeft column of the first frame on the canvas
 * @param frameTop row of the first frame on the canvas
 * @param fillIndex palette index of the pixels outside the frame
 */
record GifCanvas(int width, int height, int frameLeft, int frameTop, int fillIndex) {

  private static final int EXTENSION = 0x21;
  private static final int IMAGE_DESCRIPTOR = 0x2c;
  private static final int GRAPHIC_CONTROL = 0xf9;

  /** Reads the logical screen and the blocks up to the first image descriptor. */
  static GifCanvas read(byte[] gif) {
    try {
      int screenWidth = unsigned16(gif, 6);
      int screenHeight = unsigned16(gif, 8);
      int flags = gif[10] & 0xff;
      int offset = 13 + ((flags & 0x80) != 0 ? 3 << ((flags & 7) + 1) : 0);
      int fillIndex = 0;
      while (true) {
        int block = gif[offset] & 0xff;
        if (block == IMAGE_DESCRIPTOR) {
          int left = unsigned16(gif, offset + 1);
          int top = unsigned16(gif, offset + 3);
          int right = left + unsigned16(gif, offset + 5);
          int bottom = top + unsigned16(gif, offset + 7);
          return new GifCanvas(
              Math.max(screenWidth, right), Math.max(screenHeight, bottom), left, top, fillIndex);
        }
        if (block != EXTENSION) {
          throw new CorruptImageException(SafeImageDecoder.CORRUPT);
        }
        int label = gif[offset + 1] & 0xff;
        offset += 2;
        if (label == GRAPHIC_CONTROL && gif[offset] >= 4) {
          boolean transparent = (gif[offset + 1] & 1) != 0;
          fillIndex = transparent ? gif[offset + 4] & 0xff : 0;
        }
        while (gif[offset] != 0) { // data sub-blocks
          offset += (gif[offset] & 0xff) + 1;
        }
        offset++;
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new CorruptImageException(SafeImageDecoder.CORRUPT, e);
    }
  }

  /** The frame on the canvas, the rest filled with the fill index's colour. */
  RgbImage place(RgbImage frame, IndexColorModel palette) {
    if (frameLeft == 0 && frameTop == 0 && frame.width() == width && frame.height() == height) {
      return frame;
    }
    byte[] canvas = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
    boolean inPalette = fillIndex < palette.getMapSize();
    byte red = (byte) (inPalette ? palette.getRed(fillIndex) : fillIndex);
    byte green = (byte) (inPalette ? palette.getGreen(fillIndex) : fillIndex);
    byte blue = (byte) (inPalette ? palette.getBlue(fillIndex) : fillIndex);
    for (int i = 0; i < canvas.length; i += 3) {
      canvas[i] = red;
      canvas[i + 1] = green;
      canvas[i + 2] = blue;
    }
    int rowBytes = frame.width() * 3;
    for (int y = 0; y < frame.height(); y++) {
      System.arraycopy(
          frame.pixels(), y * rowBytes, canvas, ((frameTop + y) * width + frameLeft) * 3, rowBytes);
    }
    return new RgbImage(width, height, canvas);
  }

  private static int unsigned16(byte[] data, int offset) {
    return (data[offset] & 0xff) | (data[offset + 1] & 0xff) << 8;
  }
}
