package dev.resnetserving.bench;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import com.sun.management.OperatingSystemMXBean;
import dev.resnetserving.inference.EngineSetup;
import dev.resnetserving.inference.ModelSource;
import dev.resnetserving.inference.Precision;
import dev.resnetserving.support.Fixtures;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * fp32 against a reduced-precision copy of the same model, side by side in one process: the speed
 * of each (raw DJL predictors, in alternating rounds, so that a neighbour's load on a shared
 * machine hits both alike) and what the reduced precision does to the outputs on the four sample
 * photos' torchvision tensors. Runs any precision libtorch can compute here, fp16 on a CPU
 * included, which the service itself refuses to serve.
 *
 * <pre>PrecisionBenchmark --fp32 models/resnet50 --reduced models/resnet50-bf16 --precision bf16
 *     --threads 2 --batches 1,8 --seconds 5 --rounds 5</pre>
 *
 * Prints CSV lines {@code speed,precision,batch,median_images_per_s,best_images_per_s,
 * cpu_ms_per_image} and {@code speedup,batch,median_of_round_ratios}, then one line per photo
 * {@code photo,name,max_abs_dp,max_abs_dlogit,relative_logit_error,top5_same_set,top5_same_order}.
 */
public final class PrecisionBenchmark {

  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    int threads = Integer.parseInt(options.getOrDefault("threads", "2"));
    double seconds = Double.parseDouble(options.getOrDefault("seconds", "5"));
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
    List<Integer> batches =
        Arrays.stream(options.getOrDefault("batches", "1,8").split(","))
            .map(Integer::parseInt)
            .toList();
    Precision precision =
        Precision.valueOf(options.getOrDefault("precision", "bf16").toUpperCase(Locale.ROOT));
    Path fp32Dir = Path.of(options.getOrDefault("fp32", "models/resnet50"));
    Path reducedDir =
        Path.of(options.getOrDefault("reduced", "models/resnet50-" + precision.label()));

    EngineSetup.start("cpu", 1, threads, true);
    float[] image = Fixtures.referenceTensor("china.jpg");
    try (ZooModel<NDList, NDList> fp32 = load(fp32Dir);
        ZooModel<NDList, NDList> reduced = load(reducedDir)) {
      for (int batch : batches) {
        compareSpeed(fp32, reduced, precision, image, batch, seconds, rounds);
      }
    }
    compareOutputs(fp32Dir, reducedDir);
  }

  private static void compareSpeed(
      ZooModel<NDList, NDList> fp32,
      ZooModel<NDList, NDList> reduced,
      Precision precision,
      float[] image,
      int batch,
      double seconds,
      int rounds)
      throws Exception {
    List<Round> fp32Rounds = new ArrayList<>();
    List<Round> reducedRounds = new ArrayList<>();
    try (Predictor<NDList, NDList> a = fp32.newPredictor();
        Predictor<NDList, NDList> b = reduced.newPredictor();
        NDManager manager = NDManager.newBaseManager()) {
      NDList input = new NDList(stack(manager, Collections.nCopies(batch, image)));
      // The graph executor profiles the first calls of each shape; neither model is timed before it
      // is done.
      for (int i = 0; i < 3; i++) {
        a.predict(input);
        b.predict(input);
      }
      for (int round = 0; round < rounds; round++) {
        // ABBA order: a load that grows or fades during a round weighs on both alike.
        if (round % 2 == 0) {
          fp32Rounds.add(time(a, input, batch, seconds));
          reducedRounds.add(time(b, input, batch, seconds));
        } else {
          reducedRounds.add(time(b, input, batch, seconds));
          fp32Rounds.add(time(a, input, batch, seconds));
        }
      }
    }
    print("fp32", batch, fp32Rounds);
    print(precision.label(), batch, reducedRounds);
    double[] ratios =
        IntStream.range(0, rounds)
            .mapToDouble(
                i -> reducedRounds.get(i).imagesPerSecond() / fp32Rounds.get(i).imagesPerSecond())
            .sorted()
            .toArray();
    System.out.printf("speedup,%d,%.2f%n", batch, median(ratios));
  }

  private record Round(double imagesPerSecond, double cpuMillisPerImage) {}

  private static Round time(
      Predictor<NDList, NDList> predictor, NDList input, int batch, double seconds)
      throws Exception {
    long images = 0;
    long cpuStart = OS.getProcessCpuTime();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      // Freed at once, not when the manager closes: a round makes hundreds of outputs.
      predictor.predict(input).close();
      images += batch;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new Round(images / elapsed, (OS.getProcessCpuTime() - cpuStart) / 1e6 / images);
  }

  private static void print(String precision, int batch, List<Round> rounds) {
    double[] rates = rounds.stream().mapToDouble(Round::imagesPerSecond).sorted().toArray();
    double[] cpu = rounds.stream().mapToDouble(Round::cpuMillisPerImage).sorted().toArray();
    System.out.printf(
        "speed,%s,%d,%.2f,%.2f,%.1f%n",
        precision, batch, median(rates), rates[rates.length - 1], median(cpu));
  }

  /** Raw logits, not the service's probabilities: the error of the logits is what bf16 makes. */
  private static void compareOutputs(Path fp32Dir, Path reducedDir) throws Exception {
    List<float[]> photos = new ArrayList<>();
    for (String photo : Fixtures.PHOTOS) {
      photos.add(Fixtures.referenceTensor(photo));
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray input = stack(manager, photos);
      float[][] expected = logits(fp32Dir, input);
      float[][] actual = logits(reducedDir, input);
      for (int i = 0; i < Fixtures.PHOTOS.size(); i++) {
        float[] p = softmax(expected[i]);
        float[] q = softmax(actual[i]);
        double maxDp = 0;
        double maxDlogit = 0;
        double squaredError = 0;
        double squaredNorm = 0;
        for (int c = 0; c < p.length; c++) {
          maxDp = Math.max(maxDp, Math.abs(q[c] - p[c]));
          maxDlogit = Math.max(maxDlogit, Math.abs(actual[i][c] - expected[i][c]));
          squaredError += Math.pow(actual[i][c] - expected[i][c], 2);
          squaredNorm += Math.pow(expected[i][c], 2);
        }
        List<Integer> top = top5(p);
        List<Integer> reducedTop = top5(q);
        System.out.printf(
            "photo,%s,%.3g,%.3g,%.3g,%b,%b%n",
            Fixtures.PHOTOS.get(i),
            maxDp,
            maxDlogit,
            Math.sqrt(squaredError / squaredNorm),
            top.containsAll(reducedTop),
            top.equals(reducedTop));
      }
    }
  }

  /** One [N,3,224,224] array of N CHW tensors. */
  private static NDArray stack(NDManager manager, List<float[]> tensors) {
    int length = 3 * 224 * 224;
    float[] flat = new float[tensors.size() * length];
    for (int i = 0; i < tensors.size(); i++) {
      System.arraycopy(tensors.get(i), 0, flat, i * length, length);
    }
    return manager.create(flat, new Shape(tensors.size(), 3, 224, 224));
  }

  private static ZooModel<NDList, NDList> load(Path directory) throws Exception {
    return Criteria.builder()
        .setTypes(NDList.class, NDList.class)
        .optEngine("PyTorch")
        .optModelPath(directory)
        .optModelName(ModelSource.parse(directory.toString()).name())
        .optTranslator(new NoopTranslator())
        .build()
        .loadModel();
  }

  private static float[][] logits(Path directory, NDArray input) throws Exception {
    try (ZooModel<NDList, NDList> model = load(directory);
        Predictor<NDList, NDList> predictor = model.newPredictor()) {
      float[] flat = predictor.predict(new NDList(input)).singletonOrThrow().toFloatArray();
      int classes = flat.length / Fixtures.PHOTOS.size();
      float[][] rows = new float[Fixtures.PHOTOS.size()][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
      }
      return rows;
    }
  }

  private static float[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float logit : logits) {
      max = Math.max(max, logit);
    }
    double sum = 0;
    for (float logit : logits) {
      sum += Math.exp(logit - max);
    }
    float[] probabilities = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      probabilities[i] = (float) (Math.exp(logits[i] - max) / sum);
    }
    return probabilities;
  }

  private static List<Integer> top5(float[] probabilities) {
    return IntStream.range(0, probabilities.length)
        .boxed()
        .sorted((a, b) -> Float.compare(probabilities[b], probabilities[a]))
        .limit(5)
        .toList();
  }

  private static double median(double[] sorted) {
    return sorted[sorted.length / 2];
  }
}
