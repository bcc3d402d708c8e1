package dev.resnetserving.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import dev.resnetserving.inference.CpuFlags;
import dev.resnetserving.inference.EngineSetup;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What libtorch itself reaches on these cores: the GFLOP/s of a large square matrix product ({@code
 * NDArray.matMul}, 2n³ floating-point operations) on the intra-op thread count the engine runs, in
 * fp32 and, where the CPU has bf16 instructions, bf16. The ceiling the raw engine's and the
 * service's throughput is set against in scripts/bench/run.
 *
 * <pre>PeakBenchmark --threads 2 --size 2048 --iterations 10
 *     [--bf16-operands DIR] [--precisions fp32,bf16]</pre>
 *
 * DJL cannot make a bf16 array, so the bf16 operands come from the file that {@code
 * scripts/bench/bf16_operands.py} writes into DIR; without DIR, or on a CPU without bf16 (unless
 * {@code --precisions} names it), only fp32 is measured.
 *
 * <p>Prints {@code precision,size,threads,best_gflops,median_gflops}: best and median over the
 * timed products, after two untimed ones; and on standard error whether the CPU has bf16
 * instructions.
 */
public final class PeakBenchmark {

  private PeakBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    int threads =
        Integer.parseInt(
            options.getOrDefault(
                "threads", Integer.toString(Runtime.getRuntime().availableProcessors())));
    int size = Integer.parseInt(options.getOrDefault("size", "2048"));
    int iterations = Integer.parseInt(options.getOrDefault("iterations", "10"));
    String bf16Operands = options.get("bf16-operands");
    boolean bf16Cpu = CpuFlags.read().map(CpuFlags::bf16).orElse(false);
    List<String> precisions =
        Arrays.asList(
            options
                .getOrDefault("precisions", bf16Cpu && bf16Operands != null ? "fp32,bf16" : "fp32")
                .split(","));
    // For scripts/bench/run, which serves bf16 only where the service would (CpuFlags decides).
    System.err.println("bf16 instructions: " + (bf16Cpu ? "yes" : "no"));
    EngineSetup.start("cpu", 1, threads, true);

    System.out.println("precision,size,threads,best_gflops,median_gflops");
    if (precisions.contains("fp32")) {
      try (NDManager manager = NDManager.newBaseManager()) {
        NDArray a = manager.randomUniform(0, 1, new Shape(size, size));
        NDArray b = manager.randomUniform(0, 1, new Shape(size, size));
        report("fp32", size, threads, time(a, b, iterations));
      }
    }
    if (precisions.contains("bf16")) {
      if (bf16Operands == null) {
        throw new IllegalArgumentException("bf16 needs --bf16-operands (bf16_operands.py)");
      }
      try (ZooModel<NDList, NDList> operands = load(Path.of(bf16Operands))) {
        Map<String, NDArray> arrays = new java.util.HashMap<>();
        for (Map.Entry<String, Parameter> parameter :
            operands.getBlock().getParameters().toMap().entrySet()) {
          arrays.put(parameter.getKey(), parameter.getValue().getArray());
        }
        NDArray a = arrays.get("a");
        NDArray b = arrays.get("b");
        int operandSize = (int) a.getShape().get(0);
        report("bf16", operandSize, threads, time(a, b, iterations));
      }
    }
  }

  /** Seconds per product, sorted, after two untimed products. */
  private static double[] time(NDArray a, NDArray b, int iterations) {
    for (int i = 0; i < 2; i++) {
      a.matMul(b).close();
    }
    double[] seconds = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      long start = System.nanoTime();
      a.matMul(b).close();
      seconds[i] = (System.nanoTime() - start) / 1e9;
    }
    Arrays.sort(seconds);
    return seconds;
  }

  private static void report(String precision, int size, int threads, double[] seconds) {
    double flops = 2.0 * size * size * size;
    System.out.printf(
        java.util.Locale.ROOT,
        "%s,%d,%d,%.1f,%.1f%n",
        precision,
        size,
        threads,
        flops / seconds[0] / 1e9,
        flops / seconds[seconds.length / 2] / 1e9);
  }

  private static ZooModel<NDList, NDList> load(Path directory) throws Exception {
    return Criteria.builder()
        .setTypes(NDList.class, NDList.class)
        .optEngine("PyTorch")
        .optModelPath(directory)
        .optModelName("bf16-operands")
        .optTranslator(new NoopTranslator())
        .build()
        .loadModel();
  }
}
