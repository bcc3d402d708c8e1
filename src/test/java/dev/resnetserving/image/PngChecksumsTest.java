package dev.resnetserving.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A chunk that fails its CRC rejects the PNG where PIL (every chunk before the first IDAT) or
 * libpng (every critical chunk) would reject it. The JDK's reader ignored CRCs.
 */
class PngChecksumsTest {

  private static final byte[] COMMENT =
      "Comment\0written by a test".getBytes(StandardCharsets.ISO_8859_1);

  private final ImagePreprocessor preprocessor =
      new ImagePreprocessor(new ImageLimits(50_000_000), 256, 224);

  @Test
  void aBadHeaderCrcIsCorrupt() {
    assertCorrupt(ReferenceFixtures.bytes("bad-inputs/png-bad-crc-ihdr.png"));
  }

  @Test
  void aBadPixelDataCrcIsCorrupt() {
    assertCorrupt(ReferenceFixtures.bytes("bad-inputs/png-bad-crc-idat.png"));
  }

  @Test
  void aBadAncillaryCrcBeforeThePixelsIsCorruptAsInPil() {
    byte[] png =
        new PngBuilder().greyHeader(16, 16).chunk("tEXt", COMMENT).blackGreyRows(16, 16).end();

    assertThat(preprocessor.preprocess(png)).hasSize(3 * 224 * 224);
    assertCorrupt(withCrcOfChunkFlipped(png, "tEXt"));
  }

  @Test
  void aBadAncillaryCrcAfterThePixelsIsSkippedAsInPilAndLibpng() {
    byte[] png =
        new PngBuilder().greyHeader(16, 16).blackGreyRows(16, 16).chunk("tEXt", COMMENT).end();

    assertThat(preprocessor.preprocess(withCrcOfChunkFlipped(png, "tEXt")))
        .isEqualTo(preprocessor.preprocess(png));
  }

  @Test
  void aBadEndChunkCrcIsCorruptAsInLibpng() {
    byte[] png = new PngBuilder().greyHeader(16, 16).blackGreyRows(16, 16).end();

    assertCorrupt(withCrcOfChunkFlipped(png, "IEND"));
  }

  private void assertCorrupt(byte[] png) {
    assertThatThrownBy(() -> preprocessor.preprocess(png))
        .isInstanceOf(CorruptImageException.class)
        .hasMessage(SafeImageDecoder.CORRUPT);
  }

  private static byte[] withCrcOfChunkFlipped(byte[] png, String type) {
    byte[] copy = Arrays.copyOf(png, png.length);
    int offset = 8;
    while (!new String(copy, offset + 4, 4, StandardCharsets.ISO_8859_1).equals(type)) {
      offset += 12 + length(copy, offset);
    }
    copy[offset + 8 + length(copy, offset) + 3] ^= 1;
    return copy;
  }

  private static int length(byte[] png, int chunk) {
    return ByteBuffer.wrap(png, chunk, 4).getInt();
  }
}
