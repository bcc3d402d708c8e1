package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.resnetserving.config.ServingReadiness;
import dev.resnetserving.inference.NotServedException;
import dev.resnetserving.inference.NotServedException.Reason;
import jakarta.servlet.DispatcherType;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.method.HandlerMethod;

class ReadinessGateTest {

  static final class Handlers {
    @UsesModel
    void runsTheModel() {}

    void describesTheModel() {}
  }

  @Test
  void refusesOnlyHandlersThatUseTheModelWithTheReasonAndOnlyOnArrival() throws Exception {
    ServingReadiness readiness = mock(ServingReadiness.class);
    when(readiness.unavailability()).thenReturn(Optional.of(Reason.MODEL_STALLED));
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

    when(readiness.unavailability()).thenReturn(Optional.empty());
    assertThat(gate.preHandle(request, response, usesModel)).isTrue();
  }
}
