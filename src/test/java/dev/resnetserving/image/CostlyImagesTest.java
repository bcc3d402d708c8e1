package dev.resnetserving.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Valid images built to cost work (a zTXt chunk inflating to gigabytes, thousands of GIF frames)
 * are classified as their benign twins are, and the decoder does about as much for them:
 * measured as bytes allocated on the decoding thread, which, unlike time, does not change with
 * the machine's load.
 */
class CostlyImagesTest {

  private final ImagePreprocessor preprocessor =
      new ImagePreprocessor(new ImageLimits(50_000_000), 256, 224);
  private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  @ParameterizedTest
  @CsvSource({"png-ztxt-bomb.png, variant-grayscale.png", "gif-5000-frames.gif, variant-animated.gif"})
  void costAboutAsMuchAsTheirBenignTwin(String costly, String twin) {
    byte[] costlyBytes = ReferenceFixtures.bytes("bad-inputs/" + costly);
    byte[] twinBytes = ReferenceFixtures.image(twin);
    // Warm: the first decode of a format loads classes and fills caches.
    preprocessor.preprocess(twinBytes);
    preprocessor.preprocess(costlyBytes);

    long twinAllocated = allocatedBy(() -> preprocessor.preprocess(twinBytes));
    long costlyAllocated = allocatedBy(() -> preprocessor.preprocess(costlyBytes));

    assertThat(preprocessor.preprocess(costlyBytes)).isEqualTo(preprocessor.preprocess(twinBytes));
    assertThat(costlyAllocated).as("bytes allocated for %s, against %d for %s", costly, twinAllocated, twin)
        .isLessThan(2 * twinAllocated + (1L << 20));
  }

  private long allocatedBy(Runnable work) {
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    work.run();
    return threads.getThreadAllocatedBytes(thread) - before;
  }
}
