// Classifies each chosen image with POST v1/classify, then asks POST v1/explain for its
// occlusion heatmap. Relative URLs, so the page works behind a path prefix too. An API key, when
// one is entered, goes in a header and sessionStorage: never in a URL, which logs and history keep.
'use strict';

const TOP_K = 5;
const KEY_STORAGE = 'resnet-serving.api-key';
const FORMATS = 'JPEG, PNG, GIF, BMP or WebP';

const input = document.getElementById('file-input');
const dropzone = document.getElementById('dropzone');
const results = document.getElementById('results');
const statusLine = document.getElementById('status');
const template = document.getElementById('card-template');
const notice = document.getElementById('notice');
const keyInput = document.getElementById('api-key');

keyInput.value = sessionStorage.getItem(KEY_STORAGE) || '';
keyInput.addEventListener('input', () => {
  const key = apiKey();
  if (key) {
    sessionStorage.setItem(KEY_STORAGE, key);
  } else {
    sessionStorage.removeItem(KEY_STORAGE);
  }
});
keyInput.addEventListener('change', showModel);

input.addEventListener('change', () => {
  handle(Array.from(input.files));
  input.value = '';
});

dropzone.addEventListener('dragover', (event) => {
  event.preventDefault();
  dropzone.classList.add('dragging');
});
dropzone.addEventListener('dragleave', () => dropzone.classList.remove('dragging'));
dropzone.addEventListener('drop', (event) => {
  event.preventDefault();
  dropzone.classList.remove('dragging');
  handle(Array.from(event.dataTransfer.files));
});

showModel();

async function showModel() {
  const info = document.getElementById('model-info');
  try {
    const response = await fetch('v1/models', {headers: authorization({})});
    if (!response.ok) {
      info.textContent = response.status === 401
        ? 'Enter the API key below to see the model\'s details and classify images.'
        : `The model's details are not available: ${await failure(response)}`;
      return;
    }
    const model = (await response.json()).models[0];
    info.textContent = `Model ${model.name}: ${model.classes} classes, ${model.inputSize}×${model.inputSize} crop, on ${model.devices.join(', ')}`;
  } catch (error) {
    info.textContent = 'The model\'s details are not available.';
  }
}

async function handle(files) {
  // A file the browser types as something else (a PDF, a text) is not sent: say so, by name.
  const isImage = (file) => file.type === '' || file.type.startsWith('image/');
  const images = files.filter(isImage);
  const others = files.filter((file) => !isImage(file)).map((file) => file.name);
  notice.hidden = others.length === 0;
  notice.textContent = others.length === 0 ? ''
    : `Not an image, so not sent: ${others.join(', ')}. Choose ${FORMATS} files.`;
  if (images.length === 0) {
    announce('None of those files is an image.');
    return;
  }
  // Newest choice first, each choice in its own order; one image at a time through the model.
  const cards = images.map(newCard);
  results.prepend(...cards);
  for (let i = 0; i < images.length; i++) {
    await classifyAndExplain(images[i], cards[i]);
  }
}

function newCard(file) {
  const card = template.content.firstElementChild.cloneNode(true);
  const thumbnail = card.querySelector('.thumbnail img');
  thumbnail.src = URL.createObjectURL(file);
  thumbnail.alt = file.name;
  card.querySelector('.file-name').textContent = file.name;
  return card;
}

async function classifyAndExplain(file, card) {
  announce(`Classifying ${file.name}…`);

  const top = await classify(file, card);
  if (top) {
    announce(`${file.name}: ${top.label}, ${percent(top.probability)}. Computing the heatmap…`);
    await explain(file, card, top);
  }
}

async function classify(file, card) {
  const list = card.querySelector('.predictions');
  const started = performance.now();
  try {
    const response = await post(`v1/classify?topK=${TOP_K}`, file, 'application/json');
    const elapsed = performance.now() - started;
    if (!response.ok) {
      throw new Error(await failure(response));
    }
    const predictions = (await response.json()).results[0].predictions;
    for (const prediction of predictions) {
      list.append(bar(prediction));
    }
    list.setAttribute('aria-busy', 'false');
    card.querySelector('.latency').textContent = `Classified in ${Math.round(elapsed)} ms`;
    return predictions[0];
  } catch (error) {
    list.setAttribute('aria-busy', 'false');
    fail(card, `${file.name} could not be classified: ${error.message}`);
    card.querySelector('.heatmap').remove();
    return null;
  }
}

async function explain(file, card, top) {
  const image = card.querySelector('.heatmap img');
  const caption = card.querySelector('.heatmap-caption');
  const started = performance.now();
  try {
    const response = await post(`v1/explain?target=${top.index}`, file, 'image/png');
    if (!response.ok) {
      throw new Error(await failure(response));
    }
    const seconds = (performance.now() - started) / 1000;
    image.src = URL.createObjectURL(await response.blob());
    image.alt = `Occlusion heatmap for ${top.label}`;
    image.hidden = false;
    caption.textContent = `Where the model looks for “${top.label}”: red regions, when hidden, `
      + `lower its probability; blue ones raise it. Computed in ${seconds.toFixed(1)} s.`;
    announce(`${file.name}: heatmap ready.`);
  } catch (error) {
    caption.textContent = `No heatmap: ${error.message}`;
    announce(`${file.name}: no heatmap.`);
  }
}

function post(url, file, accept) {
  return fetch(url, {
    method: 'POST',
    headers: authorization({'Content-Type': file.type || 'application/octet-stream', 'Accept': accept}),
    body: file,
  });
}

function apiKey() {
  return keyInput.value.trim();
}

function authorization(headers) {
  const key = apiKey();
  return key ? {...headers, 'X-API-Key': key} : headers;
}

// What went wrong, in words: the key and the quota are the user's to fix here, so say how.
async function failure(response) {
  if (response.status === 401) {
    return apiKey()
      ? 'the API key was not accepted: check the API key field'
      : 'the service needs an API key: enter it in the API key field';
  }
  if (response.status === 429) {
    const retryAfter = response.headers.get('Retry-After');
    const when = !retryAfter ? 'later'
      : /^\d+$/.test(retryAfter) ? `in ${retryAfter} s` : `after ${retryAfter}`;
    return `the API key's request quota is used up: try again ${when} (Retry-After)`;
  }
  return problem(response);
}

async function problem(response) {
  try {
    const body = await response.json();
    return body.detail || body.title || `HTTP ${response.status}`;
  } catch (error) {
    return `HTTP ${response.status}`;
  }
}

function bar(prediction) {
  const item = document.createElement('li');
  item.className = 'prediction';
  item.dataset.index = prediction.index;
  const label = document.createElement('span');
  label.className = 'label';
  label.textContent = prediction.label;
  const value = document.createElement('span');
  value.className = 'percent';
  value.textContent = percent(prediction.probability);
  const track = document.createElement('span');
  track.className = 'track';
  track.setAttribute('aria-hidden', 'true');
  const fill = document.createElement('span');
  fill.className = 'fill';
  fill.style.width = `${Math.min(100, prediction.probability * 100)}%`;
  track.append(fill);
  item.append(label, value, track);
  return item;
}

function percent(probability) {
  return `${(probability * 100).toFixed(1)}%`;
}

function fail(card, message) {
  const error = document.createElement('p');
  error.className = 'error';
  error.setAttribute('role', 'alert');
  error.textContent = message;
  card.querySelector('.classification').append(error);
}

function announce(message) {
  statusLine.textContent = message;
}
