package dev.resnetserving.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A worker's states, driven by a loop the test feeds batch by batch. */
@Timeout(10)
class BatchWorkerTest {

  private final FakeModel model = new FakeModel();
  private final BatchWorker worker =
      new BatchWorker(
          model,
          "worker",
          2,
          new InferenceMetrics(new SimpleMeterRegistry(), "m"),
          InferenceObservations.NONE);
  private final ScriptedLoop loop = new ScriptedLoop();

  /** Runs the batches it is handed; finishes, or parks the worker, when told to. */
  private final class ScriptedLoop implements ServingLoop {

    final BlockingQueue<List<PendingInference>> batches = new LinkedBlockingQueue<>();
    volatile boolean finished;
    volatile boolean park;

    @Override
    public List<PendingInference> nextBatch() throws InterruptedException {
      List<PendingInference> batch = batches.poll(5, TimeUnit.MILLISECONDS);
      if (park) {
        worker.park();
        finished = true;
      }
      return batch == null ? List.of() : batch;
    }

    @Override
    public boolean isFinished() {
      return finished;
    }
  }

  private static PendingInference request(float marker) {
    return new PendingInference(
        FakeModel.tensor(marker), 0, Long.MAX_VALUE, null, Observation.NOOP);
  }

  private void awaitEnd() throws InterruptedException {
    worker.thread().join();
  }

  @Test
  void warmsUpThenServesAndEndsStoppedWhenItsLoopFinishes() throws Exception {
    assertThat(worker.state()).isEqualTo(WorkerState.NEW);

    worker.start(loop);
    worker.warmedUp().get(5, TimeUnit.SECONDS);
    PendingInference request = request(0.5f);
    loop.batches.add(List.of(request));

    assertThat(request.result.get(5, TimeUnit.SECONDS)[0]).isEqualTo(0.5f);
    assertThat(worker.state()).isEqualTo(WorkerState.SERVING);
    loop.finished = true;
    awaitEnd();
    assertThat(worker.state()).isEqualTo(WorkerState.STOPPED);
  }

  @Test
  void endsFailedWhenAnErrorEndsItsThread() throws Exception {
    worker.start(loop);
    worker.warmedUp().get(5, TimeUnit.SECONDS);

    loop.batches.add(List.of(request(FakeModel.ERROR)));
    awaitEnd();

    assertThat(worker.state()).isEqualTo(WorkerState.FAILED);
    assertThat(worker.state().isLive()).isFalse();
  }

  @Test
  void aParkedWorkerStartsAgainWarmOnANewThread() throws Exception {
    worker.start(loop);
    worker.warmedUp().get(5, TimeUnit.SECONDS);
    Thread first = worker.thread();
    loop.park = true;
    first.join();
    assertThat(worker.state()).isEqualTo(WorkerState.PARKED);

    ScriptedLoop again = new ScriptedLoop();
    worker.start(again);
    PendingInference request = request(0.25f);
    again.batches.add(List.of(request));

    assertThat(request.result.get(5, TimeUnit.SECONDS)[0]).isEqualTo(0.25f);
    assertThat(worker.thread()).isNotSameAs(first);
    assertThat(worker.state()).isEqualTo(WorkerState.SERVING);
    assertThat(model.warmupSizes)
        .as("warmed up once, on the first thread")
        .containsExactly(1, 1, 2, 2);
    again.finished = true;
    awaitEnd();
  }

  @Test
  void aLiveWorkerCannotStartASecondThread() throws Exception {
    worker.start(loop);

    assertThatThrownBy(() -> worker.start(new ScriptedLoop()))
        .isInstanceOf(IllegalStateException.class);
    loop.finished = true;
    awaitEnd();
    assertThat(worker.state()).isEqualTo(WorkerState.STOPPED);
  }
}
