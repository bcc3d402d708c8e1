package dev.resnetserving.image.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.resnetserving.image.ImageLimits;
import dev.resnetserving.image.ImagePreprocessor;
import dev.resnetserving.image.ImageRejectedException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Any bytes through the decode-and-preprocess entry point: the answer is a tensor or one of the
 * service's own rejections (415 or 422), never another exception, an {@link Error} or a hang.
 *
 * <p>Plain {@code ./mvnw verify} runs it on every file of {@code
 * ImagePreprocessorFuzzTestInputs/preprocess} (seeds and past findings); {@code JAZZER_FUZZ=1}
 * fuzzes it (docs/fuzzing.md).
 */
class ImagePreprocessorFuzzTest {

  /** Small enough that every input decodes fast; no code path depends on the value. */
  private static final long MAX_PIXELS = 4_000_000;

  private static final int CROP = 224;
  private static final ImagePreprocessor PREPROCESSOR =
      new ImagePreprocessor(new ImageLimits(MAX_PIXELS), 256, CROP);

  /**
   * The timeout bounds each input: JUnit stops a hung input in regression mode, and Jazzer passes
   * it to libFuzzer as {@code -timeout} while fuzzing (where JUnit's own timeout must be disabled,
   * as it would bound the whole run: docs/fuzzing.md).
   */
  @FuzzTest(maxDuration = "2m")
  @Timeout(value = 10, threadMode = ThreadMode.SEPARATE_THREAD)
  void preprocess(byte[] encoded) {
    float[] tensor;
    try {
      tensor = PREPROCESSOR.preprocess(encoded);
    } catch (ImageRejectedException rejected) {
      if (rejected.getMessage() == null || rejected.getMessage().isBlank()) {
        throw new AssertionError("a rejection without a message for the client", rejected);
      }
      return;
    }
    if (tensor.length != 3 * CROP * CROP) {
      throw new AssertionError("a tensor of " + tensor.length + " floats");
    }
    for (float value : tensor) {
      if (!Float.isFinite(value)) {
        throw new AssertionError("a tensor holding " + value);
      }
    }
  }
}
