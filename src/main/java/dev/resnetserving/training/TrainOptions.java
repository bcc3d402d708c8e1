package dev.resnetserving.training;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The transfer-learning job's settings, from {@code --name value} arguments.
 *
 * @param data images in {@code <data>/<class>/*.jpg}
 * @param backbone a transfer-ready TorchScript backbone, a {@code .pt} file or a directory with one
 * @param output the model directory to write
 * @param name the model's name: its {@code .pt} file's name, which the service reports
 * @param headEpochs epochs of phase 1, the backbone frozen
 * @param headLearningRate Adam's learning rate in phase 1
 * @param fineTuneEpochs the most epochs of phase 2, everything trainable; 0 skips it
 * @param fineTuneLearningRate Adam's learning rate in phase 2, much lower
 * @param patience phase 2 stops after this many epochs without a better validation accuracy
 * @param batchSize images per training step
 * @param resizeSize the short side images are resized to (the service's resnet.model.resize-size)
 * @param inputSize the side of the square crop the model takes (resnet.model.input-size)
 * @param augment whether training images are randomly cropped and flipped
 * @param seed fixes the split, the order of training images and their augmentation
 */
record TrainOptions(
    Path data,
    Path backbone,
    Path output,
    String name,
    int headEpochs,
    float headLearningRate,
    int fineTuneEpochs,
    float fineTuneLearningRate,
    int patience,
    int batchSize,
    int resizeSize,
    int inputSize,
    boolean augment,
    long seed) {

  static final String USAGE =
      """
      Usage: java -jar resnet-serving.jar train --data DIR --backbone PATH --output DIR [options]

        --data DIR                   images in DIR/<class>/*.jpg (torchvision ImageFolder layout);
                                     split per class, seeded: 75% train, 15% validation, 10% test
        --backbone PATH              transfer-ready TorchScript backbone: a .pt file or a directory
                                     with one (scripts/make_training_fixtures.py, docs/training.md)
        --output DIR                 model directory to write: NAME.pt, synset.txt,
                                     training-curves.png; serve it with resnet.model.uri=DIR
        --name NAME                  model name, the .pt file's name (default: DIR's name)
        --head-epochs N              phase 1, backbone frozen: epochs (default 5)
        --head-learning-rate X       phase 1: Adam learning rate (default 0.001)
        --fine-tune-epochs N         phase 2, everything trains: most epochs, 0 skips (default 10)
        --fine-tune-learning-rate X  phase 2: Adam learning rate (default 0.00001)
        --patience N                 phase 2 stops after N epochs without better validation
                                     accuracy (default 3)
        --batch-size N               images per step (default 32)
        --resize-size N              short side before the crop, as resnet.model.resize-size
                                     (default 256)
        --input-size N               square crop the model takes, as resnet.model.input-size
                                     (default 224)
        --no-augment                 no random crops and flips of training images
        --seed N                     split, shuffling and augmentation (default 42)
      """;

  private static final List<String> FLAGS = List.of("--no-augment");

  TrainOptions {
    requirePositive("head-epochs", headEpochs);
    requirePositive("patience", patience);
    requirePositive("batch-size", batchSize);
    requirePositive("input-size", inputSize);
    if (fineTuneEpochs < 0) {
      throw new IllegalArgumentException("--fine-tune-epochs must be 0 or more");
    }
    if (resizeSize < inputSize) {
      throw new IllegalArgumentException("--resize-size must be at least --input-size");
    }
    if (!(headLearningRate > 0) || !(fineTuneLearningRate > 0)) {
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
    Path data = required(values, "--data");
    Path backbone = required(values, "--backbone");
    Path output = required(values, "--output");
    String name = values.remove("--name");
    boolean augment = values.remove("--no-augment") == null;
    TrainOptions options = new TrainOptions(
        data,
        backbone,
        output,
        name != null ? name : output.toAbsolutePath().normalize().getFileName().toString(),
        number(values, "--head-epochs", "5", Integer::parseInt),
        number(values, "--head-learning-rate", "0.001", Float::parseFloat),
        number(values, "--fine-tune-epochs", "10", Integer::parseInt),
        number(values, "--fine-tune-learning-rate", "0.00001", Float::parseFloat),
        number(values, "--patience", "3", Integer::parseInt),
        number(values, "--batch-size", "32", Integer::parseInt),
        number(values, "--resize-size", "256", Integer::parseInt),
        number(values, "--input-size", "224", Integer::parseInt),
        augment,
        number(values, "--seed", "42", Long::parseLong));
    if (!values.isEmpty()) {
      throw new IllegalArgumentException("unknown option(s) " + values.keySet());
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

  private static <T> T number(Map<String, String> values, String name, String fallback, Function<String, T> parser) {
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
