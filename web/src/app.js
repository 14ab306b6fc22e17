// The phone page: one more client of purrd's MQTT topic API (docs/mqtt.md),
// over WebSocket on this page's own /mqtt, logged in as the paired phone
// user. Nothing here is a second API: every button is a cmd/<verb>, every
// figure comes from the retained state or a response.
// u8-mqtt (MQTT 3.1.1 over the browser's own WebSocket, 15 KB) rather than
// mqtt.js: mqtt.js's 350 KB of Node polyfills took the main thread for
// ~100 ms at every open, and the socket's open event waited behind it.
import mqtt from "u8-mqtt/esm/web/v4.js";
import { STRINGS } from "./strings.js";

const $ = (id) => document.getElementById(id);
const base = document.querySelector('meta[name="purrd-base"]').content;
// en or zh, as the browser's first language says.
const lang = /^zh/i.test((navigator.languages && navigator.languages[0]) || navigator.language || "") ? "zh" : "en";
const T = STRINGS[lang];
const t = (k, ...a) => (T[k] || STRINGS.en[k] || k).replace(/\{(\d)\}/g, (_, i) => a[i]);

// Timings for the page-open-to-live-state figure (daemon/web's benchmark).
window.purrd = { scriptAt: performance.now(), connectAt: 0, stateAt: 0, connects: 0, reconnects: 0, streamed: 0 };

document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
for (const k of ["energy", "affection", "fullness", "play"]) $("need-" + k).setAttribute("aria-label", t(k));
document.querySelector("nav.tabs").setAttribute("aria-label", t("sections"));
$("needs-list").setAttribute("aria-label", t("needs"));
document.title = t("title");

// --- login: the pairing QR puts it in the fragment (#u=…&p=…), which never
// reaches a server log; it is kept in this browser and removed from the bar.
const KEY = "purrd.login." + base;
function takeFragment() {
  const f = new URLSearchParams(location.hash.slice(1));
  if (f.get("p")) {
    localStorage.setItem(KEY, JSON.stringify({ u: f.get("u") || "phone", p: f.get("p") }));
    history.replaceState(null, "", location.pathname + location.search);
  }
}
function login() {
  try { return JSON.parse(localStorage.getItem(KEY)); } catch { return null; }
}

let client = null; // the u8-mqtt client of the current connection
let sock = null; // and its WebSocket
let live = false; // CONNACK accepted, subscriptions sent
let stopped = false; // logged out or refused: no reconnect
let retryTimer = 0;
let state = null;
let everConnected = false;
let lastSettings = "";
// Publishes made while offline, sent on the next connect if that comes
// before the page has told the owner "no answer" (ANSWER_MS): a command
// reported unanswered must not happen later.
const outbox = [];
const ANSWER_MS = 20000;

function showPair(err) {
  $("app").hidden = true;
  $("pair").hidden = false;
  $("pair-error").textContent = err || "";
}

function start() {
  takeFragment();
  const cred = login();
  if (!cred) return showPair();
  $("pair").hidden = true;
  $("app").hidden = false;
  hangUp();
  stopped = false;
  setConn("connecting", t("connecting"));
  dial(cred);
}

// dial makes one connection: a fresh client on a fresh WebSocket. Its end,
// at any stage (refused socket, lost network, purrd restarting, a ping
// unanswered), schedules the next dial a second later.
function dial(cred) {
  clearTimeout(retryTimer);
  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/mqtt";
  const ws = new WebSocket(url, ["mqtt"]);
  // keep_alive 0: no pings of u8-mqtt's own, which never notices a missing
  // answer; the page's ping below does.
  const c = mqtt({ keep_alive: 0, sess_stg: null });
  c.log_conn = undefined;
  c.on_disconnect = () => {}; // the socket's close event decides
  c.on_topic("*", (pkt) => onMessage(pkt.topic, pkt.utf8()));
  client = c;
  sock = ws;
  let ended = false;
  let pinger = 0;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(pinger);
    clearTimeout(opening);
    if (client !== c) return;
    live = false;
    if (stopped) return;
    setConn("down", t("reconnecting"));
    retryTimer = setTimeout(() => dial(cred), 1000);
  };
  const opening = setTimeout(() => ws.close(), 8000); // no CONNACK in 8 s
  ws.addEventListener("close", end);
  c.with_websock(ws);
  c.connect({
    client_id: "page-" + Math.random().toString(16).slice(2, 10),
    flags: { clean_start: true }, keep_alive: 30, username: cred.u, password: cred.p,
  }).then(() => {
    clearTimeout(opening);
    if (client !== c || ended) return;
    live = true;
    window.purrd.connects++;
    if (!window.purrd.connectAt) window.purrd.connectAt = performance.now();
    setConn("connected", t("connected"));
    if (everConnected) {
      window.purrd.reconnects++;
      toast(t("reconnected"));
    }
    everConnected = true;
    // Back to back, QoS 1, as any phone app would (the broker grants all).
    for (const s of ["/state", "/availability", "/reply", "/response/#", "/event/mind"]) c.subscribe(base + s, { qos: 1 }).catch(ignore);
    for (const { m, at } of outbox.splice(0)) if (Date.now() - at < ANSWER_MS) c.pub(m).catch(ignore);
    pinger = setInterval(async () => {
      const [pong] = await c.ping(); // a missing answer expires in ~5 s
      if (!pong && client === c) ws.close();
    }, 20000);
  }, (e) => {
    const code = e && e.reason !== undefined ? +e.reason : 0;
    if (code === 4 || code === 5) { // bad user name or password, not authorised
      stopped = true;
      localStorage.removeItem(KEY);
      showPair(t("bad_login"));
    }
    ws.close();
  });
}

// publish sends at QoS 1 now, or on the next connect when offline.
function publish(topic, payload) {
  const m = { topic, payload, qos: 1 };
  if (live) client.pub(m).catch(ignore);
  else outbox.push({ m, at: Date.now() });
}

// A publish or subscribe cut off by a lost connection: the socket's close
// already reconnects, and a command left unanswered says so after 20 s.
function ignore() {}

// hangUp says goodbye (DISCONNECT) on a live connection, then closes it.
function hangUp() {
  stopped = true;
  clearTimeout(retryTimer);
  const ws = sock;
  if (client && live) {
    const close = () => ws.close();
    client.disconnect().then(close, close);
    setTimeout(close, 500);
  } else if (ws) ws.close();
  client = sock = null;
  live = false;
}

function setConn(s, text) {
  const c = $("conn");
  c.dataset.state = s;
  c.textContent = text;
}

let toastTimer = 0;
function toast(text) {
  const el = $("toast");
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 4000);
}

// --- commands: one id each, answered exactly once on response/<verb>.
const pending = new Map();
let seq = 0;
function send(verb, fields, topic) {
  const id = "page-" + Date.now().toString(36) + "-" + (seq++);
  return new Promise((resolve) => {
    pending.set(id, resolve);
    publish(topic || base + "/cmd/" + verb, JSON.stringify({ id, ...fields }));
    setTimeout(() => {
      if (pending.delete(id)) resolve({ status: "error", error: t("no_answer") });
    }, ANSWER_MS);
  });
}

function onMessage(topic, text) {
  const sub = topic.slice(base.length + 1);
  let v;
  if (sub === "availability") {
    $("offline").hidden = text !== "offline";
    $("offline").textContent = t("cat_offline", state ? state.name : "");
    return;
  }
  try { v = JSON.parse(text); } catch { return; }
  if (sub === "state") return showState(v);
  if (sub === "reply") return onReply(v);
  if (sub.startsWith("response/")) {
    const r = pending.get(v.id);
    if (r) {
      pending.delete(v.id);
      r(v);
    }
    if (sub === "response/chat") onChatResponse(v);
  }
}

// --- the cat, live from the retained state.
function pct(x) { return Math.round((x || 0) * 100) + " %"; }
function showState(s) {
  const first = !state;
  state = s;
  $("title").textContent = s.name || "purrd";
  $("mood").textContent = t("mood_" + s.mood) || s.mood;
  $("moodline").textContent = s.mood_line && s.mood_line !== s.mood ? s.mood_line : "";
  $("asleep").hidden = !s.asleep;
  $("asleep").textContent = t("asleep");
  const b = s.battery;
  $("battery").hidden = !b;
  if (b) $("battery").textContent = (b.charging ? "⚡ " : "🔋 ") + Math.round(b.percent) + " %";
  for (const k of ["energy", "affection", "fullness", "play"]) {
    $("need-" + k).value = s.needs[k];
    $("need-" + k + "-v").textContent = pct(s.needs[k]);
  }
  const cat = $("cat");
  const body = s.body || {};
  const face = s.asleep ? "sleepy" : body.face || "neutral";
  cat.setAttribute("class", "face-" + face + (s.asleep ? " asleep" : "") +
    (s.hardware && s.hardware.board === "sim" ? " sim" : ""));
  cat.dataset.face = face;
  $("touch-back").hidden = !(s.hardware && s.hardware.board === "sim");
  const root = document.documentElement.style;
  if (body.eyes && body.eyes !== "#000000") root.setProperty("--eyes", body.eyes);
  root.setProperty("--eye-op", body.eyes ? String(0.35 + 0.65 * (body.eye_brightness || 0)) : "1");
  $("cat-desc").textContent = t("cat_desc", s.name, t("mood_" + s.mood) || s.mood, t("face_" + face) || face, body.eyes || "");
  // Status
  const br = s.brain || {};
  $("st-brain").textContent = br.name + (br.model ? " (" + br.model + ")" : "") + " · " + br.state + (br.reason ? " — " + br.reason : "");
  const hw = s.hardware || {};
  const bad = (hw.devices || []).filter((d) => !d.ok).map((d) => d.device);
  $("st-health").textContent = (hw.ok ? t("ok") : t("degraded", bad.join(", "))) + " · " + hw.board;
  $("st-version").textContent = s.version;
  $("st-uptime").textContent = Math.round(s.uptime_s / 60) + " min";
  const score = s.owner_score;
  $("st-score").textContent = score ? t("score_v", score.mean.toFixed(2), score.count) : t("score_none");
  // Settings: fill in once, and again when another phone changed them.
  const now = JSON.stringify([s.name, s.volume, s.persona]);
  if (now !== lastSettings) {
    lastSettings = now;
    $("set-name").value = s.name || "";
    $("set-volume").value = s.volume;
    const p = (s.persona || "").toLowerCase();
    if (![...$("set-persona").options].some((o) => o.value === p)) $("set-persona").add(new Option(s.persona, p));
    $("set-persona").value = p;
  }
  if (first) {
    window.purrd.stateAt = performance.now();
    document.body.dataset.live = "1";
  }
}

// --- actions
for (const btn of document.querySelectorAll(".actions button")) {
  btn.addEventListener("click", async () => {
    btn.disabled = true;
    const r = await send(btn.dataset.verb, {});
    btn.disabled = false;
    $("act-result").textContent = r.status === "ok" ? t("did_" + btn.dataset.verb, t("mood_" + r.data.mood) || r.data.mood) : r.error;
  });
}
async function touch(zone) {
  const r = await send("sim", { arg: zone }, base + "/sim/touch");
  window.purrd.touches = (window.purrd.touches || 0) + 1;
  $("act-result").textContent = r.status === "ok" ? t("touched", t("zone_" + zone)) : r.error;
}
for (const z of document.querySelectorAll("#cat .zone")) {
  z.setAttribute("tabindex", "0");
  z.setAttribute("role", "button");
  z.setAttribute("aria-label", t("touch_zone", t("zone_" + z.dataset.zone)));
  z.addEventListener("click", () => touch(z.dataset.zone));
  z.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") touch(z.dataset.zone); });
}
$("touch-back").textContent = t("touch_zone", t("zone_back"));
$("touch-back").addEventListener("click", () => touch("back"));

// --- chat: the reply streams in on <base>/reply, chunk by chunk.
const chats = new Map(); // command id -> the cat's bubble
function bubble(cls, text) {
  const li = document.createElement("li");
  li.className = cls;
  li.textContent = text;
  $("chat-log").append(li);
  li.scrollIntoView({ block: "end" });
  return li;
}
$("chat-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $("chat-input").value.trim();
  if (!text || stopped) return;
  $("chat-input").value = "";
  bubble("me", text);
  const cat = bubble("cat", "");
  cat.setAttribute("aria-busy", "true");
  const id = "chat-" + Date.now().toString(36) + "-" + (seq++);
  chats.set(id, cat);
  // No lang: the cat answers in the language the owner wrote in.
  publish(base + "/cmd/chat", JSON.stringify({ id, text }));
});
const seen = new Set();
function onReply(v) {
  const li = chats.get(v.command_id);
  if (!li) return; // another phone's chat: the household shares the topics
  const k = v.id + "/" + v.seq;
  if (seen.has(k)) return; // QoS 1: a chunk may come twice
  seen.add(k);
  if (v.final) {
    // The final chunk carries the whole reply (fillers left out), not new
    // words: it replaces what streamed in.
    if (v.text) li.textContent = v.text;
    li.setAttribute("aria-busy", "false");
  } else if (v.text) {
    window.purrd.streamed++;
    li.textContent += (li.textContent && !/[\u3000-\u9fff\uff00-\uffef]$/.test(li.textContent) ? " " : "") + v.text;
  }
  li.scrollIntoView({ block: "end" });
}
function onChatResponse(v) {
  const li = chats.get(v.id);
  if (!li) return;
  li.setAttribute("aria-busy", "false");
  if (v.status !== "ok") {
    li.textContent = v.error;
    li.classList.add("err");
  } else {
    if (!li.textContent && v.data && v.data.text) li.textContent = v.data.text;
    // A cancelled reply was never finished: there is nothing to rate.
    if (v.data && v.data.reply_id && !v.data.cancelled) li.after(rateRow(v.data.reply_id));
  }
}

// --- rating: the owner's score of each reply is the real score of the
// cat's words (cmd/rate); the face chosen stays lit.
const FACES = [["😿", 0], ["🙂", 1], ["😻", 2]];
function rateRow(replyId) {
  const row = document.createElement("li");
  row.className = "rate";
  row.setAttribute("role", "group");
  row.setAttribute("aria-label", t("rate_q"));
  for (const [face, score] of FACES) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = face;
    b.dataset.score = String(score);
    b.setAttribute("aria-label", t("rate_" + score));
    b.setAttribute("aria-pressed", "false");
    b.addEventListener("click", async () => {
      const r = await send("rate", { reply_id: replyId, score });
      if (r.status !== "ok") return toast(r.error);
      for (const o of row.querySelectorAll("button")) o.setAttribute("aria-pressed", String(o === b));
      toast(t("rated", t("rate_" + score)));
    });
    row.append(b);
  }
  return row;
}

// --- memory
async function loadMemory(r) {
  r = r || (await send("memory", {}));
  const list = $("mem-list");
  list.replaceChildren();
  if (r.status !== "ok") return ($("mem-result").textContent = r.error);
  for (const f of r.data.facts) {
    const li = document.createElement("li");
    const span = document.createElement("span");
    span.textContent = f.text;
    const b = document.createElement("button");
    b.type = "button";
    b.className = "danger";
    b.textContent = t("forget");
    b.setAttribute("aria-label", t("forget_one", f.text));
    b.addEventListener("click", async () => {
      const x = await send("forget", { key: f.key });
      $("mem-result").textContent = x.status === "ok" ? t("forgot", 1) : x.error;
      loadMemory(x.status === "ok" ? x : null);
    });
    li.append(span, b);
    list.append(li);
  }
  $("mem-empty").hidden = r.data.facts.length > 0;
}
$("mem-refresh").addEventListener("click", () => loadMemory());
$("mem-forget-all").addEventListener("click", async () => {
  if (!confirm(t("forget_all_q"))) return;
  const x = await send("forget", {});
  $("mem-result").textContent = x.status === "ok" ? t("forgot", x.data.forgot || 0) : x.error;
  loadMemory(x.status === "ok" ? x : null);
});

// --- settings
$("set-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = { volume: Number($("set-volume").value) };
  const name = $("set-name").value.trim();
  if (name && state && name !== state.name) f.name = name;
  const p = $("set-persona").value;
  if (p && state && p !== (state.persona || "").toLowerCase()) f.persona = p;
  const r = await send("set", f);
  $("set-result").textContent = r.status === "ok" ? t("saved") : r.error;
});
$("logout").addEventListener("click", () => {
  localStorage.removeItem(KEY);
  hangUp();
  showPair();
});

// --- pairing by hand (when the QR cannot be scanned)
$("login").addEventListener("submit", (e) => {
  e.preventDefault();
  localStorage.setItem(KEY, JSON.stringify({ u: $("login-user").value.trim() || "phone", p: $("login-pass").value }));
  start();
});

// --- tabs, one thumb: the bar is at the bottom.
for (const b of document.querySelectorAll(".tabs button")) {
  b.addEventListener("click", () => {
    for (const o of document.querySelectorAll(".tabs button")) {
      const on = o === b;
      if (on) o.setAttribute("aria-current", "page");
      else o.removeAttribute("aria-current");
      $("tab-" + o.dataset.tab).hidden = !on;
    }
    if (b.dataset.tab === "memory" && live) loadMemory();
    if (b.dataset.tab === "chat") $("chat-input").focus();
  });
}

start();
