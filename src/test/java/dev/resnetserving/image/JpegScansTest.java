package dev.resnetserving.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** libjpeg walks the whole image once per scan: the scan count is checked before decoding. */
class JpegScansTest {

  private final ImagePreprocessor preprocessor =
      new ImagePreprocessor(new ImageLimits(50_000_000), 256, 224);
  private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  /**
   * 20,000 scans of 12 bytes each took 13 s to decode before the limit. The scan counter refuses
   * the file before any decoder has seen it: decoding its 1000x1000 pixels would allocate
   * megabytes, the refusal allocates next to nothing (allocation, unlike time, does not change with
   * the machine's load).
   */
  @Test
  void aJpegWithThousandsOfScansIsRefusedBeforeDecoding() {
    byte[] jpeg = ReferenceFixtures.bytes("bad-inputs/jpeg-20000-scans.jpg");
    assertThatThrownBy(() -> JpegScans.requireAtMostMaxScans(jpeg))
        .isInstanceOf(CorruptImageException.class)
        .hasMessage("The JPEG has more than 100 scans.");

    long thread = Thread.currentThread().getId();
    long allocatedBefore = threads.getThreadAllocatedBytes(thread);
    assertThatThrownBy(() -> preprocessor.preprocess(jpeg))
        .isInstanceOf(CorruptImageException.class)
        .hasMessage("The JPEG has more than 100 scans.");
    long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;

    assertThat(allocated).as("bytes allocated").isLessThan(256L << 10);
  }

  @Test
  void theLimitIsOneHundredScans() {
    assertThat(preprocessor.preprocess(ReferenceFixtures.bytes("bad-inputs/jpeg-100-scans.jpg")))
        .hasSize(3 * 224 * 224);
    assertThatThrownBy(
            () -> preprocessor.preprocess(ReferenceFixtures.bytes("bad-inputs/jpeg-101-scans.jpg")))
        .isInstanceOf(CorruptImageException.class);
  }

  /** Entropy-coded data holds 0xff00 stuffing and restart markers, which are not scans. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "china.jpg",
        "variant-progressive.jpg",
        "variant-cmyk.jpg",
        "variant-exif-orientation-6.jpg"
      })
  void everyCommittedJpegIsWithinTheLimit(String image) {
    JpegScans.requireAtMostMaxScans(ReferenceFixtures.image(image));
  }
}
