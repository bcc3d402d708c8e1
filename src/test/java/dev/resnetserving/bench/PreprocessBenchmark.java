package dev.resnetserving.bench;

import dev.resnetserving.image.ImageLimits;
import dev.resnetserving.image.ImagePreprocessor;
import dev.resnetserving.image.JpegDecoder;
import dev.resnetserving.image.RgbImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Preprocessing cost per image on one thread, for each sample photo and each JPEG decoder: the
 * stages of the torchvision-exact transform the service runs (decode and orient, resize and crop,
 * normalise) and all of them together. Wall time, and the thread's CPU time, which another busy
 * process on the machine disturbs less.
 *
 * <pre>PreprocessBenchmark --images DIR --iterations 300</pre>
 *
 * Prints CSV lines: image,decoder,stage,mean_ms,p50_ms,p99_ms,cpu_p50_ms.
 */
public final class PreprocessBenchmark {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    int iterations = Integer.parseInt(options.getOrDefault("iterations", "300"));
    List<Path> files;
    try (var listing =
        Files.list(Path.of(options.getOrDefault("images", "src/test/resources/images")))) {
      files =
          listing
              .filter(f -> f.getFileName().toString().matches("[a-z]+\\.(jpg|png)"))
              .sorted()
              .toList();
    }
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      String image = file.getFileName().toString();
      List<JpegDecoder> decoders =
          image.endsWith(".jpg")
              ? List.of(JpegDecoder.IMAGEIO, JpegDecoder.LIBJPEG_TURBO)
              : List.of(JpegDecoder.IMAGEIO);
      for (JpegDecoder decoder : decoders) {
        ImagePreprocessor preprocessor =
            new ImagePreprocessor(new ImageLimits(50_000_000), 256, 224, decoder);
        String name = image + "," + decoder.name().toLowerCase().replace('_', '-');
        RgbImage upright = preprocessor.decodeUpright(bytes);
        RgbImage crop = preprocessor.resizeAndCrop(upright);
        time(name, "decode", iterations, () -> preprocessor.decodeUpright(bytes));
        time(name, "resize+crop", iterations, () -> preprocessor.resizeAndCrop(upright));
        time(name, "normalise", iterations, () -> preprocessor.normalize(crop));
        time(name, "total", iterations, () -> preprocessor.preprocess(bytes));
      }
    }
  }

  private static void time(String name, String stage, int iterations, Supplier<Object> work) {
    for (int i = 0; i < iterations / 2 + 20; i++) {
      work.get();
    }
    long[] nanos = new long[iterations];
    long[] cpuNanos = new long[iterations];
    for (int i = 0; i < iterations; i++) {
      long cpu = THREADS.getCurrentThreadCpuTime();
      long started = System.nanoTime();
      work.get();
      nanos[i] = System.nanoTime() - started;
      cpuNanos[i] = THREADS.getCurrentThreadCpuTime() - cpu;
    }
    Arrays.sort(nanos);
    Arrays.sort(cpuNanos);
    System.out.printf(
        "%s,%s,%.2f,%.2f,%.2f,%.2f%n",
        name,
        stage,
        Arrays.stream(nanos).average().orElse(0) / 1e6,
        EngineBenchmark.percentile(nanos, 50),
        EngineBenchmark.percentile(nanos, 99),
        EngineBenchmark.percentile(cpuNanos, 50));
  }
}
