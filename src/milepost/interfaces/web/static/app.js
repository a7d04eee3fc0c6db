// milepost's only script of its own: small enhancements; every page works without it.
"use strict";

const CHART_JS = "/static/vendor/chart-4.6.1.umd.min.js";
const CHARTS = "#volume-chart, canvas[data-line-chart], canvas[data-xy-chart]";

// A page reached through a boosted link keeps the old <head>, so its Chart.js <script> never
// runs: load the library here the first time a page holds a chart.
function withChartJs(then) {
  if (window.Chart) return then();
  let tag = document.getElementById("chart-js");
  if (!tag) {
    tag = document.createElement("script");
    tag.id = "chart-js";
    tag.src = CHART_JS;
    document.head.appendChild(tag);
  }
  tag.addEventListener("load", then, { once: true });
}

function enhance(root) {
  // Sign-up: start from the browser's time zone rather than UTC.
  root.querySelectorAll("[data-detect-timezone]").forEach((input) => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && input.value === "UTC") input.value = zone;
  });
  if (root.querySelector(CHARTS)) withChartJs(() => drawCharts(root));
  // Error pages: "Back" goes back (a javascript: link would be blocked by the CSP).
  root.querySelectorAll("a[data-back]").forEach((link) => {
    link.addEventListener("click", (event) => {
      if (window.history.length > 1) {
        event.preventDefault();
        window.history.back();
      }
    });
  });
}

// Plan and Progress: weekly volume, planned against done (Chart.js, vendored under static/vendor).
function drawVolume(root) {
  const canvas = root.querySelector("#volume-chart");
  const data = root.querySelector("#volume-data");
  if (canvas && data && window.Chart && !canvas.dataset.drawn) {
    const volume = JSON.parse(data.textContent);
    canvas.dataset.drawn = "1";
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: volume.labels,
        datasets: [
          { label: `Planned (${volume.unit})`, data: volume.planned, backgroundColor: "#9db8d9" },
          { label: `Done (${volume.unit})`, data: volume.done, backgroundColor: "#1f5f99" },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, title: { display: true, text: volume.unit } } },
      },
    });
  }
}

// Minutes as a decimal (5.5) → "5:30": pace axes and tooltips read as a runner reads pace.
function minutesText(value) {
  const whole = Math.floor(value);
  const seconds = Math.round((value - whole) * 60);
  return seconds === 60 ? `${whole + 1}:00` : `${whole}:${String(seconds).padStart(2, "0")}`;
}

function readSpec(canvas, id) {
  const source = id && document.getElementById(id);
  if (!source || !window.Chart || canvas.dataset.drawn) return null;
  canvas.dataset.drawn = "1";
  return JSON.parse(source.textContent);
}

// Progress: series over dates (fitness and fatigue, VDOT), from a JSON block beside the canvas.
function drawLines(canvas) {
  const spec = readSpec(canvas, canvas.dataset.lineChart);
  if (!spec) return;
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: spec.labels,
      datasets: spec.datasets.map((d) => ({
        label: d.label,
        data: d.data,
        borderColor: d.color,
        backgroundColor: d.color,
        borderDash: d.dash ? [6, 4] : [],
        borderWidth: 2,
        pointRadius: spec.points ? 3 : 0,
        spanGaps: true,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { ticks: { maxTicksLimit: 6, maxRotation: 0 } },
        y: { title: { display: true, text: spec.y_title } },
      },
    },
  });
}

// An activity: one channel against distance or time; pace drawn faster-is-higher.
function drawXY(canvas) {
  const spec = readSpec(canvas, canvas.dataset.xyChart);
  if (!spec) return;
  const format = (v) => (spec.pace ? minutesText(v) : String(Math.round(v)));
  new window.Chart(canvas, {
    type: "line",
    data: {
      datasets: [
        { label: spec.label, data: spec.points, borderColor: spec.color, borderWidth: 1.5, pointRadius: 0 },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "nearest", axis: "x", intersect: false },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => `${spec.label}: ${format(item.parsed.y)}` } },
      },
      scales: {
        x: { type: "linear", title: { display: true, text: spec.x_title }, ticks: { maxTicksLimit: 8 } },
        y: { reverse: spec.pace, ticks: { callback: format } },
      },
    },
  });
}

function drawCharts(root) {
  drawVolume(root);
  root.querySelectorAll("canvas[data-line-chart]").forEach(drawLines);
  root.querySelectorAll("canvas[data-xy-chart]").forEach(drawXY);
}

document.addEventListener("DOMContentLoaded", () => enhance(document));
document.addEventListener("htmx:load", (event) => enhance(event.detail.elt));

// Log: show how far an upload has gone.
document.addEventListener("htmx:xhr:progress", (event) => {
  const bar = document.getElementById("upload-progress");
  if (bar && event.detail.lengthComputable) {
    bar.hidden = false;
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  }
});
