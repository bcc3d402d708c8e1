package dev.resnetserving.bench;

import dev.resnetserving.image.ImageLimits;
import dev.resnetserving.image.ImagePreprocessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * Preprocessing cost per image on one thread, for each sample photo: the whole torchvision-exact
 * transform the service runs (decode, orient, resize, crop, normalise), and for reference a
 * plain {@code ImageIO.read}, which colour-manages into a packed RGB image and is what a naive
 * service would use.
 *
 * <pre>PreprocessBenchmark --images DIR --iterations 200</pre>
 *
 * Prints CSV lines: image,stage,mean_ms,p50_ms,p99_ms.
 */
public final class PreprocessBenchmark {

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    int iterations = Integer.parseInt(options.getOrDefault("iterations", "200"));
    ImagePreprocessor preprocessor = new ImagePreprocessor(new ImageLimits(50_000_000), 256, 224);
    try (var files = Files.list(Path.of(options.getOrDefault("images", "src/test/resources/images")))) {
      for (Path file : files.filter(f -> f.getFileName().toString().matches("[a-z]+\\.(jpg|png)")).sorted().toList()) {
        byte[] bytes = Files.readAllBytes(file);
        String name = file.getFileName().toString();
        time(name, "plain ImageIO.read (reference, not used)", iterations, b -> {
          try {
            ImageIO.read(new java.io.ByteArrayInputStream(b));
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
        }, bytes);
        time(name, "decode+resize+crop+normalise", iterations, preprocessor::preprocess, bytes);
      }
    }
  }

  private static void time(String image, String stage, int iterations, Consumer<byte[]> work, byte[] bytes) {
    for (int i = 0; i < iterations / 4 + 10; i++) {
      work.accept(bytes);
    }
    long[] nanos = new long[iterations];
    for (int i = 0; i < iterations; i++) {
      long started = System.nanoTime();
      work.accept(bytes);
      nanos[i] = System.nanoTime() - started;
    }
    Arrays.sort(nanos);
    System.out.printf("%s,%s,%.2f,%.2f,%.2f%n", image, stage, Arrays.stream(nanos).average().orElse(0) / 1e6,
        EngineBenchmark.percentile(nanos, 50), EngineBenchmark.percentile(nanos, 99));
  }
}
