package dev.resnetserving.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The committed test fixtures made by {@code scripts/make-models.py}. */
public final class Fixtures {

  public static final Path RESOURCES = Path.of("src/test/resources");
  public static final Path TINY_MODEL = RESOURCES.resolve("models/tiny-resnet");
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

  /** PyTorch's softmax output of the tiny model on torchvision's transform of the image. */
  public static float[] referenceProbabilities(String image) {
    JsonNode probabilities =
        JsonMapper.builder().build()
            .readTree(REFERENCES.resolve(image + ".tiny-resnet.json").toFile())
            .get("probabilities");
    float[] values = new float[probabilities.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = probabilities.get(i).floatValue();
    }
    return values;
  }
}
