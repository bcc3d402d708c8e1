package dev.resnetserving.inference;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The SHA-256 of a model's TorchScript files: what identifies the weights being served, whatever
 * the model is called.
 */
final class ModelDigest {

  private ModelDigest() {}

  /** Hex SHA-256 of the {@code .pt} files of a model directory, read in name order. */
  static String of(Path directory) {
    MessageDigest digest = sha256();
    try (var files = Files.list(directory)) {
      List<Path> models =
          files.filter(f -> f.getFileName().toString().endsWith(".pt")).sorted().toList();
      if (models.isEmpty()) {
        throw new ModelLoadException("no TorchScript .pt file in the model directory " + directory);
      }
      for (Path model : models) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(model), digest)) {
          in.transferTo(OutputStream.nullOutputStream());
        }
      }
    } catch (IOException e) {
      throw new ModelLoadException("cannot read the model files in " + directory, e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
