package dev.resnetserving.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The committed test fixtures made by {@code scripts/fixtures/make_models.py}. */
public final class Fixtures {

  public static final Path RESOURCES = Path.of("src/test/resources");
  public static final Path TINY_MODEL = RESOURCES.resolve("models/tiny-resnet");

  /** The tiny model converted by {@code scripts/fixtures/reduce_precision.py}: bf16 weights. */
  public static final Path TINY_MODEL_BF16 = RESOURCES.resolve("models/tiny-resnet-bf16");

  /** The tiny model with its fp32 weights stored channels-last, by the same script. */
  public static final Path TINY_MODEL_CHANNELS_LAST =
      RESOURCES.resolve("models/tiny-resnet-channels-last");

  /** The four photos that have torchvision's tensor in {@code references/}. */
  public static final List<String> PHOTOS =
      List.of("china.jpg", "flower.jpg", "chelsea.png", "coffee.png");

  public static final Path IMAGES = RESOURCES.resolve("images");
  public static final Path REFERENCES = RESOURCES.resolve("references");

  private Fixtures() {}

  public static byte[] image(String name) {
    try {
      return Files.readAllBytes(IMAGES.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A committed test image and how closely the service must match PyTorch on it. */
  public record ReferenceImage(String file, String kind, String parity) {
    @Override
    public String toString() {
      return file;
    }
  }

  /** Every image of {@code references/manifest.json}: the photos and their format variants. */
  public static List<ReferenceImage> referenceImages() {
    List<ReferenceImage> images = new ArrayList<>();
    for (JsonNode image :
        JsonMapper.builder()
            .build()
            .readTree(REFERENCES.resolve("manifest.json").toFile())
            .get("images")) {
      images.add(
          new ReferenceImage(
              Path.of(image.get("image").asString()).getFileName().toString(),
              image.get("kind").asString(),
              image.get("parity").asString()));
    }
    return images;
  }

  /** torchvision's normalised tensor of a photo, CHW. */
  public static float[] referenceTensor(String photo) {
    try {
      ByteBuffer buffer =
          ByteBuffer.wrap(Files.readAllBytes(REFERENCES.resolve(photo + ".tensor.f32")))
              .order(ByteOrder.LITTLE_ENDIAN);
      float[] values = new float[buffer.remaining() / Float.BYTES];
      buffer.asFloatBuffer().get(values);
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** PyTorch's softmax output of the tiny model on torchvision's transform of the image. */
  public static float[] referenceProbabilities(String image) {
    JsonNode probabilities =
        JsonMapper.builder()
            .build()
            .readTree(REFERENCES.resolve(image + ".tiny-resnet.json").toFile())
            .get("probabilities");
    float[] values = new float[probabilities.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = probabilities.get(i).floatValue();
    }
    return values;
  }
}
