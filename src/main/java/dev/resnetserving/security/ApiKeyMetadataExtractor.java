package dev.resnetserving.security;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import org.springframework.grpc.server.security.GrpcAuthenticationExtractor;
import org.springframework.security.core.Authentication;

/**
 * Reads a key from gRPC metadata as {@link ApiKeyAuthenticationConverter} reads it from HTTP
 * headers: {@code authorization: Bearer <key>} or {@code x-api-key: <key>}. A call with neither
 * goes on as anonymous and is refused where a key is needed.
 */
final class ApiKeyMetadataExtractor implements GrpcAuthenticationExtractor {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> API_KEY =
      Metadata.Key.of(
          ApiKeyAuthenticationConverter.API_KEY_HEADER, Metadata.ASCII_STRING_MARSHALLER);

  @Override
  public Authentication extract(
      Metadata headers, Attributes attributes, MethodDescriptor<?, ?> method) {
    String key =
        ApiKeyAuthenticationConverter.presentedKey(
            headers.get(AUTHORIZATION), headers.get(API_KEY));
    return key == null ? null : ApiKeyAuthentication.presented(key);
  }
}
