package dev.resnetserving.inference;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model double: the "probability" of class 0 echoes the first value of each input tensor, so a
 * test can tell which request got which answer. An input whose first value is {@link #FAIL} makes
 * its whole batch throw; {@link #ERROR} throws an {@link Error} that ends the worker's thread;
 * {@link #BLOCK} holds the batch until {@link #release()}.
 */
final class FakeModel implements BatchModel {

  static final float FAIL = -1f;
  static final float BLOCK = -2f;
  static final float ERROR = -3f;
  static final int SIZE = 2;

  final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  final List<Integer> warmupSizes = new CopyOnWriteArrayList<>();
  volatile int sessionsOpenAtClose = -1;
  final List<Float> seen = new CopyOnWriteArrayList<>();

  /** The thread of each batch that was not a warm-up. */
  final List<String> servedBy = new CopyOnWriteArrayList<>();

  final AtomicInteger openSessions = new AtomicInteger();
  final AtomicInteger closedSessions = new AtomicInteger();
  final CountDownLatch blocked = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  volatile boolean closed;
  private final boolean gpu;

  FakeModel() {
    this(false);
  }

  FakeModel(boolean gpu) {
    this.gpu = gpu;
  }

  static float[] tensor(float marker) {
    float[] tensor = new float[3 * SIZE * SIZE];
    tensor[0] = marker;
    return tensor;
  }

  void release() {
    release.countDown();
  }

  @Override
  public String device() {
    return "fake()";
  }

  @Override
  public boolean onGpu() {
    return gpu;
  }

  @Override
  public int inputSize() {
    return SIZE;
  }

  @Override
  public Session openSession() {
    openSessions.incrementAndGet();
    return new Session() {
      @Override
      public float[][] run(TensorBatch batch) throws Exception {
        if (closed) {
          throw new IllegalStateException("model used after close");
        }
        float[][] out = new float[batch.tensors().size()][];
        boolean warmup = true;
        for (int i = 0; i < out.length; i++) {
          float marker = batch.tensors().get(i)[0];
          warmup &= marker == 0f;
          if (marker == FAIL) {
            throw new IllegalArgumentException("marked input");
          }
          if (marker == ERROR) {
            throw new InternalError("marked input");
          }
          if (marker == BLOCK) {
            blocked.countDown();
            release.await();
          }
          out[i] = new float[] {marker, 1 - marker};
        }
        if (warmup) {
          warmupSizes.add(out.length);
          return out;
        }
        batchSizes.add(out.length);
        servedBy.add(Thread.currentThread().getName());
        batch.tensors().forEach(t -> seen.add(t[0]));
        return out;
      }

      @Override
      public void close() {
        closedSessions.incrementAndGet();
      }
    };
  }

  @Override
  public void close() {
    sessionsOpenAtClose = openSessions.get() - closedSessions.get();
    closed = true;
  }
}
