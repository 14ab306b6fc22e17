"""A phone app's MQTT session against purrd's embedded broker.

Run by daemon/mqtt's tests (phone_test.go) with the venv built from
requirements.txt. Paho is what many MQTT phone apps and dashboards use;
it subscribes and publishes the way they do (ids counting up from 1,
no waiting between SUBSCRIBEs). Prints one JSON object on stdout.

    phone.py SCENARIO HOST PORT USER PASSWORD BASE [ARGS...]
"""

import json
import sys
import threading
import time

import paho.mqtt.client as mqtt

V2 = mqtt.CallbackAPIVersion.VERSION2


def client(user, password, cid=""):
    c = mqtt.Client(V2, client_id=cid, protocol=mqtt.MQTTv311, clean_session=True)
    c.reconnect_delay_set(min_delay=0.05, max_delay=0.05)  # loop_stop waits out this delay
    if user or password is not None:
        c.username_pw_set(user or None, password)
    return c


def connect(c, host, port, timeout=10.0):
    """Connects and returns the CONNACK code (an int, 3.1.1's 0-5)."""
    done = threading.Event()
    got = {}

    def on_connect(cl, userdata, flags, rc, props):
        got["rc"] = rc.value if hasattr(rc, "value") else int(rc)
        done.set()

    def on_disconnect(cl, userdata, flags, rc, props):
        got.setdefault("rc", rc.value if hasattr(rc, "value") else int(rc))
        got["dropped"] = True
        done.set()

    c.on_connect, c.on_disconnect = on_connect, on_disconnect
    c.connect(host, port, keepalive=30)
    c.loop_start()
    if not done.wait(timeout):
        got["rc"] = -1
    return got["rc"]


def subscribe5(host, port, user, password, base, runs):
    """Five QoS 1 SUBSCRIBEs back to back, right after CONNACK, while the
    first one's retained messages stream in: every filter must be granted."""
    topics = [base + "/#", base + "/state", base + "/availability", base + "/response/#", base + "/reply"]
    all_granted, codes, took = 0, {}, []
    for run in range(runs):
        c = client(user, password, "phone-sub5-%d" % run)
        acks = {}
        got_all = threading.Event()
        retained = [0]

        def on_subscribe(cl, userdata, mid, rcs, props):
            acks[mid] = [r.value if hasattr(r, "value") else int(r) for r in rcs]
            if len(acks) == len(topics):
                got_all.set()

        def on_message(cl, userdata, m):
            if m.retain:
                retained[0] += 1

        c.on_subscribe, c.on_message = on_subscribe, on_message
        rc = connect(c, host, port)
        if rc != 0:
            print(json.dumps({"error": "connect refused", "rc": rc}))
            return 1
        t0 = time.monotonic()
        for t in topics:
            c.subscribe(t, qos=1)
        ok = got_all.wait(10)
        took.append(time.monotonic() - t0)
        flat = [x for v in acks.values() for x in v]
        for x in flat:
            codes[str(x)] = codes.get(str(x), 0) + 1
        if ok and len(flat) == len(topics) and all(x == 1 for x in flat):
            all_granted += 1
        c.disconnect()
        c.loop_stop()
    took.sort()
    print(json.dumps({"runs": runs, "all_granted": all_granted, "codes": codes,
                      "p50_ms": round(took[len(took) // 2] * 1000, 2),
                      "max_ms": round(took[-1] * 1000, 2)}))
    return 0


def oversize(host, port, user, password, base, size):
    """A command far over every limit, QoS 1: the app must get its PUBACK
    (or it re-sends on every reconnect) and an answer on response/."""
    c = client(user, password, "phone-oversize")
    answers, acked, drops = [], threading.Event(), [0]
    c.on_message = lambda cl, u, m: answers.append(json.loads(m.payload))
    c.on_publish = lambda cl, u, mid, rc, props: acked.set()
    rc = connect(c, host, port)
    if rc != 0:
        print(json.dumps({"error": "connect refused", "rc": rc}))
        return 1
    c.on_disconnect = lambda cl, u, f, rc, p: drops.__setitem__(0, drops[0] + 1)
    sub = threading.Event()
    c.on_subscribe = lambda cl, u, mid, rcs, p: sub.set()
    c.subscribe(base + "/response/#", qos=1)
    sub.wait(5)
    c.publish(base + "/cmd/chat", b"m" * size, qos=1)
    got_ack = acked.wait(5)
    deadline = time.monotonic() + 5
    while not answers and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    dropped = drops[0]
    c.disconnect()
    c.loop_stop()
    print(json.dumps({"puback": got_ack, "answers": answers, "disconnects": dropped}))
    return 0


def denied(host, port, user, password, base, count, size):
    """QoS 1 publishes on a topic the phone may not publish (the retained
    state): each costs the connection; the broker must not log payloads."""
    dropped = 0
    for i in range(count):
        c = client(user, password, "phone-denied")
        if connect(c, host, port) != 0:
            continue
        gone = threading.Event()
        c.on_disconnect = lambda cl, u, f, rc, p: gone.set()
        c.publish(base + "/state", b"x" * size, qos=1)
        if gone.wait(5):
            dropped += 1
        c.disconnect()
        c.loop_stop()
    print(json.dumps({"published": count, "dropped": dropped}))
    return 0


def connack(host, port, user, password, base):
    """Just the CONNACK code."""
    c = client(user, password, "phone-connack")
    rc = connect(c, host, port)
    c.disconnect()
    c.loop_stop()
    print(json.dumps({"rc": rc}))
    return 0


def suback(host, port, user, password, base, topic):
    c = client(user, password, "phone-suback")
    if connect(c, host, port) != 0:
        print(json.dumps({"error": "connect refused"}))
        return 1
    got = threading.Event()
    codes = []

    def on_subscribe(cl, userdata, mid, rcs, props):
        codes.extend(r.value if hasattr(r, "value") else int(r) for r in rcs)
        got.set()

    c.on_subscribe = on_subscribe
    c.subscribe(topic, qos=1)
    got.wait(5)
    c.disconnect()
    c.loop_stop()
    print(json.dumps({"codes": codes}))
    return 0


def qos2(host, port, user, password, base, count):
    """QoS 2 and QoS 1 commands right after a SUBSCRIBE that sets off
    retained deliveries: each must complete its handshake (PUBACK, or
    PUBREC/PUBREL/PUBCOMP) and be answered once."""
    c = client(user, password, "phone-qos2")
    answers, done = [], []
    c.on_message = lambda cl, u, m: answers.append(json.loads(m.payload)) if "/response/" in m.topic else None
    c.on_publish = lambda cl, u, mid, rc, props: done.append(mid)
    if connect(c, host, port) != 0:
        print(json.dumps({"error": "connect refused"}))
        return 1
    c.subscribe(base + "/#", qos=1)
    for i in range(count):
        c.publish(base + "/cmd/ping", json.dumps({"id": "q%d" % i}), qos=2 if i % 2 == 0 else 1)
    deadline = time.monotonic() + 10
    while (len(done) < count or len(answers) < count) and time.monotonic() < deadline:
        time.sleep(0.02)
    c.disconnect()
    c.loop_stop()
    print(json.dumps({"completed": len(done), "answered": sorted(a["id"] for a in answers)}))
    return 0


def main(argv):
    scenario, host, port, user, password, base = argv[1:7]
    port = int(port)
    rest = argv[7:]
    if password == "-":
        password = None
    if scenario == "subscribe5":
        return subscribe5(host, port, user, password, base, int(rest[0]))
    if scenario == "oversize":
        return oversize(host, port, user, password, base, int(rest[0]))
    if scenario == "denied":
        return denied(host, port, user, password, base, int(rest[0]), int(rest[1]))
    if scenario == "connack":
        return connack(host, port, user, password, base)
    if scenario == "qos2":
        return qos2(host, port, user, password, base, int(rest[0]))
    if scenario == "suback":
        return suback(host, port, user, password, base, rest[0])
    print("unknown scenario " + scenario, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
