#!/usr/bin/env python3
"""GaitStream example client in Python: streams a trial into the service and prints or saves the estimates.

Built from protos/gaitstream.proto with any gRPC toolchain; on Debian:
    apt-get install python3-grpcio python3-grpc-tools
    python3 clients/python/gaitstream_client.py --server 127.0.0.1:50051 --mot data/examples/gait2354-walk/subject01/walk/walk1_ik.mot --body-mass 72.6

The stubs are generated at start into a temporary folder (--proto points at gaitstream.proto), so the client always
matches the contract it is given. Input: an OpenSim .mot (IK, degrees) or a CSV with a header
`seq,time_s,<channel>,...`. Output: a summary on stdout, and with --out a JSON file with every estimate.
"""
import argparse
import importlib
import json
import os
import sys
import tempfile
import time

CHANNELS = ["hip_flexion_r", "hip_adduction_r", "hip_rotation_r", "knee_angle_r", "ankle_angle_r",
            "hip_flexion_l", "hip_adduction_l", "hip_rotation_l", "knee_angle_l", "ankle_angle_l"]


def load_stubs(proto_path):
    from grpc_tools import protoc
    out = tempfile.mkdtemp(prefix="gaitstream-py-")
    proto_dir, proto_file = os.path.split(os.path.abspath(proto_path))
    rc = protoc.main(["protoc", f"-I{proto_dir}", f"--python_out={out}", f"--grpc_python_out={out}", proto_file])
    if rc != 0:
        sys.exit(f"error: protoc failed on {proto_path} (exit {rc})")
    sys.path.insert(0, out)
    stem = os.path.splitext(proto_file)[0]
    return importlib.import_module(f"{stem}_pb2"), importlib.import_module(f"{stem}_pb2_grpc")


def read_mot(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    end = next(i for i, line in enumerate(lines) if line.strip().lower() == "endheader")
    header = lines[end + 1].split()
    rows = [list(map(float, line.split())) for line in lines[end + 2:] if line.strip()]
    missing = [c for c in CHANNELS if c not in header]
    if missing:
        sys.exit(f"error: {path} lacks {', '.join(missing)}")
    t = header.index("time")
    idx = [header.index(c) for c in CHANNELS]
    frames = [(i, r[t], [r[k] for k in idx]) for i, r in enumerate(rows)]
    return CHANNELS, frames


def read_csv(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().strip().split(",")
        channels = header[2:]
        frames = []
        for line in f:
            if line.strip():
                v = line.strip().split(",")
                frames.append((int(v[0]), float(v[1]), [float(x) for x in v[2:]]))
    return channels, frames


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--server", default="127.0.0.1:50051", help="host:port of the gRPC endpoint")
    p.add_argument("--proto", default=os.path.join(os.path.dirname(__file__), "..", "..", "protos", "gaitstream.proto"))
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--mot", help="OpenSim IK .mot (degrees)")
    src.add_argument("--csv", help="CSV: seq,time_s,<channels...>")
    p.add_argument("--body-mass", type=float, required=True, help="subject body mass, kg")
    p.add_argument("--rate", type=float, help="device rate, Hz (default: from the timestamps)")
    p.add_argument("--session-id", default="python-client")
    p.add_argument("--model", default="", help="model id (default: the server's)")
    p.add_argument("--frames-per-message", type=int, default=10)
    p.add_argument("--api-key", default=os.environ.get("GAITSTREAM_API_KEY"))
    p.add_argument("--out", help="write every estimate as JSON here")
    a = p.parse_args()

    import grpc
    pb, rpc = load_stubs(a.proto)
    channels, frames = read_mot(a.mot) if a.mot else read_csv(a.csv)
    if len(frames) < 2:
        sys.exit("error: the trial has fewer than two frames")
    rate = a.rate or round((len(frames) - 1) / (frames[-1][1] - frames[0][1]), 3)

    def requests():
        yield pb.StreamRequest(open=pb.SessionOpen(session_id=a.session_id, body_mass_kg=a.body_mass, sample_rate_hz=rate,
                                                   channels=channels, model_id=a.model))
        for i in range(0, len(frames), a.frames_per_message):
            batch = [pb.Frame(seq=s, time_s=t, angles_deg=v) for s, t, v in frames[i:i + a.frames_per_message]]
            yield pb.StreamRequest(frames=pb.FrameBatch(frames=batch))

    metadata = [("x-api-key", a.api_key)] if a.api_key else None
    started = time.perf_counter()
    accepted, estimates, warnings = None, [], []
    with grpc.insecure_channel(a.server) as channel:
        stub = rpc.GaitStreamStub(channel)
        try:
            for r in stub.Stream(requests(), metadata=metadata):
                kind = r.WhichOneof("kind")
                if kind == "accepted":
                    accepted = r.accepted
                elif kind == "estimates":
                    estimates.extend(r.estimates.estimates)
                elif kind == "warning":
                    warnings.append(r.warning)
        except grpc.RpcError as e:
            sys.exit(f"error: the server ended the session: {e.code().name}: {e.details()}")
    elapsed = time.perf_counter() - started
    outputs = [o.name for o in accepted.model.outputs]
    units = [o.unit for o in accepted.model.outputs]
    print(f"model {accepted.model.id} ({accepted.model.architecture}, {accepted.model_rate_hz:g} Hz, window {accepted.window_frames}); "
          f"{len(frames)} frames sent at {rate:g} Hz, {len(estimates)} estimates, {len(warnings)} warnings in {elapsed:.2f} s")
    for w in warnings:
        print(f"  warning {pb.WarningCode.Name(w.code)} at frame {w.seq}: {w.message}")
    if estimates:
        last = estimates[-1]
        print(f"  last estimate (frame {last.seq}, t = {last.time_s:.3f} s):")
        for name, unit, value in zip(outputs, units, last.values):
            print(f"    {name:28s} {value:9.2f} {unit}")
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            json.dump({"model": accepted.model.id, "outputs": outputs, "units": units, "rate_hz": rate,
                       "warnings": [{"code": pb.WarningCode.Name(w.code), "seq": w.seq, "message": w.message} for w in warnings],
                       "estimates": [{"seq": e.seq, "time_s": e.time_s, "values": list(e.values), "values_per_kg": list(e.values_per_kg)}
                                     for e in estimates]}, f)


if __name__ == "__main__":
    main()
