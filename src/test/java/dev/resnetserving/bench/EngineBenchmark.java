package dev.resnetserving.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.resnetserving.inference.BatchModel;
import dev.resnetserving.inference.EngineSetup;
import dev.resnetserving.inference.LoadedModel;
import dev.resnetserving.inference.ModelLoader;
import dev.resnetserving.inference.ModelSource;
import dev.resnetserving.inference.Precision;
import dev.resnetserving.inference.TensorBatch;
import dev.resnetserving.support.Fixtures;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Raw engine throughput: {@code workers} threads, each with its own predictor, run batches of
 * preprocessed tensors back to back, with no HTTP, decoding or batching logic. libtorch's thread
 * settings are fixed per process, so scripts/bench/run runs one JVM per layout.
 *
 * <pre>EngineBenchmark --model DIR --workers 2 --threads 1 --batches 1,2,4,8,16 --seconds 10
 *     [--precision bf16]</pre>
 *
 * {@code --precision} says what the model directory holds: fp32 unless {@code
 * scripts/fixtures/reduce_precision.py} made it.
 *
 * <p>Prints one CSV line per batch size: layout,batch,images_per_s,p50_ms,p99_ms,cpu_ms_per_image
 * (the process's CPU time over the images: what a layout spends per image, idle spinning included).
 */
public final class EngineBenchmark {

  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    int workers = Integer.parseInt(options.getOrDefault("workers", "1"));
    int threads = Integer.parseInt(options.getOrDefault("threads", "2"));
    double seconds = Double.parseDouble(options.getOrDefault("seconds", "10"));
    List<Integer> batches =
        Arrays.stream(options.getOrDefault("batches", "1,2,4,8").split(","))
            .map(Integer::parseInt)
            .toList();
    Precision precision =
        Precision.valueOf(options.getOrDefault("precision", "fp32").toUpperCase(Locale.ROOT));
    LoadedModel model =
        new ModelLoader(ModelSource.parse(options.get("model")), 224, precision)
            .load(EngineSetup.start("cpu", workers, threads, true).get(0));
    String layout = workers + "x" + threads;
    // A photo's tensor, not a constant one: real activations cost a few per cent more.
    float[] image = Fixtures.referenceTensor("china.jpg");
    for (int batch : batches) {
      TensorBatch tensors = new TensorBatch(Collections.nCopies(batch, image), 224);
      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      long[] images = new long[workers];
      CountDownLatch done = new CountDownLatch(workers);
      long cpuStart = OS.getProcessCpuTime();
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      for (int w = 0; w < workers; w++) {
        int worker = w;
        Thread thread =
            new Thread(
                () -> {
                  try (BatchModel.Session session = model.openSession()) {
                    session.run(tensors);
                    session.run(tensors);
                    while (System.nanoTime() < end) {
                      long started = System.nanoTime();
                      session.run(tensors);
                      latencies.add(System.nanoTime() - started);
                      images[worker] += batch;
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  } finally {
                    done.countDown();
                  }
                });
        thread.start();
      }
      done.await();
      double elapsed = (System.nanoTime() - start) / 1e9;
      long imageCount = Arrays.stream(images).sum();
      double cpuPerImage = (OS.getProcessCpuTime() - cpuStart) / 1e6 / imageCount;
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf(
          "%s,%d,%.2f,%.1f,%.1f,%.1f%n",
          layout,
          batch,
          imageCount / elapsed,
          percentile(sorted, 50),
          percentile(sorted, 99),
          cpuPerImage);
    }
    model.close();
  }

  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }
}
