# Runtime base for the GPU variant of the image: NVIDIA's CUDA runtime with cuDNN, plus a
# Java 17 runtime. Untested on the project's CI (no GPU, no registry there).
#
#   docker build -f docker/cuda-jre.Dockerfile -t resnet-serving-base:cuda12.8-jre17 docker
#   docker build --build-arg BASE_IMAGE=resnet-serving-base:cuda12.8-jre17 \
#     --build-arg PYTORCH_FLAVOR=cu128 -t resnet-serving:0.1.0-cu128 .
#
# cu128 is the CUDA flavour DJL 0.36 publishes for libtorch 2.7.1; the host's NVIDIA driver
# must support CUDA 12.8.
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04
FROM ${CUDA_IMAGE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/*
