package dev.resnetserving.v2;

import java.util.List;

/** A {@code $metadata_server_response}. */
public record ServerMetadata(String name, String version, List<String> extensions) {}
