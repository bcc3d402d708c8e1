package dev.resnetserving.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Valid images built to cost work are classified as their benign twins are, and cost little more:
 * measured as bytes allocated on the decoding thread, which, unlike time, does not change with the
 * machine's load. Each bound is far below what doing the work would allocate.
 */
class CostlyImagesTest {

  private final ImagePreprocessor preprocessor =
      new ImagePreprocessor(new ImageLimits(50_000_000), 256, 224);
  private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  /**
   * @param mostExtraKib the most it may allocate beyond its twin: the zTXt chunk inflates to 64
   *     MiB, of which at most 1 MiB is read (about 4 MiB allocated with buffers); the 5,000 extra
   *     GIF frames of at least 1 KiB each are never decoded
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "png-ztxt-bomb.png, variant-grayscale.png, 8192",
    "gif-5000-frames.gif, variant-animated.gif, 1024"
  })
  void costLittleMoreThanTheirBenignTwin(String costly, String twin, long mostExtraKib) {
    byte[] costlyBytes = ReferenceFixtures.bytes("bad-inputs/" + costly);
    byte[] twinBytes = ReferenceFixtures.image(twin);
    // Warm: the first decode of a format loads classes and fills caches.
    preprocessor.preprocess(twinBytes);
    preprocessor.preprocess(costlyBytes);

    long twinAllocated = allocatedBy(() -> preprocessor.preprocess(twinBytes));
    long costlyAllocated = allocatedBy(() -> preprocessor.preprocess(costlyBytes));

    assertThat(preprocessor.preprocess(costlyBytes)).isEqualTo(preprocessor.preprocess(twinBytes));
    assertThat(costlyAllocated - twinAllocated)
        .as("bytes allocated beyond the %d of %s", twinAllocated, twin)
        .isLessThan(mostExtraKib << 10);
  }

  private long allocatedBy(Runnable work) {
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    work.run();
    return threads.getThreadAllocatedBytes(thread) - before;
  }
}
