package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.resnetserving.inference.NotServedException;
import dev.resnetserving.inference.NotServedException.Reason;
import dev.resnetserving.inference.WorkerPool;
import jakarta.servlet.DispatcherType;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.method.HandlerMethod;

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

  static final class Handlers {
    @UsesModel
    void runsTheModel() {}

    void describesTheModel() {}
  }

  @Test
  void theGateRefusesOnlyHandlersThatUseTheModelWithTheReason() throws Exception {
    when(pool.unavailability()).thenReturn(Optional.of(Reason.MODEL_STALLED));
    readiness(ReadinessState.ACCEPTING_TRAFFIC);
    ReadinessGate gate = new ReadinessGate(readiness);
    Handlers handlers = new Handlers();
    HandlerMethod usesModel =
        new HandlerMethod(handlers, Handlers.class.getDeclaredMethod("runsTheModel"));
    HandlerMethod other =
        new HandlerMethod(handlers, Handlers.class.getDeclaredMethod("describesTheModel"));
    MockHttpServletRequest request = new MockHttpServletRequest();
    MockHttpServletResponse response = new MockHttpServletResponse();

    assertThatThrownBy(() -> gate.preHandle(request, response, usesModel))
        .isInstanceOfSatisfying(
            NotServedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MODEL_STALLED));
    assertThat(gate.preHandle(request, response, other)).isTrue();

    MockHttpServletRequest answering = new MockHttpServletRequest();
    answering.setDispatcherType(DispatcherType.ASYNC);
    assertThat(gate.preHandle(answering, response, usesModel))
        .as("an accepted request's answer is written whatever the state")
        .isTrue();

    when(pool.unavailability()).thenReturn(Optional.empty());
    assertThat(gate.preHandle(request, response, usesModel)).isTrue();
  }
}
