#!/usr/bin/env python3
"""Calls the service's Open Inference Protocol v2 gRPC API with clients nobody here wrote.

Starts the packaged jar on 127.0.0.1 with the given model and a keys file, compiles the project's
.proto with grpc_tools (Debian's python3-grpc-tools), and with grpcio (python3-grpcio):
  - calls every RPC of inference.GRPCInferenceService, the health service and reflection;
  - compares ModelInfer's probabilities (raw_output_contents, as Triton's client reads them)
    with the REST v2 answer for the same images;
  - checks each status code: INVALID_ARGUMENT, NOT_FOUND, UNAUTHENTICATED, PERMISSION_DENIED,
    RESOURCE_EXHAUSTED (with retry-after), DEADLINE_EXCEEDED, UNAVAILABLE after SIGTERM;
  - with --buf, calls ModelInfer with `buf curl` through server reflection (no .proto given).
Then starts it again with no keys configured: the API is open, as REST is. Exits non-zero on the
first failed check.

Usage: check_grpc.py --jar target/resnet-serving.jar --model src/test/resources/models/tiny-resnet
           [--buf node_modules/.bin/buf]
"""

import argparse
import base64
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import grpc
from grpc_tools import protoc

ROOT = Path(__file__).resolve().parents[2]
PROTO = ROOT / "src/main/proto/grpc_predict_v2.proto"
IMAGES = ROOT / "src/test/resources/images"
KEY = "ci-key"

# The same images may be batched together through one door and apart through the other, and
# libtorch's sums differ in the last bits between batch sizes (about 2e-7 seen): equal means
# within this, far below any difference a client could act on.
TOLERANCE = 1e-5

KEYS_FILE = """\
keys:
  - name: ci
    key: ci-key
  - name: tenant
    key: tenant-key
    images-per-second: 1
    burst: 1
  - name: operator
    key: admin-key
    roles: [admin]
"""


def check(condition, message):
    if not condition:
        sys.exit("FAIL: " + message)
    print("ok:", message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def compile_proto(out):
    status = protoc.main(["protoc", f"-I{PROTO.parent}", f"--python_out={out}", f"--grpc_python_out={out}", str(PROTO)])
    if status != 0:
        sys.exit("protoc failed on " + str(PROTO))
    sys.path.insert(0, str(out))
    import grpc_predict_v2_pb2 as pb
    import grpc_predict_v2_pb2_grpc as pb_grpc
    return pb, pb_grpc


def raw_bytes(elements):
    return b"".join(struct.pack("<I", len(e)) + e for e in elements)


def floats(raw):
    return struct.unpack(f"<{len(raw) // 4}f", raw)


def code_of(call):
    try:
        call()
    except grpc.RpcError as e:
        return e
    sys.exit("FAIL: the call succeeded where an error was expected")


def wait_ready(http_port, process, seconds=180):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit(f"the service exited with {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{http_port}/readyz", timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.5)
    sys.exit("the service was not ready in time")


def rest_probabilities(http_port, model, images):
    body = json.dumps({"inputs": [{"name": "image", "shape": [len(images)], "datatype": "BYTES",
                                   "data": [base64.b64encode(i).decode() for i in images]}]}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{http_port}/v2/models/{model}/infer", data=body,
                                     headers={"Content-Type": "application/json", "X-API-Key": KEY})
    with urllib.request.urlopen(request, timeout=60) as r:
        return json.load(r)["outputs"][0]["data"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--buf")
    args = parser.parse_args()
    model = Path(args.model).name
    work = Path(tempfile.mkdtemp(prefix="check-grpc-"))
    pb, pb_grpc = compile_proto(work)
    (work / "keys.yaml").write_text(KEYS_FILE)

    with Service(args, work, "keys", [f"--resnet.security.keys-file={work / 'keys.yaml'}"]) as service:
        run_checks(pb, pb_grpc, model, service.http_port, service.grpc_port, args.buf)
        stop_and_check_unavailable(pb, pb_grpc, service.process, service.grpc_port)
    with Service(args, work, "open", []) as service:
        stub = pb_grpc.GRPCInferenceServiceStub(grpc.insecure_channel(f"127.0.0.1:{service.grpc_port}"))
        request = pb.ModelInferRequest(model_name=model)
        request.inputs.add(name="image", datatype="BYTES", shape=[1])
        request.raw_input_contents.append(raw_bytes([(IMAGES / "china.jpg").read_bytes()]))
        check(list(stub.ModelInfer(request, timeout=60).outputs[0].shape) == [1, 1000],
              "with no keys configured, ModelInfer without a key: answered, as REST is open")


class Service:
    """The packaged jar on 127.0.0.1 and free ports, killed on exit if still running."""

    def __init__(self, args, work, name, extra):
        self.args, self.extra = args, extra
        self.http_port, self.grpc_port = free_port(), free_port()
        self.log = work / f"service-{name}.log"

    def __enter__(self):
        self.process = subprocess.Popen(
            ["java", "-Dai.djl.offline=true", "-jar", self.args.jar, f"--server.port={self.http_port}",
             "--server.address=127.0.0.1", "--management.server.port=0", f"--spring.grpc.server.port={self.grpc_port}",
             "--spring.grpc.server.host=127.0.0.1", f"--resnet.model.uri={Path(self.args.model).resolve()}",
             *self.extra],
            stdout=open(self.log, "w"), stderr=subprocess.STDOUT)
        try:
            wait_ready(self.http_port, self.process)
        except BaseException as e:
            self.__exit__(type(e), e, None)
            raise
        return self

    def __exit__(self, kind, error, trace):
        if error is not None:
            print("service log:", self.log, file=sys.stderr)
            print(self.log.read_text()[-4000:], file=sys.stderr)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def run_checks(pb, pb_grpc, model, http_port, grpc_port, buf):
    channel = grpc.insecure_channel(f"127.0.0.1:{grpc_port}")
    stub = pb_grpc.GRPCInferenceServiceStub(channel)
    auth = [("authorization", "Bearer " + KEY)]

    check(stub.ServerLive(pb.ServerLiveRequest(), metadata=auth).live, "ServerLive: live")
    check(stub.ServerReady(pb.ServerReadyRequest(), metadata=auth).ready, "ServerReady: ready")
    check(stub.ModelReady(pb.ModelReadyRequest(name=model, version="1"), metadata=auth).ready, "ModelReady: ready")
    server = stub.ServerMetadata(pb.ServerMetadataRequest(), metadata=auth)
    check(server.name == "resnet-serving" and "classification" in server.extensions, f"ServerMetadata: {server.name}")
    metadata = stub.ModelMetadata(pb.ModelMetadataRequest(name=model), metadata=auth)
    check([i.name for i in metadata.inputs] == ["image", "input"] and list(metadata.outputs[0].shape)[1] == 1000,
          "ModelMetadata: inputs image and input, output [-1,1000]")

    # Debian packages no grpc_health module: HealthCheckRequest is field 1, the service name, and
    # HealthCheckResponse field 1, the status, SERVING = 1.
    service = b"inference.GRPCInferenceService"
    health = channel.unary_unary("/grpc.health.v1.Health/Check")(b"\x0a" + bytes([len(service)]) + service)
    check(health == b"\x08\x01", "grpc.health.v1.Health: SERVING, without a key")

    names = ["china.jpg", "flower.jpg"]
    images = [(IMAGES / n).read_bytes() for n in names]
    request = pb.ModelInferRequest(model_name=model, id="ci-1")
    request.inputs.add(name="image", datatype="BYTES", shape=[len(images)])
    request.raw_input_contents.append(raw_bytes(images))
    response = stub.ModelInfer(request, metadata=auth)
    check(response.id == "ci-1" and list(response.outputs[0].shape) == [2, 1000], "ModelInfer: id echoed, FP32 [2,1000]")
    grpc_values = floats(response.raw_output_contents[0])
    rest_values = rest_probabilities(http_port, model, images)
    worst = max(abs(a - b) for a, b in zip(grpc_values, rest_values))
    check(len(grpc_values) == len(rest_values) and worst <= TOLERANCE,
          f"ModelInfer probabilities equal REST v2's for {names} (largest difference {worst:.2e})")

    request = pb.ModelInferRequest(model_name=model)
    tensor = request.inputs.add(name="image", datatype="BYTES", shape=[1])
    tensor.contents.bytes_contents.append(images[0])
    out = request.outputs.add(name="probabilities")
    out.parameters["classification"].int64_param = 3
    response = stub.ModelInfer(request, metadata=auth)
    raw, classes = response.raw_output_contents[0], []
    while raw:
        (length,) = struct.unpack("<I", raw[:4])
        classes.append(raw[4:4 + length].decode())
        raw = raw[4 + length:]
    check(len(classes) == 3 and all(c.count(":") >= 2 for c in classes),
          f"ModelInfer classification extension: {classes[0]!r}, ...")

    def infer(metadata, images=images[:1], name=model, timeout=None):
        r = pb.ModelInferRequest(model_name=name)
        r.inputs.add(name="image", datatype="BYTES", shape=[len(images)])
        r.raw_input_contents.append(raw_bytes(images))
        return lambda: stub.ModelInfer(r, metadata=metadata, timeout=timeout)

    e = code_of(infer(auth, images=[b"not an image"]))
    check(e.code() == grpc.StatusCode.INVALID_ARGUMENT, f"undecodable image: INVALID_ARGUMENT ({e.details()})")
    e = code_of(infer(auth, name="mymodel"))
    check(e.code() == grpc.StatusCode.NOT_FOUND, f"unknown model: NOT_FOUND ({e.details()})")
    e = code_of(infer([]))
    check(e.code() == grpc.StatusCode.UNAUTHENTICATED, "no key: UNAUTHENTICATED")
    e = code_of(infer([("x-api-key", "wrong")]))
    check(e.code() == grpc.StatusCode.UNAUTHENTICATED, "unknown key: UNAUTHENTICATED")
    e = code_of(infer([("x-api-key", "admin-key")]))
    check(e.code() == grpc.StatusCode.PERMISSION_DENIED, "key without the inference role: PERMISSION_DENIED")
    tenant = [("x-api-key", "tenant-key")]
    infer(tenant)()
    e = code_of(infer(tenant))
    retry = dict(e.trailing_metadata() or ()).get("retry-after")
    check(e.code() == grpc.StatusCode.RESOURCE_EXHAUSTED and retry is not None and int(retry) >= 1,
          f"over quota: RESOURCE_EXHAUSTED, retry-after {retry} ({e.details()})")
    e = code_of(infer(auth, images=images * 8, timeout=0.001))
    check(e.code() == grpc.StatusCode.DEADLINE_EXCEEDED, "a 1 ms deadline: DEADLINE_EXCEEDED")

    if buf:
        buf_curl(buf, grpc_port, model, images[0], grpc_values[:1000])
    channel.close()


def buf_curl(buf, grpc_port, model, image, expected):
    body = json.dumps({"model_name": model, "inputs": [{"name": "image", "datatype": "BYTES", "shape": [1]}],
                       "raw_input_contents": [base64.b64encode(raw_bytes([image])).decode()]})
    result = subprocess.run(
        [buf, "curl", "--protocol", "grpc", "--http2-prior-knowledge", "-H", "authorization: Bearer " + KEY,
         "-d", "@-", f"http://127.0.0.1:{grpc_port}/inference.GRPCInferenceService/ModelInfer"],
        input=body, capture_output=True, text=True, timeout=120)
    check(result.returncode == 0, "buf curl ModelInfer through reflection: exit 0 " + result.stderr.strip())
    answer = json.loads(result.stdout)
    values = floats(base64.b64decode(answer["rawOutputContents"][0]))
    worst = max(abs(a - b) for a, b in zip(values, expected))
    check(answer["outputs"][0]["shape"] == ["1", "1000"] and worst <= TOLERANCE,
          f"buf curl ModelInfer: FP32 [1,1000], the same probabilities (largest difference {worst:.2e})")


def stop_and_check_unavailable(pb, pb_grpc, process, grpc_port):
    process.send_signal(signal.SIGTERM)
    code = process.wait(timeout=120)
    check(code in (0, 143), f"SIGTERM: the service stopped (exit {code})")
    stub = pb_grpc.GRPCInferenceServiceStub(grpc.insecure_channel(f"127.0.0.1:{grpc_port}"))
    e = code_of(lambda: stub.ServerReady(pb.ServerReadyRequest(), timeout=5))
    check(e.code() == grpc.StatusCode.UNAVAILABLE, "after SIGTERM: UNAVAILABLE")


if __name__ == "__main__":
    main()
