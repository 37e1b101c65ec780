/** The studio's one page: layout, styles, and the elements the script fills. */
export const STUDIO_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>RLHF studio</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 12px 20px; color: #222; }
  h1 { font-size: 22px; margin: 4px 0; } h2 { font-size: 16px; margin: 14px 0 6px; }
  #status { padding: 6px 10px; background: #eef4fb; border-radius: 4px; }
  #error { padding: 8px 10px; background: #fde2e1; color: #8a1c13; border: 1px solid #e4a29d; border-radius: 4px; }
  .row { display: flex; gap: 12px; flex-wrap: wrap; align-items: stretch; }
  .card { flex: 1 1 300px; border: 1px solid #ccc; border-radius: 6px; padding: 10px; background: #fafafa; }
  .sample-text { min-height: 3em; white-space: pre-wrap; font-family: Georgia, serif; font-size: 16px; }
  button { font: inherit; padding: 5px 12px; cursor: pointer; } kbd { border: 1px solid #999; border-radius: 3px; padding: 0 4px; }
  input[type=text] { font: inherit; width: 100%; box-sizing: border-box; padding: 5px; }
  #fresh { columns: 2; font-family: Georgia, serif; } .muted { color: #666; font-size: 13px; }
</style>
</head>
<body>
<h1>RLHF studio <span class="muted" id="backend">loading…</span></h1>
<p class="muted">Compare two continuations, pick the better one, and train the model on your choices (DPO) — all in this browser, nothing is sent anywhere.</p>
<div id="error" role="alert" hidden></div>
<p id="status" aria-live="polite">Starting…</p>
<label for="prompt">Prompt</label>
<input type="text" id="prompt" value="Once upon a time">
<p><button id="sample">Sample two</button> <span id="count" class="muted"></span> <span id="restored" class="muted"></span></p>
<div id="pair" class="row" hidden>
  <div class="card sample" id="sample-a"><strong>A</strong> <span class="muted reward-score" id="score-a"></span><div class="sample-text" id="text-a"></div><button id="choose-a">A is better <kbd>1</kbd></button></div>
  <div class="card sample" id="sample-b"><strong>B</strong> <span class="muted reward-score" id="score-b"></span><div class="sample-text" id="text-b"></div><button id="choose-b">B is better <kbd>2</kbd></button></div>
</div>
<p><button id="choose-tie">Tie <kbd>T</kbd></button> <button id="choose-skip">Skip <kbd>S</kbd></button></p>
<h2>Train</h2>
<p><label>Epochs <input type="number" id="epochs" min="1" max="20" style="width:4em"></label>
<label>Learning rate <input type="number" id="lr" step="any" style="width:6em"></label>
<button id="train" disabled>Train (DPO)</button> <span id="speed" class="muted"></span></p>
<div class="row"><div id="chart-loss"></div><div id="chart-margin"></div><div id="chart-accuracy"></div></div>
<p><button id="train-reward" disabled>Train reward model</button> <span id="reward-metrics" class="muted"></span></p>
<h2>Supervised fine-tuning</h2>
<p class="muted">Paste JSONL (one record a line: <code>{"text": …}</code>, <code>{"prompt": …, "completion": …}</code>, <code>{"messages": […]}</code> or <code>{"input_ids": […]}</code>) or choose a file.</p>
<textarea id="sft-text" rows="5" style="width:100%;box-sizing:border-box;font-family:monospace"></textarea>
<p><label>SFT data file <input type="file" id="sft-file" accept=".jsonl,.json,.gz"></label>
<button id="train-sft">Train SFT</button></p>
<div class="row"><div id="chart-sft"></div></div>
<h2>Fresh samples <button id="fresh-button">Sample 16</button></h2>
<ol id="fresh"></ol>
<h2>Files</h2>
<p><button id="export-prefs">Export preferences (JSONL)</button>
<label>Import preferences <input type="file" id="import-prefs" accept=".jsonl,.json,.gz"></label></p>
<p><button id="export-model">Export model (Hugging Face files)</button>
<label>Open a model folder <input type="file" id="open-model" webkitdirectory multiple></label>
<button id="reset">Start over</button> <span id="model-source" class="muted"></span></p>
<script type="module" src="./app.js"></script>
</body>
</html>
`;
