package dev.resnetserving.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import javax.imageio.IIOException;
import org.junit.jupiter.api.Test;

class ByteArrayInputTest {

  /**
   * Found by ImagePreprocessorFuzzTest: 6 s and 4 GB allocated in TwelveMonkeys' decoder, which
   * kept reading past the end. The allocation, not the clock, shows the loop is cut short.
   */
  private static final String WEBP_READ_PAST_ITS_END =
      "dev/resnetserving/image/fuzz/ImagePreprocessorFuzzTestInputs/preprocess/"
          + "timeout-d5a956f056f327c42f56046b28562dca0da93016";

  @Test
  void aLosslessWebpWhoseCodesRunPastItsDataIsRefusedAtOnce() {
    ImagePreprocessor preprocessor = new ImagePreprocessor(new ImageLimits(4_000_000), 256, 224);
    byte[] webp = ReferenceFixtures.bytes(WEBP_READ_PAST_ITS_END);
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocatedBefore = threads.getThreadAllocatedBytes(Thread.currentThread().getId());

    assertThatThrownBy(() -> preprocessor.preprocess(webp))
        .isInstanceOf(CorruptImageException.class)
        .hasMessage(SafeImageDecoder.CORRUPT);
    assertThat(threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - allocatedBefore)
        .isLessThan(64L << 20);
  }

  @Test
  void readsEndOfDataAFewTimesThenFails() throws IOException {
    try (ByteArrayInput input = new ByteArrayInput(new byte[] {7, 8})) {
      assertThat(input.read()).isEqualTo(7);
      assertThat(input.read(new byte[4], 0, 4)).isEqualTo(1);
      for (int i = 0; i < ByteArrayInput.MAX_READS_PAST_END; i++) {
        assertThat(input.read()).isEqualTo(-1);
      }
      assertThatThrownBy(input::read).isInstanceOf(IIOException.class);
    }
  }

  /** ImageIO streams have finalizers: a closed one must not keep an upload reachable. */
  @Test
  void aClosedStreamLetsGoOfTheImageBytes() throws Exception {
    byte[] image = new byte[1 << 20];
    WeakReference<byte[]> bytes = new WeakReference<>(image);
    ByteArrayInput input = new ByteArrayInput(image);
    input.read();
    input.close();
    image = null;

    for (int attempt = 0; attempt < 20 && bytes.get() != null; attempt++) {
      System.gc();
      Thread.sleep(10);
    }

    assertThat(bytes.get()).isNull();
    assertThat(input).as("still reachable, as a finalizable object is").isNotNull();
  }
}
