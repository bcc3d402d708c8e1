package dev.resnetserving.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The images and torchvision references written by {@code scripts/fixtures/make_models.py}. */
final class ReferenceFixtures {

  /** One image of {@code references/manifest.json}. */
  record Entry(
      String image, String kind, String parity, String tensor, String crop, JsonNode json) {

    String fileName() {
      return image.substring(image.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
      return fileName();
    }
  }

  private static final JsonNode MANIFEST =
      JsonMapper.builder().build().readTree(bytes("references/manifest.json"));

  private ReferenceFixtures() {}

  private static final Map<JpegDecoder, ImagePreprocessor> PREPROCESSORS =
      new EnumMap<>(JpegDecoder.class);

  /** The service's transform (Resize(256), CenterCrop(224)) with the given JPEG decoder. */
  static synchronized ImagePreprocessor preprocessor(JpegDecoder decoder) {
    return PREPROCESSORS.computeIfAbsent(
        decoder, d -> new ImagePreprocessor(new ImageLimits(50_000_000), 256, 224, d));
  }

  /** A JPEG entry once per JPEG decoder that is not {@code AUTO}; other entries once. */
  static Stream<Arguments> withJpegDecoders(Entry entry) {
    Stream<JpegDecoder> decoders =
        entry.image().endsWith(".jpg")
            ? Stream.of(JpegDecoder.IMAGEIO, JpegDecoder.LIBJPEG_TURBO)
            : Stream.of(JpegDecoder.IMAGEIO);
    return decoders.map(decoder -> Arguments.of(entry, decoder));
  }

  static List<Entry> entries() {
    List<Entry> entries = new ArrayList<>();
    for (JsonNode node : MANIFEST.get("images")) {
      entries.add(
          new Entry(
              node.get("image").asString(),
              node.get("kind").asString(),
              node.get("parity").asString(),
              node.get("tensor").isNull() ? null : node.get("tensor").asString(),
              node.get("crop").isNull() ? null : node.get("crop").asString(),
              node));
    }
    return entries;
  }

  /** A file under src/test/resources, read from the class path. */
  static byte[] bytes(String path) {
    try (InputStream in = ReferenceFixtures.class.getResourceAsStream("/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("No test resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] image(String fileName) {
    return bytes("images/" + fileName);
  }

  static float[] tensor(String path) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes(path)).order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[buffer.remaining() / Float.BYTES];
    buffer.asFloatBuffer().get(values);
    return values;
  }
}
