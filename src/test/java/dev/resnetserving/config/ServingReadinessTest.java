package dev.resnetserving.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.resnetserving.inference.NotServedException.Reason;
import dev.resnetserving.inference.WorkerPool;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;

class ServingReadinessTest {

  private final WorkerPool pool = mock(WorkerPool.class);
  private final ApplicationAvailabilityBean availability = new ApplicationAvailabilityBean();
  private final ServingReadiness readiness = new ServingReadiness(pool, availability);

  private void readiness(ReadinessState state) {
    availability.onApplicationEvent(new AvailabilityChangeEvent<>(this, state));
  }

  @Test
  void startingIsNotReadyAndClosingIsShuttingDown() {
    when(pool.unavailability()).thenReturn(Optional.empty());
    assertThat(readiness.unavailability()).contains(Reason.NOT_READY);

    readiness(ReadinessState.ACCEPTING_TRAFFIC);
    assertThat(readiness.unavailability()).isEmpty();
    assertThat(readiness.isReady()).isTrue();

    readiness(ReadinessState.REFUSING_TRAFFIC);
    assertThat(readiness.unavailability()).contains(Reason.SHUTTING_DOWN);
  }

  @Test
  void aReadyApplicationReportsWhyItsWorkersCannotServe() {
    readiness(ReadinessState.ACCEPTING_TRAFFIC);
    for (Reason reason :
        new Reason[] {Reason.NOT_READY, Reason.MODEL_STALLED, Reason.SHUTTING_DOWN}) {
      when(pool.unavailability()).thenReturn(Optional.of(reason));
      assertThat(readiness.unavailability()).contains(reason);
    }
  }
}
