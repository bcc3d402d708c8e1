package dev.resnetserving.inference;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * Where the model comes from: a DJL model-zoo URL (downloaded and cached by DJL) or a local
 * directory holding one TorchScript file and its {@code synset.txt}.
 */
public sealed interface ModelSource {

  /** The setting that users change when a model cannot be loaded. */
  String SETTING = "resnet.model.uri (RESNET_MODEL_URI)";

  /** A name for the model in responses and metrics. */
  String name();

  /** Where the model is read from, for messages to the operator. */
  String location();

  static ModelSource parse(String uri) {
    String trimmed = uri.strip();
    if (trimmed.isEmpty()) {
      throw new ModelLoadException("the model URI is empty: set " + SETTING);
    }
    String scheme = trimmed.contains("://") ? trimmed.substring(0, trimmed.indexOf("://")) : "";
    return switch (scheme.toLowerCase(Locale.ROOT)) {
      case "" ->
          LocalDirectory.of(
              Paths.get(trimmed.startsWith("file:") ? trimmed.substring(5) : trimmed));
      case "file" -> LocalDirectory.of(Paths.get(URI.create(trimmed)));
      default -> new Remote(trimmed);
    };
  }

  /** A model-zoo or other URL that DJL resolves, such as {@code djl://ai.djl.pytorch/resnet}. */
  record Remote(String url) implements ModelSource {
    @Override
    public String location() {
      return url;
    }

    @Override
    public String name() {
      String path = url.replaceAll("[?#].*$", "").replaceAll("/+$", "");
      return path.substring(path.lastIndexOf('/') + 1);
    }
  }

  /** A directory with exactly one {@code .pt} TorchScript file and a {@code synset.txt}. */
  record LocalDirectory(Path directory, Path modelFile) implements ModelSource {

    static LocalDirectory of(Path directory) {
      Path dir = directory.toAbsolutePath().normalize();
      if (!Files.isDirectory(dir)) {
        throw new ModelLoadException(
            "model directory " + dir + " does not exist or is not a directory: set " + SETTING);
      }
      try (var files = Files.list(dir)) {
        var models =
            files.filter(f -> f.getFileName().toString().endsWith(".pt")).sorted().toList();
        if (models.size() != 1) {
          throw new ModelLoadException(
              "model directory "
                  + dir
                  + " must hold exactly one TorchScript .pt file, found "
                  + models.size()
                  + ": set "
                  + SETTING);
        }
        return new LocalDirectory(dir, models.get(0));
      } catch (IOException e) {
        throw new ModelLoadException("cannot list model directory " + dir + ": " + e.getMessage());
      }
    }

    @Override
    public String location() {
      return modelFile.toString();
    }

    @Override
    public String name() {
      String file = modelFile.getFileName().toString();
      return file.substring(0, file.length() - ".pt".length());
    }
  }
}
