# Bakes a model directory (one TorchScript .pt and synset.txt) into the service image, so that
# containers need neither a volume nor the network. The model directory is the build context:
#
#   docker build -f docker/model.Dockerfile --build-arg SERVICE_IMAGE=resnet-serving:0.1.0 \
#     -t resnet-serving:0.1.0-resnet50 models/resnet50
#
# The result also serves as the Helm chart's model image (model.source=image, path /models/model).
ARG SERVICE_IMAGE=resnet-serving:latest
FROM ${SERVICE_IMAGE}
COPY . /models/model/
ENV RESNET_MODEL_URI=file:/models/model \
    DJL_OFFLINE=true
