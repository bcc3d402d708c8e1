package dev.resnetserving.api;

import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.resnetserving.config.ResnetProperties;
import dev.resnetserving.config.ServingReadiness;
import dev.resnetserving.inference.NotServedException.Reason;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The probes in a Spring MVC slice: {@code /readyz} gives the reason it is not ready. */
@WebMvcTest(
    controllers = HealthController.class,
    excludeFilters =
        @ComponentScan.Filter(
            type = FilterType.ASSIGNABLE_TYPE,
            classes = {RequestMetricsFilter.class, UploadAdmissionFilter.class}))
@AutoConfigureMockMvc(addFilters = false)
@EnableConfigurationProperties(ResnetProperties.class)
class HealthControllerTest {

  @Autowired MockMvc mvc;
  @MockitoBean ServingReadiness readiness;
  @MockitoBean RetryAfter retryAfter;

  @Test
  void readyIsUpAndLiveAnswersWhatever() throws Exception {
    when(readiness.unavailability()).thenReturn(Optional.empty());

    mvc.perform(get("/readyz"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("UP"));
    mvc.perform(get("/livez")).andExpect(status().isOk());
  }

  @Test
  void notReadySaysWhy() throws Exception {
    for (Reason reason :
        new Reason[] {Reason.NOT_READY, Reason.SHUTTING_DOWN, Reason.MODEL_STALLED}) {
      when(readiness.unavailability()).thenReturn(Optional.of(reason));

      mvc.perform(get("/readyz"))
          .andExpect(status().isServiceUnavailable())
          .andExpect(jsonPath("$.status").value("DOWN"))
          .andExpect(jsonPath("$.reason").value(reason.tag().replace('_', '-')));
    }
  }
}
