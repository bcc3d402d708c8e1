# resnet-serving container image, built from the jar Maven made:
#
#   ./mvnw -B package -DskipTests
#   docker build -t resnet-serving:0.1.0 .
#
# Build arguments (all optional):
#   BASE_IMAGE      runtime base with a Java 17 runtime on PATH (default eclipse-temurin:17-jre);
#                   for the GPU variant a CUDA runtime image with Java 17 (docs/deployment.md)
#   BUILDER_IMAGE   a Java 17 JDK, used only while building (default eclipse-temurin:17-jdk)
#   PYTORCH_FLAVOR  cpu (default: the libtorch bundled in the jar) or a CUDA flavour such as
#                   cu128, which DJL downloads from publish.djl.ai while the image is built
#   JAR_FILE        the Spring Boot jar (default target/resnet-serving.jar)
#   VERSION, REVISION, CREATED   OCI labels
#
# The image runs as uid 10001 and works with a read-only root filesystem: only /tmp and the
# DJL cache (/var/cache/djl, used for models pulled from the DJL zoo) need to be writable.
# libtorch is unpacked at build time into /opt/djl/engines, so containers neither write it at
# start nor fetch it from the network. Mount a model directory (one TorchScript .pt and
# synset.txt) and set RESNET_MODEL_URI=file:/models/<name> and DJL_OFFLINE=true, or bake one in
# with docker/model.Dockerfile.

ARG BASE_IMAGE=eclipse-temurin:17-jre
ARG BUILDER_IMAGE=eclipse-temurin:17-jdk

# Splits the jar into layers that change at different rates, and compiles the engine preparer.
# For a CUDA flavour the bundled CPU libtorch leaves the class path: only then does DJL honour
# PYTORCH_FLAVOR.
FROM ${BUILDER_IMAGE} AS layers
ARG JAR_FILE=target/resnet-serving.jar
ARG PYTORCH_FLAVOR=cpu
WORKDIR /build
COPY ${JAR_FILE} resnet-serving.jar
COPY docker/PrepareEngine.java .
RUN java -Djarmode=tools -jar resnet-serving.jar extract --layers --destination extracted \
    && mkdir -p native/lib \
    && mv extracted/dependencies/lib/pytorch-native-*.jar native/lib/ \
    && if [ "$PYTORCH_FLAVOR" != cpu ]; then rm native/lib/pytorch-native-cpu-*.jar; fi \
    && javac -d classes -cp 'extracted/dependencies/lib/*' PrepareEngine.java \
    && mkdir jna && cd jna \
    && jar xf ../extracted/dependencies/lib/jna-[0-9]*.jar "com/sun/jna/linux-$(uname -m | tr _ -)/libjnidispatch.so" \
    && mv com/sun/jna/*/libjnidispatch.so . && rm -r com

# Unpacks (or downloads) libtorch on the runtime base, where it will be loaded.
FROM ${BASE_IMAGE} AS engine
ARG PYTORCH_FLAVOR=cpu
COPY --from=layers /build/native/lib/ /prepare/lib/
COPY --from=layers /build/extracted/dependencies/lib/ /prepare/lib/
COPY --from=layers /build/classes/ /prepare/classes/
# No GPU is needed to load libtorch here; on CUDA bases the forward-compatibility libcuda in
# /usr/local/cuda/compat, where the image has one, satisfies libraries that link against it.
RUN ENGINE_CACHE_DIR=/opt/djl/engines PYTORCH_FLAVOR=${PYTORCH_FLAVOR} DJL_CACHE_DIR=/tmp/djl \
    LD_LIBRARY_PATH=/usr/local/cuda/compat${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
    java -cp '/prepare/classes:/prepare/lib/*' PrepareEngine \
    && rm -rf /tmp/djl \
    && chmod -R a+rX /opt/djl/engines

FROM ${BASE_IMAGE}
ARG PYTORCH_FLAVOR=cpu
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
ARG CREATED=unknown
ARG BASE_IMAGE
LABEL org.opencontainers.image.title="resnet-serving" \
      org.opencontainers.image.description="ResNet-50 image classification over HTTP with dynamic batching on DJL and PyTorch" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="${BASE_IMAGE}" \
      dev.resnetserving.pytorch-flavor="${PYTORCH_FLAVOR}"

# A numeric user, so that Kubernetes can check runAsNonRoot; group 0 owns the writable cache
# so that platforms running with an arbitrary uid in group 0 (OpenShift) can write it too.
RUN groupadd --gid 10001 resnet \
    && useradd --uid 10001 --gid resnet --home-dir /nonexistent \
       --no-create-home --shell /usr/sbin/nologin resnet \
    && mkdir -p /var/cache/djl /models \
    && chown 10001:0 /var/cache/djl \
    && chmod 0775 /var/cache/djl

# libjpeg-turbo's TurboJPEG library, which decodes JPEG exactly as Pillow does in half the time
# of ImageIO (resnet.images.jpeg-decoder; required below). Debian names it libturbojpeg0,
# Ubuntu (the eclipse-temurin and CUDA images) libturbojpeg.
RUN apt-get update \
    && package=$(apt-cache show libturbojpeg0 >/dev/null 2>&1 && echo libturbojpeg0 || echo libturbojpeg) \
    && apt-get install -y --no-install-recommends "$package" \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin

# Least-changing layers first: libtorch, then libraries, then the application itself. JNA's
# native stub is unpacked here once: at run time /tmp may be read-only or mounted noexec.
COPY --from=engine /opt/djl/engines/ /opt/djl/engines/
COPY --from=layers /build/jna/ /opt/jna/
COPY --from=layers /build/native/lib/ /app/lib/
COPY --from=layers /build/extracted/dependencies/ /app/
COPY --from=layers /build/extracted/snapshot-dependencies/ /app/
COPY --from=layers /build/extracted/application/ /app/

# MaxRAMPercentage leaves more than half the container's memory to libtorch's native
# allocations (weights, activations, per-thread arenas), which the heap limit does not cover.
# MALLOC_ARENA_MAX keeps glibc from giving every busy thread its own native arena, which makes
# libtorch's resident memory wander upwards under load.
ENV ENGINE_CACHE_DIR=/opt/djl/engines \
    MALLOC_ARENA_MAX=2 \
    DJL_CACHE_DIR=/var/cache/djl \
    PYTORCH_FLAVOR=${PYTORCH_FLAVOR} \
    RESNET_IMAGES_JPEG_DECODER=libjpeg-turbo \
    JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=45 -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true -Djna.boot.library.path=/opt/jna -Djna.nounpack=true"

USER 10001:10001
WORKDIR /app
EXPOSE 8080 8081 9090
ENTRYPOINT ["java", "-jar", "/app/resnet-serving.jar"]
