package dev.resnetserving.image;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

class ExifOrientationTest {

  /** 3x2 pixels numbered 1 to 6 row by row (the same number in R, G and B). */
  private static final RgbImage NUMBERED = grey(3, 2, 1, 2, 3, 4, 5, 6);

  /** What PIL's Image.transpose gives for each tag's method, rows top to bottom. */
  @ParameterizedTest
  @CsvSource({
    "1, 3, 2, 1 2 3 4 5 6",
    "2, 3, 2, 3 2 1 6 5 4",
    "3, 3, 2, 6 5 4 3 2 1",
    "4, 3, 2, 4 5 6 1 2 3",
    "5, 2, 3, 1 4 2 5 3 6",
    "6, 2, 3, 4 1 5 2 6 3",
    "7, 2, 3, 6 3 5 2 4 1",
    "8, 2, 3, 3 6 2 5 1 4",
  })
  void transposesAsPil(int tag, int width, int height, String pixels) {
    RgbImage upright = ExifOrientation.fromTag(tag).applyTo(NUMBERED);

    assertThat(upright.width()).isEqualTo(width);
    assertThat(upright.height()).isEqualTo(height);
    int[] values = Arrays.stream(pixels.split(" ")).mapToInt(Integer::parseInt).toArray();
    assertThat(upright.pixels()).isEqualTo(grey(width, height, values).pixels());
  }

  @Test
  void tagsPilIgnoresMeanUpright() {
    for (int tag : new int[] {-1, 0, 1, 9, 65535}) {
      assertThat(ExifOrientation.fromTag(tag)).isEqualTo(ExifOrientation.NORMAL);
    }
  }

  static List<ReferenceFixtures.Entry> fixtures() {
    return ReferenceFixtures.entries();
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void readsTheTagWherePilReadsIt(ReferenceFixtures.Entry fixture) {
    byte[] image = ReferenceFixtures.bytes(fixture.image());
    int expectedTag =
        fixture.json().has("orientation") ? fixture.json().get("orientation").asInt() : 1;

    ExifOrientation orientation =
        ExifOrientationReader.read(image, ImageFormatSniffer.sniff(image));

    assertThat(orientation).isEqualTo(ExifOrientation.fromTag(expectedTag));
  }

  @Test
  void pngExifWinsOverXmpAndXmpFillsInWhenExifHasNoOrientation() {
    byte[] xmp8 = xmpText(8);
    byte[] withBoth =
        new PngBuilder()
            .greyHeader(1, 1)
            .chunk("eXIf", tiffWithOrientation(3))
            .text("iTXt", "XML:com.adobe.xmp", xmp8)
            .end();
    byte[] withXmpOnly =
        new PngBuilder().greyHeader(1, 1).text("iTXt", "XML:com.adobe.xmp", xmp8).end();

    assertThat(ExifOrientationReader.read(withBoth, ImageFormat.PNG))
        .isEqualTo(ExifOrientation.ROTATE_180);
    assertThat(ExifOrientationReader.read(withXmpOnly, ImageFormat.PNG))
        .isEqualTo(ExifOrientation.ROTATE_ANTICLOCKWISE);
  }

  @Test
  void hostilePngChunksAreIgnored() {
    byte[] hugeDeclaredLength = new PngBuilder().greyHeader(1, 1).chunk("eXIf", new byte[0]).end();
    hugeDeclaredLength[33] = 0x7f; // the eXIf chunk now claims 2 GB
    byte[] textBomb =
        new PngBuilder()
            .greyHeader(1, 1)
            .text("zTXt", "XML:com.adobe.xmp", zTxtPayload(deflatedZeros(16 << 20)))
            .end();

    assertThat(ExifOrientationReader.read(hugeDeclaredLength, ImageFormat.PNG))
        .isEqualTo(ExifOrientation.NORMAL);
    assertThat(ExifOrientationReader.read(textBomb, ImageFormat.PNG))
        .isEqualTo(ExifOrientation.NORMAL);
  }

  @Test
  void unreadableMetadataIsLoggedWithTheReason() {
    byte[] badHex =
        new PngBuilder()
            .greyHeader(1, 1)
            .text(
                "tEXt",
                "Raw profile type exif",
                "\nexif\n       4\nzzzzzzzz".getBytes(StandardCharsets.ISO_8859_1))
            .end();
    Logger logger = (Logger) LoggerFactory.getLogger(ExifOrientationReader.class);
    Level level = logger.getLevel();
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    logger.addAppender(events);
    logger.setLevel(Level.DEBUG);
    try {
      assertThat(ExifOrientationReader.read(badHex, ImageFormat.PNG))
          .isEqualTo(ExifOrientation.NORMAL);
    } finally {
      logger.detachAppender(events);
      logger.setLevel(level);
    }

    assertThat(events.list)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
              assertThat(event.getFormattedMessage())
                  .contains("PNG")
                  .contains("not a hexadecimal digit");
            });
  }

  private static byte[] xmpText(int orientation) {
    String xmp =
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF><rdf:Description tiff:Orientation=\""
            + orientation
            + "\"/></rdf:RDF></x:xmpmeta>";
    byte[] text = xmp.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[text.length + 4]; // flag, method, empty language and keyword
    System.arraycopy(text, 0, payload, 4, text.length);
    return payload;
  }

  /** A big-endian TIFF structure whose IFD0 holds only the orientation. */
  private static byte[] tiffWithOrientation(int orientation) {
    return new byte[] {
      'M',
      'M',
      0,
      42,
      0,
      0,
      0,
      8, // header, IFD0 at 8
      0,
      1, // one entry
      0x01,
      0x12,
      0,
      3,
      0,
      0,
      0,
      1,
      0,
      (byte) orientation,
      0,
      0, // Orientation, SHORT, 1 value
      0,
      0,
      0,
      0 // no next IFD
    };
  }

  private static byte[] zTxtPayload(byte[] deflated) {
    byte[] payload = new byte[deflated.length + 1]; // compression method 0, then the stream
    System.arraycopy(deflated, 0, payload, 1, deflated.length);
    return payload;
  }

  private static byte[] deflatedZeros(int size) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    deflater.setInput(new byte[size]);
    deflater.finish();
    byte[] buffer = new byte[size / 500];
    int length = deflater.deflate(buffer);
    deflater.end();
    return Arrays.copyOf(buffer, length);
  }

  private static RgbImage grey(int width, int height, int... values) {
    byte[] pixels = new byte[values.length * 3];
    for (int i = 0; i < values.length; i++) {
      pixels[3 * i] = pixels[3 * i + 1] = pixels[3 * i + 2] = (byte) values[i];
    }
    return new RgbImage(width, height, pixels);
  }
}
