package dev.resnetserving.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageRejectionTest {

  private static final long LIMIT = 50_000_000;

  private final ImagePreprocessor preprocessor =
      new ImagePreprocessor(new ImageLimits(LIMIT), 256, 224);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hello, world",
        "<!DOCTYPE html><html><body>not an image</body></html>",
        "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        "PK\u0003\u0004\u0014\u0000\u0000\u0000\u0008\u0000",
        "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"9\"/>",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>",
        "II*\u0000\u0008\u0000\u0000\u0000\u0000\u0000",
        "MM\u0000*\u0000\u0000\u0000\u0008\u0000\u0000",
        "8BPS\u0000\u0001\u0000\u0000\u0000\u0000\u0000\u0000",
        "\u0000\u0000\u0001\u0000\u0001\u0000\u0010\u0010\u0000\u0000",
        "RIFF\u0024\u0000\u0000\u0000WAVEfmt ",
        "BMW is a car maker, not a bitmap header",
        "{\"image\": \"base64...\"}",
      })
  void unsupportedFormatsAreRejectedFromTheirMagicBytes(String content) {
    byte[] bytes = content.getBytes(StandardCharsets.ISO_8859_1);

    assertThatThrownBy(() -> preprocessor.preprocess(bytes))
        .isInstanceOf(UnsupportedImageFormatException.class)
        .hasMessageContaining("JPEG, PNG, GIF, BMP or WebP");
  }

  @Test
  void emptyInputIsUnsupported() {
    assertThatThrownBy(() -> preprocessor.preprocess(new byte[0]))
        .isInstanceOf(UnsupportedImageFormatException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "china.jpg",
        "variant-progressive.jpg",
        "variant-cmyk.jpg",
        "variant-ycck.jpg",
        "chelsea.png",
        "variant-interlaced.png",
        "variant-palette-transparency.png",
        "variant-animated.gif",
        "variant-rgb.bmp",
        "variant-lossless.webp",
        "variant-lossy.webp"
      })
  void truncatedImagesAreCorrupt(String name) {
    byte[] image = ReferenceFixtures.image(name);

    for (double kept : new double[] {0.02, 0.5}) {
      byte[] truncated = Arrays.copyOf(image, (int) (image.length * kept));
      assertThatThrownBy(() -> preprocessor.preprocess(truncated))
          .as("%s cut to %.0f%%", name, kept * 100)
          .isInstanceOf(CorruptImageException.class)
          .hasMessage(SafeImageDecoder.CORRUPT);
    }
  }

  @Test
  void jpegWithoutEndMarkerIsCorruptAsInPil() {
    byte[] jpeg = ReferenceFixtures.image("china.jpg");
    byte[] withoutEoi = Arrays.copyOf(jpeg, jpeg.length - 2);

    assertThatThrownBy(() -> preprocessor.preprocess(withoutEoi))
        .isInstanceOf(CorruptImageException.class);
  }

  @Test
  void jpegWithStrayBytesBeforeAMarkerDecodesAsInPil() {
    // libjpeg warns "extraneous bytes before marker" and decodes; PIL accepts such files too.
    byte[] jpeg = ReferenceFixtures.image("china.jpg");
    byte[] withStrayBytes = new byte[jpeg.length + 3];
    System.arraycopy(jpeg, 0, withStrayBytes, 0, jpeg.length - 2);
    withStrayBytes[jpeg.length - 2] = 0x12;
    withStrayBytes[jpeg.length - 1] = 0x34;
    withStrayBytes[jpeg.length] = 0x56;
    withStrayBytes[jpeg.length + 1] = (byte) 0xff;
    withStrayBytes[jpeg.length + 2] = (byte) 0xd9;

    assertThat(preprocessor.preprocess(withStrayBytes)).isEqualTo(preprocessor.preprocess(jpeg));
  }

  @Test
  void decodableImageOverThePixelLimitIsTooLarge() throws IOException {
    byte[] png = new PngBuilder().greyHeader(8000, 7000).blackGreyRows(8000, 7000).end();
    assertThat(png.length).isLessThan(200_000);
    assertThat(decodesWithImageIo(png)).as("a valid, decodable PNG").isTrue();

    assertThatThrownBy(() -> preprocessor.preprocess(png))
        .isInstanceOf(ImageTooLargeException.class)
        .hasMessage("The image is 8000x7000 = 56000000 pixels, more than the limit of 50000000.");
  }

  @Test
  void sizeIsCheckedFromTheHeaderBeforeAnyPixelIsDecoded() {
    // A header declaring 65535x65535 followed by pixel data that cannot be decoded: decoding
    // first would answer "corrupt", checking the header first answers "too large".
    byte[] png =
        new PngBuilder()
            .greyHeader(65535, 65535)
            .chunk("IDAT", "not zlib data".getBytes(StandardCharsets.US_ASCII))
            .end();

    assertThatThrownBy(() -> preprocessor.preprocess(png))
        .isInstanceOf(ImageTooLargeException.class);
  }

  @Test
  void everyFormatChecksItsHeaderSize() {
    assertTooLarge(jpegDeclaring(65535, 65535));
    assertTooLarge(gifDeclaring(65535, 65535));
    assertTooLarge(bmpDeclaring(20000, 20000)); // a BMP's pixels fit in its 4 GB size field
    assertTooLarge(losslessWebpDeclaring(16384, 16384));
  }

  @Test
  void imageWithoutPixelsIsCorrupt() {
    byte[] png = new PngBuilder().greyHeader(0, 10).blackGreyRows(0, 10).end();

    assertThatThrownBy(() -> preprocessor.preprocess(png))
        .isInstanceOf(CorruptImageException.class);
  }

  @Test
  void rejectionsAreCheapAndSafeToShowClients() {
    ImageRejectedException[] rejections = {
      catchRejection("text".getBytes(StandardCharsets.US_ASCII)),
      catchRejection(Arrays.copyOf(ReferenceFixtures.image("china.jpg"), 5000)),
      catchRejection(jpegDeclaring(65535, 65535)),
    };

    assertThat(rejections)
        .hasOnlyElementsOfTypes(
            UnsupportedImageFormatException.class,
            CorruptImageException.class,
            ImageTooLargeException.class)
        .allSatisfy(
            rejection -> {
              assertThat(rejection.getStackTrace()).isEmpty();
              assertThat(rejection.getMessage())
                  .doesNotContain("Exception", "java.", "javax.", "com.", ".jpg", "\n");
            });
  }

  private ImageRejectedException catchRejection(byte[] bytes) {
    try {
      preprocessor.preprocess(bytes);
    } catch (ImageRejectedException e) {
      return e;
    }
    throw new AssertionError("not rejected");
  }

  private void assertTooLarge(byte[] image) {
    assertThatThrownBy(() -> preprocessor.preprocess(image))
        .isInstanceOf(ImageTooLargeException.class);
  }

  /** The sample JPEG with its SOF0 frame size rewritten. */
  private static byte[] jpegDeclaring(int width, int height) {
    byte[] jpeg = ReferenceFixtures.image("china.jpg").clone();
    int offset = 2;
    while ((jpeg[offset + 1] & 0xff) != 0xc0) {
      offset += 2 + ((jpeg[offset + 2] & 0xff) << 8 | (jpeg[offset + 3] & 0xff));
    }
    ByteBuffer.wrap(jpeg, offset + 5, 4).putShort((short) height).putShort((short) width);
    return jpeg;
  }

  /** The sample GIF with its screen and first frame sizes rewritten. */
  private static byte[] gifDeclaring(int width, int height) {
    byte[] gif = ReferenceFixtures.image("variant-animated.gif").clone();
    ByteBuffer buffer = ByteBuffer.wrap(gif).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putShort(6, (short) width).putShort(8, (short) height);
    int offset = 13 + (((gif[10] & 0x80) != 0) ? 3 * (2 << (gif[10] & 7)) : 0);
    while (gif[offset] != 0x2c) { // skip extension blocks up to the image descriptor
      offset += 2;
      while (gif[offset] != 0) {
        offset += (gif[offset] & 0xff) + 1;
      }
      offset++;
    }
    buffer.putShort(offset + 5, (short) width).putShort(offset + 7, (short) height);
    return gif;
  }

  private static byte[] bmpDeclaring(int width, int height) {
    byte[] bmp = ReferenceFixtures.image("variant-rgb.bmp").clone();
    ByteBuffer header = ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN);
    // The JDK wants the declared file size to hold the pixels: declare the largest.
    header.putInt(2, -1).putInt(18, width).putInt(22, height);
    return bmp;
  }

  /** The lossless sample with its VP8L header's 14-bit sizes set to the largest allowed. */
  private static byte[] losslessWebpDeclaring(int width, int height) {
    byte[] webp = ReferenceFixtures.image("variant-lossless.webp").clone();
    int offset = 12;
    while (!new String(webp, offset, 4, StandardCharsets.US_ASCII).equals("VP8L")) {
      int size = ByteBuffer.wrap(webp, offset + 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      offset += 8 + size + (size & 1);
    }
    int header = offset + 9; // after the chunk header and the 0x2f signature byte
    ByteBuffer bits = ByteBuffer.wrap(webp, header, 4).order(ByteOrder.LITTLE_ENDIAN);
    int flags = bits.getInt(header) & 0xf0000000;
    bits.putInt(header, flags | (height - 1) << 14 | (width - 1));
    return webp;
  }

  private static boolean decodesWithImageIo(byte[] png) throws IOException {
    try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
      ImageReader reader = ImageIO.getImageReaders(input).next();
      try {
        reader.setInput(input);
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceSubsampling(100, 100, 0, 0); // decodes every row, keeps a few pixels
        BufferedImage image = reader.read(0, param);
        return image.getWidth() == 80 && image.getHeight() == 70;
      } finally {
        reader.dispose();
      }
    }
  }
}
