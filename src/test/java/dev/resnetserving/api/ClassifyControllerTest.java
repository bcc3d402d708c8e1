package dev.resnetserving.api;

import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.resnetserving.classification.ImageClassifier;
import dev.resnetserving.classification.Prediction;
import dev.resnetserving.config.ResnetProperties;
import dev.resnetserving.config.ServingReadiness;
import dev.resnetserving.inference.ModelReplicas;
import dev.resnetserving.inference.NotServedException;
import dev.resnetserving.inference.NotServedException.Reason;
import dev.resnetserving.security.QuotaPermit;
import dev.resnetserving.security.TenantQuotas;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The classify controller, the readiness gate and the problem advice in a Spring MVC slice, on a
 * mocked classifier: no model, no libtorch, no servlet filters (security and metrics are tested on
 * the running service).
 */
@WebMvcTest(
    controllers = ClassifyController.class,
    excludeFilters =
        @ComponentScan.Filter(
            type = FilterType.ASSIGNABLE_TYPE,
            classes = {RequestMetricsFilter.class, UploadAdmissionFilter.class}))
@AutoConfigureMockMvc(addFilters = false)
class ClassifyControllerTest {

  private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00};

  @TestConfiguration
  @EnableConfigurationProperties(ResnetProperties.class)
  static class Model {
    @Bean
    ModelReplicas replicas() {
      ModelReplicas replicas = mock(ModelReplicas.class);
      when(replicas.name()).thenReturn("tiny-resnet");
      return replicas;
    }
  }

  @Autowired MockMvc mvc;
  @MockitoBean ImageClassifier classifier;
  @MockitoBean TenantQuotas quotas;
  @MockitoBean ServingReadiness readiness;
  @MockitoBean RetryAfter retryAfter;

  @BeforeEach
  void aReadyServiceWithRoomForTheKey() {
    when(classifier.classCount()).thenReturn(1000);
    when(readiness.unavailability()).thenReturn(Optional.empty());
    when(quotas.admit(anyInt())).thenReturn(QuotaPermit.NONE);
  }

  private MvcResult started() throws Exception {
    return mvc.perform(post("/v1/classify?topK=1").contentType(MediaType.IMAGE_JPEG).content(JPEG))
        .andExpect(request().asyncStarted())
        .andReturn();
  }

  @Test
  void answersWithTheTopClassesOfEachImage() throws Exception {
    when(classifier.classify(anyList(), anyInt()))
        .thenReturn(
            CompletableFuture.completedFuture(
                List.of(List.of(new Prediction(281, "tabby", "n02123045", 0.75f)))));

    mvc.perform(asyncDispatch(started()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.model").value("tiny-resnet"))
        .andExpect(jsonPath("$.results[0].predictions[0].label").value("tabby"))
        .andExpect(jsonPath("$.results[0].predictions[0].probability").value(0.75));
  }

  @Test
  void aTopKOutOfRangeIsAProblemAndRunsNothing() throws Exception {
    mvc.perform(post("/v1/classify?topK=1001").contentType(MediaType.IMAGE_JPEG).content(JPEG))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.type").value("urn:resnet-serving:problem:invalid-top-k"));
    verify(classifier, never()).classify(anyList(), anyInt());
  }

  @Test
  void theReadinessGateRefusesWithItsReasonBeforeTheController() throws Exception {
    when(readiness.unavailability()).thenReturn(Optional.of(Reason.MODEL_STALLED));
    when(retryAfter.of(Reason.MODEL_STALLED)).thenReturn("1");

    mvc.perform(post("/v1/classify").contentType(MediaType.IMAGE_JPEG).content(JPEG))
        .andExpect(status().isServiceUnavailable())
        .andExpect(header().string("Retry-After", "1"))
        .andExpect(jsonPath("$.type").value("urn:resnet-serving:problem:model-stalled"));
    verify(quotas, never()).admit(anyInt());
  }

  @Test
  void aFullQueueIsOverloadedWithTheRetryAfterOfItsDrainRate() throws Exception {
    when(classifier.classify(anyList(), anyInt()))
        .thenReturn(CompletableFuture.failedFuture(new NotServedException(Reason.QUEUE_FULL)));
    when(retryAfter.of(Reason.QUEUE_FULL)).thenReturn("7");

    mvc.perform(asyncDispatch(started()))
        .andExpect(status().isServiceUnavailable())
        .andExpect(header().string("Retry-After", "7"))
        .andExpect(jsonPath("$.type").value("urn:resnet-serving:problem:overloaded"));
  }
}
