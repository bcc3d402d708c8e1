package dev.resnetserving.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The directory the service loads with {@code resnet.model.uri}: one TorchScript file, whose name
 * becomes the model's name, and a {@code synset.txt} with one class a line, in the order of the
 * model's outputs.
 */
final class ModelDirectory {

  static final String SYNSET = "synset.txt";

  private ModelDirectory() {}

  /** Writes {@code <directory>/<name>.pt} and the synset; refuses to leave a second model there. */
  static Path write(Path directory, String name, byte[] torchScript, List<String> classes) {
    Path model = directory.resolve(name + ".pt");
    try {
      Files.createDirectories(directory);
      try (Stream<Path> files = Files.list(directory)) {
        List<Path> others =
            files
                .filter(f -> f.getFileName().toString().endsWith(".pt") && !f.equals(model))
                .toList();
        if (!others.isEmpty()) {
          throw new IllegalArgumentException(
              directory
                  + " already holds another model "
                  + others
                  + ": the service loads a directory"
                  + " with exactly one .pt file, so choose an empty output directory");
        }
      }
      Files.write(model, torchScript);
      Files.write(directory.resolve(SYNSET), classes, StandardCharsets.UTF_8);
      return model;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the model to " + directory, e);
    }
  }
}
