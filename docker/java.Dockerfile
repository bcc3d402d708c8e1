# A Java 17 image on the locally imported Debian (see build-base-image): the stand-ins for
# eclipse-temurin:17-jre (runtime base) and eclipse-temurin:17-jdk (builder) on machines
# that cannot reach a registry.
ARG FROM_IMAGE=local/debian:bookworm
FROM ${FROM_IMAGE}
ARG JAVA_PACKAGE=openjdk-17-jre-headless
RUN apt-get update \
    && apt-get install -y --no-install-recommends ${JAVA_PACKAGE} \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
