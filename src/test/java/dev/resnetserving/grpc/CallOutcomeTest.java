package dev.resnetserving.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import dev.resnetserving.classification.Outcome;
import dev.resnetserving.image.CorruptImageException;
import dev.resnetserving.inference.DynamicBatcher;
import dev.resnetserving.inference.InferenceFailedException;
import dev.resnetserving.inference.NotServedException;
import dev.resnetserving.inference.NotServedException.Reason;
import dev.resnetserving.security.QuotaExceededException;
import dev.resnetserving.v2.ProtocolException;
import io.grpc.Status;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/**
 * A call's outcome in the request metrics is the one the HTTP door records for the same failure,
 * though gRPC knows it only by the status {@link GrpcErrors} gave it.
 */
class CallOutcomeTest {

  private final GrpcErrors errors = new GrpcErrors(mock(DynamicBatcher.class));

  private Outcome ofCallFailingWith(Throwable failure) {
    return CallOutcome.of(errors.of(failure).getStatus().getCode());
  }

  @Test
  void refusalsTimeoutsAndWithdrawalsAreWhatHttpRecordsFor503() {
    for (Reason reason : Reason.values()) {
      NotServedException notServed = new NotServedException(reason);
      assertThat(ofCallFailingWith(notServed)).as(reason.name()).isEqualTo(Outcome.of(notServed));
    }
    assertThat(ofCallFailingWith(new NotServedException(Reason.QUEUE_FULL)))
        .isEqualTo(Outcome.REJECTED);
    assertThat(ofCallFailingWith(new NotServedException(Reason.TIMEOUT)))
        .isEqualTo(Outcome.TIMEOUT);
    assertThat(ofCallFailingWith(new CancellationException())).isEqualTo(Outcome.CANCELLED);
  }

  @Test
  void aKeyOverItsQuotaIsARefusalAsHttpsFour29Is() {
    assertThat(ofCallFailingWith(mock(QuotaExceededException.class))).isEqualTo(Outcome.REJECTED);
  }

  @Test
  void badRequestsUnknownModelsAndBadImagesAreClientErrorsAndTheRestErrors() {
    assertThat(ofCallFailingWith(ProtocolException.badRequest("no")))
        .isEqualTo(Outcome.CLIENT_ERROR);
    assertThat(ofCallFailingWith(ProtocolException.notFound("no"))).isEqualTo(Outcome.CLIENT_ERROR);
    assertThat(ofCallFailingWith(ProtocolException.tooLarge("no"))).isEqualTo(Outcome.CLIENT_ERROR);
    assertThat(ofCallFailingWith(new CorruptImageException("no"))).isEqualTo(Outcome.CLIENT_ERROR);
    assertThat(ofCallFailingWith(new InferenceFailedException(new IllegalStateException())))
        .isEqualTo(Outcome.ERROR);
    assertThat(ofCallFailingWith(new IllegalStateException())).isEqualTo(Outcome.ERROR);
  }

  @Test
  void anAnswerIsASuccessAndARefusedKeyAClientError() {
    assertThat(CallOutcome.of(Status.Code.OK)).isEqualTo(Outcome.SUCCESS);
    assertThat(CallOutcome.of(Status.Code.UNAUTHENTICATED)).isEqualTo(Outcome.CLIENT_ERROR);
    assertThat(CallOutcome.of(Status.Code.PERMISSION_DENIED)).isEqualTo(Outcome.CLIENT_ERROR);
  }
}
