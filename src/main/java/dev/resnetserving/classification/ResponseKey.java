package dev.resnetserving.classification;

/**
 * One cached answer's key: the scope of the model and preprocessing, the API key that sent the
 * image (so one tenant cannot learn by timing what another uploaded), and the image's SHA-256.
 *
 * @param scope the same instance for every key of one cache
 * @param tenant the API key's name, empty when the API is open
 * @param imageSha256 the SHA-256 of the encoded bytes as uploaded, hex
 */
record ResponseKey(ResponseScope scope, String tenant, String imageSha256) {}
