package dev.resnetserving.training;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training job, {@code java -jar resnet-serving.jar train …} (docs/training.md): from a folder
 * of labelled images, and a pretrained backbone or none ({@code --architecture resnet34}), to a
 * model directory the service serves.
 */
public final class TrainCommand {

  static final String PLOT = "training-curves.png";

  private final PrintStream out;
  private final PrintStream err;

  TrainCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    // Without Spring Boot's logging set-up, Logback would print every library's debug lines;
    // the job reports its progress on standard output.
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
      logback.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
    }
    System.exit(new TrainCommand(System.out, System.err).run(args));
  }

  /** Runs the job; returns the process exit status: 0 done, 1 failed, 2 bad arguments. */
  int run(String... args) {
    TrainOptions options;
    try {
      options = TrainOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("train: " + e.getMessage());
      err.print(TrainOptions.USAGE);
      return 2;
    }
    try {
      train(options);
      return 0;
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      err.println("train: " + e.getMessage());
      return 1;
    }
  }

  TrainingOutcome train(TrainOptions options) {
    ImageFolder folder = ImageFolder.scan(options.data());
    DatasetSplit split = DatasetSplit.of(folder, options.seed());
    out.printf(
        "Data %s: %d classes, %d images -> %d train, %d validation, %d test (seed %d)%n",
        options.data(),
        folder.classes().size(),
        folder.images().size(),
        split.train().size(),
        split.validation().size(),
        split.test().size(),
        options.seed());
    TrainingImages images =
        new TrainingImages(
            options.resizeSize(), options.inputSize(), options.batchSize(), options.augment());

    Trained trained =
        switch (options.architecture()) {
          case TRANSFER -> transfer(options, folder, split, images);
          case RESNET34 -> resnet34(options, folder, split, images);
        };
    BestModel best = trained.best();
    out.printf(
        Locale.ROOT,
        "Best on validation: %s epoch %d, loss %.4f, accuracy %.4f%n",
        best.phase().label(),
        best.epoch(),
        best.validation().loss(),
        best.validation().accuracy());

    Path modelFile =
        ModelDirectory.write(
            options.output(), options.name(), best.torchScript(), folder.classes());
    TrainingCurves.write(trained.history(), options.output().resolve(PLOT));
    out.printf("Wrote %s, %s and %s%n", modelFile, ModelDirectory.SYNSET, PLOT);

    Evaluation test = Evaluation.of(options.output(), folder.classes(), split.test(), images);
    if (split.test().isEmpty()) {
      out.println("Test: no test images (too few per class)");
    } else {
      out.printf(
          Locale.ROOT,
          "Test: %d images, accuracy %.4f (the written model, loaded and run by the service's code)%n",
          split.test().size(),
          test.accuracy());
      out.print(test.confusionMatrix().format());
    }
    out.printf(
        "Serve it: java -jar resnet-serving.jar --resnet.model.uri=%s%s%n",
        options.output().toAbsolutePath().normalize(),
        options.inputSize() == 224 && options.resizeSize() == 256
            ? ""
            : " --resnet.model.input-size="
                + options.inputSize()
                + " --resnet.model.resize-size="
                + options.resizeSize());
    return new TrainingOutcome(
        options.output(), trained.history(), best.phase(), best.epoch(), test);
  }

  /** What either architecture's training leaves: every epoch, and the best model. */
  private record Trained(List<EpochReport> history, BestModel best) {}

  private Trained transfer(
      TrainOptions options, ImageFolder folder, DatasetSplit split, TrainingImages images) {
    try (TransferModel model = TransferModel.load(options.backbone(), folder.classes().size())) {
      out.printf("Backbone %s%n", options.backbone());
      TransferLearning learning =
          new TransferLearning(
              model, images, split, options.seed(), report -> out.println(report.line()));
      out.printf(
          Locale.ROOT,
          "Phase 1: the new head only, backbone frozen; Adam, learning rate %s, %d epochs%n",
          plain(options.headLearningRate()),
          options.headEpochs());
      learning.trainHead(options.headEpochs(), options.headLearningRate());
      if (options.fineTuneEpochs() > 0) {
        out.printf(
            Locale.ROOT,
            "Phase 2: fine-tuning everything; Adam, learning rate %s, at most %d epochs, patience %d%n",
            plain(options.fineTuneLearningRate()),
            options.fineTuneEpochs(),
            options.patience());
        learning.fineTune(
            options.fineTuneEpochs(), options.fineTuneLearningRate(), options.patience());
      }
      return new Trained(learning.history(), learning.best().orElseThrow());
    }
  }

  private Trained resnet34(
      TrainOptions options, ImageFolder folder, DatasetSplit split, TrainingImages images) {
    try (ResNet34Training training =
        new ResNet34Training(
            folder.classes().size(),
            images,
            split,
            options.seed(),
            report -> out.println(report.line()))) {
      out.printf(
          Locale.ROOT,
          "ResNet-34 from random weights, no backbone; Adam, learning rate %s, at most %d epochs, patience %d%n",
          plain(options.learningRate()),
          options.epochs(),
          options.patience());
      training.train(options.epochs(), options.learningRate(), options.patience());
      return new Trained(training.history(), training.best().orElseThrow());
    }
  }

  /** 0.00001 rather than 1.0E-5. */
  private static String plain(float value) {
    return new BigDecimal(Float.toString(value)).stripTrailingZeros().toPlainString();
  }
}
