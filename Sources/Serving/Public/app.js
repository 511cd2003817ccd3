// Digits page: draw or upload, POST a PNG to the JSON API, show what the model saw and read.
// Plain ES2020, no dependencies; loaded as an external file because the CSP forbids inline script.
'use strict';

(() => {
  const PREDICT_DELAY_MS = 550;     // pause after the last stroke before reading it
  const LINE_WIDTH = 0.065;         // stroke width as a fraction of the pad's shorter side (MNIST-like)
  const EXPORT_HEIGHT = 336;        // the PNG sent: this tall, as wide as the pad's shape (about 12 px per MNIST px)
  const PREVIEW_MAX_PIXELS = 40e6;  // the server's limit: bigger images are refused, so not decoded here either
  const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

  const $ = (id) => document.getElementById(id);
  const el = {
    workspace: $('workspace'), tabs: [$('tab-digit'), $('tab-number')],
    pad: $('pad'), ink: $('ink'),
    inputHeading: $('input-heading'), inputHint: $('input-hint'),
    undo: $('undo'), clear: $('clear'), recognize: $('recognize'), file: $('file'),
    message: $('message'), empty: $('empty-state'),
    digitResult: $('digit-result'), seen: $('seen'), answerDigit: $('answer-digit'),
    answerConfidence: $('answer-confidence'), probs: $('probs'),
    numberResult: $('number-result'), answerNumber: $('answer-number'),
    numberConfidence: $('number-confidence'), cards: $('digit-cards'),
    latency: $('latency'), modelInfo: $('model-info'), limitText: $('limit-text'),
    dropOverlay: $('drop-overlay'), announce: $('announce'),
  };

  // Each mode keeps its own drawing, upload and last result, so switching tabs loses nothing.
  const modes = {
    digit: { strokes: [], upload: null, result: null, error: null },
    number: { strokes: [], upload: null, result: null, error: null },
  };
  let mode = 'digit';
  let active = null;          // the stroke being drawn: { pointerId, points }
  let predictTimer = 0;
  let inflight = null;        // AbortController of the request in flight
  let requestSeq = 0;
  let drawQueued = false;
  let maxUploadBytes = 0;     // from /api/v1/models when the server states it
  let responses = 0;          // exposed as data-responses so tests can wait for a fresh answer

  const current = () => modes[mode];

  // ---------- Drawing ----------

  function padSize() {
    const r = el.pad.getBoundingClientRect();
    return { w: r.width, h: r.height, left: r.left, top: r.top };
  }

  function resizeCanvas() {
    const { w, h } = padSize();
    const dpr = Math.min(window.devicePixelRatio || 1, 3);
    const cw = Math.max(1, Math.round(w * dpr));
    const ch = Math.max(1, Math.round(h * dpr));
    if (el.ink.width !== cw || el.ink.height !== ch) {
      el.ink.width = cw;
      el.ink.height = ch;
    }
    redraw();
  }

  // Strokes are stored in pad-relative coordinates (0…1), so they survive resizes and export at any size.
  function paint(ctx, width, height, strokes) {
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.strokeStyle = '#000000';
    ctx.fillStyle = '#000000';
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    const lw = LINE_WIDTH * Math.min(width, height);
    ctx.lineWidth = lw;
    for (const stroke of strokes) {
      const pts = stroke.points;
      if (pts.length === 0) continue;
      if (pts.length === 1) {
        ctx.beginPath();
        ctx.arc(pts[0][0] * width, pts[0][1] * height, lw / 2, 0, Math.PI * 2);
        ctx.fill();
        continue;
      }
      // Quadratic curves through the midpoints smooth the polyline without overshooting.
      ctx.beginPath();
      ctx.moveTo(pts[0][0] * width, pts[0][1] * height);
      for (let i = 1; i < pts.length - 1; i++) {
        const mx = (pts[i][0] + pts[i + 1][0]) / 2;
        const my = (pts[i][1] + pts[i + 1][1]) / 2;
        ctx.quadraticCurveTo(pts[i][0] * width, pts[i][1] * height, mx * width, my * height);
      }
      const last = pts[pts.length - 1];
      ctx.lineTo(last[0] * width, last[1] * height);
      ctx.stroke();
    }
    ctx.restore();
  }

  function allStrokes() {
    const s = current().strokes;
    return active ? s.concat([active]) : s;
  }

  // An uploaded image is shown on the pad itself (fitted, on white): the CSP allows no blob: or data: images.
  function paintUpload(ctx, width, height, bitmap) {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    if (!bitmap) {
      ctx.fillStyle = '#6b7480';
      ctx.font = `${Math.round(Math.min(width, height) / 14)}px system-ui, sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText('No preview for this file', width / 2, height / 2);
      return;
    }
    const scale = Math.min(width / bitmap.width, height / bitmap.height);
    const w = bitmap.width * scale;
    const h = bitmap.height * scale;
    ctx.imageSmoothingEnabled = scale < 1;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, (width - w) / 2, (height - h) / 2, w, h);
  }

  function redraw() {
    const ctx = el.ink.getContext('2d');
    const upload = current().upload;
    if (upload) paintUpload(ctx, el.ink.width, el.ink.height, upload.bitmap);
    else paint(ctx, el.ink.width, el.ink.height, allStrokes());
  }

  function queueRedraw() {
    if (drawQueued) return;
    drawQueued = true;
    requestAnimationFrame(() => { drawQueued = false; redraw(); });
  }

  function pointFrom(event) {
    const { w, h, left, top } = padSize();
    const x = Math.min(1, Math.max(0, (event.clientX - left) / w));
    const y = Math.min(1, Math.max(0, (event.clientY - top) / h));
    return [x, y];
  }

  function onPointerDown(event) {
    if (active || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    clearTimeout(predictTimer);
    if (current().upload) dropUpload();       // drawing replaces an uploaded image
    active = { pointerId: event.pointerId, points: [pointFrom(event)] };
    try { el.pad.setPointerCapture(event.pointerId); } catch (_) { /* pointer already gone */ }
    updateControls();
    queueRedraw();
  }

  function onPointerMove(event) {
    if (!active || event.pointerId !== active.pointerId) return;
    event.preventDefault();
    const events = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
    for (const e of (events.length ? events : [event])) {
      const p = pointFrom(e);
      const last = active.points[active.points.length - 1];
      if (Math.abs(p[0] - last[0]) + Math.abs(p[1] - last[1]) > 0.002) active.points.push(p);
    }
    queueRedraw();
  }

  function onPointerEnd(event) {
    if (!active || event.pointerId !== active.pointerId) return;
    if (event.type === 'pointerup') active.points.push(pointFrom(event));
    current().strokes.push({ points: active.points });
    active = null;
    queueRedraw();
    updateControls();
    schedulePredict();
  }

  function schedulePredict() {
    clearTimeout(predictTimer);
    predictTimer = setTimeout(() => { recognizeCurrent(); }, PREDICT_DELAY_MS);
  }

  function exportDrawing() {
    const { w: padW, h: padH } = padSize();
    const h = EXPORT_HEIGHT;
    const w = Math.max(1, Math.min(4 * h, Math.round(h * (padH > 0 ? padW / padH : 1))));
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    paint(canvas.getContext('2d'), w, h, current().strokes);
    return new Promise((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser could not encode the drawing as PNG'))), 'image/png');
    });
  }

  function undo() {
    const m = current();
    if (m.upload) { dropUpload(); clearResult(); render(); return; }
    if (m.strokes.length === 0) return;
    m.strokes.pop();
    redraw();
    if (m.strokes.length) schedulePredict(); else { clearTimeout(predictTimer); cancelRequest(); clearResult(); }
    render();
  }

  function clearAll() {
    const m = current();
    clearTimeout(predictTimer);
    cancelRequest();
    m.strokes = [];
    dropUpload();
    clearResult();
    redraw();
    render();
  }

  // ---------- Uploads ----------

  function dropUpload() {
    const m = current();
    if (m.upload && m.upload.bitmap && typeof m.upload.bitmap.close === 'function') m.upload.bitmap.close();
    m.upload = null;
  }

  async function isPNG(blob) {
    const head = new Uint8Array(await blob.slice(0, 8).arrayBuffer());
    return PNG_SIGNATURE.every((b, i) => head[i] === b);
  }

  // Width × height from the IHDR chunk, so a huge PNG is not decoded in the browser just for its preview.
  async function pngPixels(blob) {
    const head = new DataView(await blob.slice(0, 24).arrayBuffer());
    return head.byteLength >= 24 ? head.getUint32(16) * head.getUint32(20) : 0;
  }

  // PNG files go to the server untouched; other image types the browser can decode are redrawn on white
  // and re-encoded as PNG here (the server accepts PNG only).
  async function toPNG(file) {
    if (await isPNG(file)) return { blob: file, converted: false };
    if (!file.type.startsWith('image/')) {
      throw new UserError(`“${file.name}” is not an image. Upload a PNG file.`);
    }
    let bitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch (_) {
      throw new UserError(`Your browser could not open “${file.name}” (${file.type}). Save it as PNG and upload that.`);
    }
    const canvas = document.createElement('canvas');
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(bitmap, 0, 0);
    if (typeof bitmap.close === 'function') bitmap.close();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new UserError(`“${file.name}” is too large to convert in the browser. Save it as PNG and upload that.`);
    return { blob, converted: true };
  }

  async function handleFile(file) {
    if (!file) return;
    clearTimeout(predictTimer);
    if (maxUploadBytes > 0 && file.size > maxUploadBytes) {
      current().error = { code: '', text: `“${file.name}” is ${formatBytes(file.size)}; the server accepts up to ${formatBytes(maxUploadBytes)}.`, detail: '', requestId: '' };
      render();
      setState('error');
      return;
    }
    let png;
    try {
      png = await toPNG(file);
    } catch (err) {
      current().error = { code: '', text: err instanceof UserError ? err.message : `Could not read “${file.name}”.`, detail: '', requestId: '' };
      render();
      setState('error');
      return;
    }
    let bitmap = null;
    try {
      if (await pngPixels(png.blob) <= PREVIEW_MAX_PIXELS) bitmap = await createImageBitmap(png.blob);
    } catch (_) { /* no preview; the server will say what is wrong with the file */ }
    const m = current();
    cancelRequest();
    dropUpload();
    m.strokes = [];
    m.upload = { blob: png.blob, bitmap, name: file.name };
    redraw();
    render();
    await recognize(png.blob, png.converted ? `Converted “${file.name}” to PNG in the browser.` : '');
  }

  class UserError extends Error {}

  // ---------- API ----------

  function cancelRequest() {
    if (inflight) inflight.abort();
    inflight = null;
  }

  async function recognizeCurrent() {
    const m = current();
    if (m.upload) return recognize(m.upload.blob, '');
    if (m.strokes.length === 0) return undefined;
    let blob;
    try {
      blob = await exportDrawing();
    } catch (err) {
      showMessage(String(err.message || err), { error: true });
      return undefined;
    }
    return recognize(blob, '');
  }

  async function recognize(blob, note) {
    cancelRequest();
    const controller = new AbortController();
    inflight = controller;
    const seq = ++requestSeq;
    const requestMode = mode;
    const url = requestMode === 'digit' ? '/api/v1/predict?top=3' : '/api/v1/read';
    setState('busy');
    const started = performance.now();
    let response;
    let body = null;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'image/png', Accept: 'application/json' },
        body: blob,
        signal: controller.signal,
      });
      const text = await response.text();
      try { body = text ? JSON.parse(text) : null; } catch (_) { body = null; }
    } catch (err) {
      if (controller.signal.aborted) return;
      finish(seq, requestMode, null, { code: 'network', text: 'Could not reach the server. Check your connection and that the server is running, then try again.' });
      return;
    }
    const roundTrip = performance.now() - started;
    if (controller.signal.aborted) return;
    if (!response.ok || !body || typeof body !== 'object' || body.error) {
      finish(seq, requestMode, null, describeError(response, body));
      return;
    }
    finish(seq, requestMode, { data: body, roundTrip, note }, null);
  }

  function describeError(response, body) {
    const serverText = body && typeof body.message === 'string' ? body.message : '';
    const code = body && typeof body.error === 'string' ? body.error : `http_${response.status}`;
    const requestId = body && typeof body.request_id === 'string' ? body.request_id : '';
    let text;
    switch (code) {
      case 'no_digit':
        text = mode === 'digit'
          ? 'No digit found. Write a bit larger and darker, or upload a clearer image.'
          : 'No digits found. Write them larger and darker, in one row.';
        break;
      case 'payload_too_large': text = 'That file is too large for the server.'; break;
      case 'image_too_large': text = 'That image has too many pixels. Scale it down and try again.'; break;
      case 'unsupported_media_type': text = 'The server accepts PNG images only.'; break;
      case 'unreadable_image': text = 'The server could not read that image; the PNG may be damaged or truncated.'; break;
      case 'overloaded': {
        const after = response.headers.get('Retry-After');
        text = `The server is busy right now. Please try again${after ? ` in ${after} s` : ' shortly'}.`;
        break;
      }
      default: text = `The request failed (HTTP ${response.status}).`;
    }
    return { code, text, detail: serverText, requestId };
  }

  function finish(seq, requestMode, result, error) {
    if (seq !== requestSeq) return;    // a newer request superseded this one
    inflight = null;
    const m = modes[requestMode];
    m.result = result;
    m.error = error;
    if (requestMode === mode) {
      render();
      announce(result ? result.data : null, requestMode);
    }
    setState(error ? 'error' : 'done');
    document.body.dataset.responses = String(++responses);
  }

  // One short sentence per answer for screen readers (errors are announced by the message area).
  function announce(data, requestMode) {
    if (!data) { el.announce.textContent = ''; return; }
    el.announce.textContent = requestMode === 'digit'
      ? `Read as ${data.digit}, ${percent(data.confidence)} confident.`
      : `Read as ${String(data.text || '').split('').join(' ')}, ${Array.isArray(data.digits) ? data.digits.length : 0} digits.`;
  }

  function clearResult() {
    const m = current();
    m.result = null;
    m.error = null;
    setState('idle');
  }

  function setState(state) {
    document.body.dataset.state = state;
    el.workspace.setAttribute('aria-busy', state === 'busy' ? 'true' : 'false');
  }

  // ---------- Rendering ----------

  function percent(p) {
    if (!(p >= 0)) return '–';
    if (p > 0 && p < 0.0001) return '<0.01 %';
    if (p < 1 && p >= 0.99995) return '>99.99 %';   // never claim a certainty the model did not give
    return `${(p * 100).toFixed(2)} %`;
  }

  function ms(v) {
    if (typeof v !== 'number' || !isFinite(v)) return '–';
    if (v < 1) return `${v.toFixed(3)} ms`;
    if (v < 10) return `${v.toFixed(2)} ms`;
    return `${v.toFixed(1)} ms`;
  }

  function formatBytes(n) {
    if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(n % (1 << 20) ? 1 : 0)} MiB`;
    if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
    return `${n} bytes`;
  }

  function drawPixels(canvas, input) {
    const ctx = canvas.getContext('2d');
    const w = input && input.width | 0;
    const h = input && input.height | 0;
    const px = input && Array.isArray(input.pixels) ? input.pixels : [];
    if (!w || !h || px.length !== w * h) { ctx.clearRect(0, 0, canvas.width, canvas.height); return; }
    canvas.width = w;
    canvas.height = h;
    const image = ctx.createImageData(w, h);
    for (let i = 0; i < px.length; i++) {
      const v = Math.max(0, Math.min(255, px[i] | 0));  // 255 = ink, shown white on black as the model sees it
      image.data[i * 4] = v;
      image.data[i * 4 + 1] = v;
      image.data[i * 4 + 2] = v;
      image.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }

  function renderProbabilities(probabilities, best) {
    el.probs.textContent = '';
    for (let d = 0; d < 10; d++) {
      const p = Number(probabilities[d]) || 0;
      const li = document.createElement('li');
      li.className = d === best ? 'prob top' : 'prob';
      const digit = document.createElement('span');
      digit.className = 'prob-digit';
      digit.textContent = String(d);
      const track = document.createElement('span');
      track.className = 'prob-track';
      track.setAttribute('aria-hidden', 'true');
      const bar = document.createElement('span');
      bar.className = 'prob-bar';
      bar.style.width = `${Math.max(0, Math.min(1, p)) * 100}%`;
      track.appendChild(bar);
      const value = document.createElement('span');
      value.className = 'prob-value';
      value.textContent = percent(p);
      const sr = document.createElement('span');
      sr.className = 'visually-hidden';
      sr.textContent = ':';
      li.append(digit, sr, track, value);
      el.probs.appendChild(li);
    }
  }

  function renderLatency(latency, roundTrip) {
    el.latency.textContent = '';
    const rows = [
      ['Decode', latency && latency.decode],
      ['Preprocess', latency && latency.preprocess],
      ['Inference', latency && latency.inference],
      ['Server total', latency && latency.total],
      ['Round trip', roundTrip],
    ];
    for (const [name, value] of rows) {
      if (typeof value !== 'number') continue;
      const div = document.createElement('div');
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.textContent = ms(value);
      div.append(dt, dd);
      el.latency.appendChild(div);
    }
    el.latency.hidden = el.latency.childElementCount === 0;
  }

  function renderDigit(data) {
    const digit = Number.isInteger(data.digit) ? data.digit : '?';
    el.answerDigit.textContent = String(digit);
    el.answerConfidence.textContent = percent(data.confidence);
    drawPixels(el.seen, data.input);
    el.seen.setAttribute('aria-label', `The 28 by 28 input the model saw, read as ${digit}`);
    renderProbabilities(Array.isArray(data.probabilities) ? data.probabilities : [], data.digit);
  }

  function renderNumber(data) {
    const digits = Array.isArray(data.digits) ? data.digits : [];
    el.answerNumber.textContent = typeof data.text === 'string' && data.text ? data.text : '–';
    el.numberConfidence.textContent = percent(data.confidence);
    el.cards.textContent = '';
    digits.forEach((d, i) => {
      const li = document.createElement('li');
      li.className = 'digit-card';
      const canvas = document.createElement('canvas');
      canvas.className = 'pixels';
      canvas.width = 28;
      canvas.height = 28;
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `Digit ${i + 1} as the model saw it`);
      drawPixels(canvas, d.input);
      const digit = document.createElement('p');
      digit.className = 'card-digit';
      digit.textContent = Number.isInteger(d.digit) ? String(d.digit) : '?';
      const conf = document.createElement('p');
      conf.className = 'card-conf';
      conf.textContent = percent(d.confidence);
      li.append(canvas, digit, conf);
      el.cards.appendChild(li);
    });
  }

  function showMessage(text, { error = false, detail = '', code = '', requestId = '' } = {}) {
    el.message.textContent = '';
    if (!text) { el.message.hidden = true; return; }
    el.message.className = error ? 'message error' : 'message';
    const main = document.createElement('p');
    main.textContent = text;
    el.message.appendChild(main);
    if (detail || code) {
      const extra = document.createElement('p');
      extra.className = 'code';
      extra.textContent = [detail, code && `(${code}${requestId ? `, request ${requestId}` : ''})`].filter(Boolean).join(' ');
      el.message.appendChild(extra);
    }
    el.message.hidden = false;
  }

  function render() {
    const m = current();
    const number = mode === 'number';
    el.workspace.dataset.mode = mode;
    el.inputHeading.textContent = number ? 'Write a number' : 'Write a digit';
    el.inputHint.textContent = number
      ? 'Write several digits in one row, left to right. They are read when you lift the pen.'
      : 'Draw one digit, large and centred. It is read when you lift the pen.';
    el.ink.setAttribute('aria-label', m.upload ? `Uploaded image ${m.upload.name}` : number
      ? 'Drawing area for a number: write digits with a mouse, finger or pen'
      : 'Drawing area for one digit: write with a mouse, finger or pen');
    el.ink.setAttribute('role', 'img');
    el.pad.classList.toggle('has-ink', m.strokes.length > 0 || !!active);
    el.pad.classList.toggle('has-upload', !!m.upload);

    const data = m.result && m.result.data;
    el.digitResult.hidden = !(data && !number);
    el.numberResult.hidden = !(data && number);
    el.empty.hidden = !!data || !!m.error;
    el.empty.textContent = number
      ? 'Nothing read yet. Write a number or upload a PNG of one.'
      : 'Nothing read yet. Draw a digit or upload a PNG to see what the model thinks.';
    if (data && !number) renderDigit(data);
    if (data && number) renderNumber(data);
    if (data) renderLatency(data.latency_ms, m.result.roundTrip); else el.latency.hidden = true;

    if (m.error) showMessage(m.error.text, { error: true, detail: m.error.detail, code: m.error.code, requestId: m.error.requestId });
    else if (m.result && m.result.note) showMessage(m.result.note);
    else showMessage('');
    updateControls();
  }

  function updateControls() {
    const m = current();
    const hasInput = m.strokes.length > 0 || !!m.upload;
    el.undo.disabled = !hasInput;
    el.clear.disabled = !hasInput && !m.result && !m.error;
    el.recognize.disabled = !hasInput;
    el.pad.classList.toggle('has-ink', m.strokes.length > 0 || !!active);
  }

  // ---------- Modes (tabs) ----------

  function selectMode(next, focus) {
    if (next === mode) return;
    clearTimeout(predictTimer);
    cancelRequest();
    if (active) { active = null; }
    mode = next;
    el.tabs.forEach((tab) => {
      const selected = tab.id === `tab-${mode}`;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      if (selected && focus) tab.focus();
    });
    el.workspace.setAttribute('aria-labelledby', `tab-${mode}`);
    render();
    setState(current().result ? 'done' : 'idle');
    // The pad changes shape with the mode; size the canvas after layout.
    requestAnimationFrame(resizeCanvas);
  }

  function onTabKey(event) {
    const order = ['digit', 'number'];
    const i = order.indexOf(mode);
    let next = null;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = order[(i + 1) % order.length];
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = order[(i + order.length - 1) % order.length];
    else if (event.key === 'Home') next = order[0];
    else if (event.key === 'End') next = order[order.length - 1];
    if (next) { event.preventDefault(); selectMode(next, true); }
  }

  // ---------- Drag and drop anywhere on the page ----------

  let dragDepth = 0;
  const carriesFiles = (event) => event.dataTransfer && Array.from(event.dataTransfer.types || []).includes('Files');

  function onDragEnter(event) {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    dragDepth++;
    el.dropOverlay.hidden = false;
  }
  function onDragOver(event) {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }
  function onDragLeave(event) {
    if (!carriesFiles(event)) return;
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) el.dropOverlay.hidden = true;
  }
  function onDrop(event) {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    dragDepth = 0;
    el.dropOverlay.hidden = true;
    const files = event.dataTransfer.files;
    if (files && files.length > 1) showMessage('Drop one image at a time; reading the first.');
    if (files && files.length) handleFile(files[0]);
  }

  // ---------- Model info ----------

  async function loadModelInfo() {
    try {
      const response = await fetch('/api/v1/models', { headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(String(response.status));
      const info = await response.json();
      const served = (info.models || []).find((m) => m.name === info.served) || {};
      const parts = [`Model: ${info.served || 'unknown'}`];
      if (typeof served.parameters === 'number') parts.push(`${served.parameters.toLocaleString('en-US')} parameters`);
      if (typeof served.macs === 'number') parts.push(`${served.macs.toLocaleString('en-US')} multiply-adds`);
      if (typeof served.weights_sha256 === 'string') parts.push(`weights ${served.weights_sha256.slice(0, 12)}…`);
      parts.push('int8');
      el.modelInfo.textContent = parts.join(' · ');
      const limit = info.limits && (info.limits.max_body_bytes || info.limits.max_upload_bytes);
      if (typeof limit === 'number' && limit > 0) {
        maxUploadBytes = limit;
        el.limitText.textContent = formatBytes(limit);
      }
    } catch (_) {
      el.modelInfo.textContent = 'Model: information unavailable';
    }
  }

  // ---------- Wiring ----------

  el.pad.addEventListener('pointerdown', onPointerDown);
  el.pad.addEventListener('pointermove', onPointerMove);
  el.pad.addEventListener('pointerup', onPointerEnd);
  el.pad.addEventListener('pointercancel', onPointerEnd);
  el.pad.addEventListener('lostpointercapture', onPointerEnd);
  el.undo.addEventListener('click', undo);
  el.clear.addEventListener('click', clearAll);
  el.recognize.addEventListener('click', () => { clearTimeout(predictTimer); recognizeCurrent(); });
  el.file.addEventListener('change', () => {
    const file = el.file.files && el.file.files[0];
    el.file.value = '';       // choosing the same file again must fire 'change'
    handleFile(file);
  });
  el.tabs.forEach((tab) => {
    tab.addEventListener('click', () => selectMode(tab.id.replace('tab-', ''), false));
    tab.addEventListener('keydown', onTabKey);
  });
  document.addEventListener('keydown', (event) => {
    const target = event.target;
    const typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
    if (!typing && (event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      undo();
    }
  });
  document.addEventListener('dragenter', onDragEnter);
  document.addEventListener('dragover', onDragOver);
  document.addEventListener('dragleave', onDragLeave);
  document.addEventListener('drop', onDrop);

  if (typeof ResizeObserver === 'function') new ResizeObserver(resizeCanvas).observe(el.pad);
  else window.addEventListener('resize', resizeCanvas);

  render();
  setState('idle');
  resizeCanvas();
  loadModelInfo();
})();
