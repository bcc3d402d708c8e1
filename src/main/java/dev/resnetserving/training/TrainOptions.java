package dev.resnetserving.training;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The training job's settings, from {@code --name value} arguments. The transfer and ResNet-34
 * settings apply to their own architecture only; the other's keep their defaults.
 *
 * @param architecture what is trained: a new head on a pretrained backbone, or ResNet-34 from
 *     scratch
 * @param data images in {@code <data>/<class>/*.jpg}
 * @param backbone transfer: a transfer-ready TorchScript backbone, a {@code .pt} file or a
 *     directory with one; null for ResNet-34
 * @param output the model directory to write
 * @param name the model's name: its {@code .pt} file's name, which the service reports
 * @param headEpochs transfer: epochs of phase 1, the backbone frozen
 * @param headLearningRate transfer: Adam's learning rate in phase 1
 * @param fineTuneEpochs transfer: the most epochs of phase 2, everything trainable; 0 skips it
 * @param fineTuneLearningRate transfer: Adam's learning rate in phase 2, much lower
 * @param epochs ResNet-34: the most epochs
 * @param learningRate ResNet-34: Adam's learning rate
 * @param patience phase 2 of transfer, or ResNet-34's training, stops after this many epochs
 *     without a better validation accuracy
 * @param batchSize images per training step
 * @param resizeSize the short side images are resized to (the service's resnet.model.resize-size)
 * @param inputSize the side of the square crop the model takes (resnet.model.input-size)
 * @param augment whether training images are randomly cropped and flipped
 * @param seed fixes the split, the order of training images and their augmentation
 */
record TrainOptions(
    Architecture architecture,
    Path data,
    Path backbone,
    Path output,
    String name,
    int headEpochs,
    float headLearningRate,
    int fineTuneEpochs,
    float fineTuneLearningRate,
    int epochs,
    float learningRate,
    int patience,
    int batchSize,
    int resizeSize,
    int inputSize,
    boolean augment,
    long seed) {

  static final String USAGE =
      """
      Usage: java -jar resnet-serving.jar train --data DIR --backbone PATH --output DIR [options]
             java -jar resnet-serving.jar train --architecture resnet34 --data DIR --output DIR [options]

        --architecture NAME          transfer (default): a new head on a pretrained backbone;
                                     resnet34: ResNet-34 from random weights, no backbone
        --data DIR                   images in DIR/<class>/*.jpg (torchvision ImageFolder layout);
                                     split per class, seeded: 75% train, 15% validation, 10% test
        --output DIR                 model directory to write: NAME.pt, synset.txt,
                                     training-curves.png; serve it with resnet.model.uri=DIR
        --name NAME                  model name, the .pt file's name (default: DIR's name)
      transfer:
        --backbone PATH              transfer-ready TorchScript backbone: a .pt file or a directory
                                     with one (scripts/fixtures/make_training_fixtures.py,
                                     docs/training.md)
        --head-epochs N              phase 1, backbone frozen: epochs (default 5)
        --head-learning-rate X       phase 1: Adam learning rate (default 0.001)
        --fine-tune-epochs N         phase 2, everything trains: most epochs, 0 skips (default 10)
        --fine-tune-learning-rate X  phase 2: Adam learning rate (default 0.00001)
      resnet34:
        --epochs N                   most epochs (default 30)
        --learning-rate X            Adam learning rate (default 0.001)
      both:
        --patience N                 phase 2 of transfer, or resnet34's training, stops after N
                                     epochs without better validation accuracy (default 3)
        --batch-size N               images per step (default 32)
        --resize-size N              short side before the crop, as resnet.model.resize-size
                                     (default 256)
        --input-size N               square crop the model takes, as resnet.model.input-size
                                     (default 224)
        --no-augment                 no random crops and flips of training images
        --seed N                     split, shuffling and augmentation (default 42)
      """;

  private static final List<String> FLAGS = List.of("--no-augment");

  /** What the job trains. */
  enum Architecture {
    TRANSFER("transfer"),
    RESNET34("resnet34");

    private final String label;

    Architecture(String label) {
      this.label = label;
    }

    static Architecture of(String label) {
      for (Architecture architecture : values()) {
        if (architecture.label.equals(label)) {
          return architecture;
        }
      }
      throw new IllegalArgumentException(
          "--architecture is transfer or resnet34, not '" + label + "'");
    }

    String label() {
      return label;
    }
  }

  TrainOptions {
    requirePositive("head-epochs", headEpochs);
    requirePositive("epochs", epochs);
    requirePositive("patience", patience);
    requirePositive("batch-size", batchSize);
    requirePositive("input-size", inputSize);
    if (fineTuneEpochs < 0) {
      throw new IllegalArgumentException("--fine-tune-epochs must be 0 or more");
    }
    if (resizeSize < inputSize) {
      throw new IllegalArgumentException("--resize-size must be at least --input-size");
    }
    if (!(headLearningRate > 0) || !(fineTuneLearningRate > 0) || !(learningRate > 0)) {
      throw new IllegalArgumentException("learning rates must be positive");
    }
  }

  static TrainOptions parse(String... args) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (FLAGS.contains(arg)) {
        values.put(arg, "true");
      } else if (arg.startsWith("--") && i + 1 < args.length) {
        values.put(arg, args[++i]);
      } else {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
    }
    Architecture architecture = Architecture.of(values.getOrDefault("--architecture", "transfer"));
    values.remove("--architecture");
    boolean transfer = architecture == Architecture.TRANSFER;
    Path data = required(values, "--data");
    Path backbone = transfer ? required(values, "--backbone") : null;
    Path output = required(values, "--output");
    String name = values.remove("--name");
    boolean augment = values.remove("--no-augment") == null;
    // Each architecture takes its own options only: another's is left over and refused below.
    Map<String, String> transferValues = transfer ? values : new HashMap<>();
    Map<String, String> resnet34Values = transfer ? new HashMap<>() : values;
    TrainOptions options =
        new TrainOptions(
            architecture,
            data,
            backbone,
            output,
            name != null ? name : output.toAbsolutePath().normalize().getFileName().toString(),
            number(transferValues, "--head-epochs", "5", Integer::parseInt),
            number(transferValues, "--head-learning-rate", "0.001", Float::parseFloat),
            number(transferValues, "--fine-tune-epochs", "10", Integer::parseInt),
            number(transferValues, "--fine-tune-learning-rate", "0.00001", Float::parseFloat),
            number(resnet34Values, "--epochs", "30", Integer::parseInt),
            number(resnet34Values, "--learning-rate", "0.001", Float::parseFloat),
            number(values, "--patience", "3", Integer::parseInt),
            number(values, "--batch-size", "32", Integer::parseInt),
            number(values, "--resize-size", "256", Integer::parseInt),
            number(values, "--input-size", "224", Integer::parseInt),
            augment,
            number(values, "--seed", "42", Long::parseLong));
    if (!values.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown option(s) " + values.keySet() + " for --architecture " + architecture.label());
    }
    return options;
  }

  private static Path required(Map<String, String> values, String name) {
    String value = values.remove(name);
    if (value == null) {
      throw new IllegalArgumentException(name + " is required");
    }
    return Path.of(value);
  }

  private static <T> T number(
      Map<String, String> values, String name, String fallback, Function<String, T> parser) {
    String value = values.remove(name);
    try {
      return parser.apply(value == null ? fallback : value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs a number, got '" + value + "'");
    }
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("--" + name + " must be at least 1");
    }
  }
}
