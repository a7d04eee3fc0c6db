// milepost's only script of its own: small enhancements; every page works without it.
"use strict";

function enhance(root) {
  // Sign-up: start from the browser's time zone rather than UTC.
  root.querySelectorAll("[data-detect-timezone]").forEach((input) => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && input.value === "UTC") input.value = zone;
  });

  // Plan: weekly volume, planned against done (Chart.js, vendored under static/vendor).
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
