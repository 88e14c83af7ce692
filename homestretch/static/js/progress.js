// The progress page's charts: each <canvas data-chart> is drawn with Chart.js from the JSON
// the page carries (json_script). The tables beside them hold the same numbers, so without
// this script (or without Chart.js) the page still says everything.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return;
  const Chart = window.Chart;

  const css = getComputedStyle(document.documentElement);
  const color = (name) => css.getPropertyValue(name).trim();
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  Chart.defaults.color = color("--text");
  Chart.defaults.borderColor = color("--border");
  Chart.defaults.font.family = css.fontFamily;
  if (reduceMotion) Chart.defaults.animation = false;

  // "2025-03-03" as the reader's calendar writes it; parsed as a local date, never UTC.
  const dayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
  const day = (iso) => {
    const [y, m, d] = iso.split("-").map(Number);
    return dayFormat.format(new Date(y, m - 1, d));
  };

  const painScale = { min: 0, max: 10, ticks: { stepSize: 2 } };

  // Lines differ by dash and point shape as well as colour, for readers who can't tell
  // the colours apart.
  const line = (label, data, colorName, dash, pointStyle) => ({
    label,
    data,
    borderColor: color(colorName),
    backgroundColor: color(colorName),
    borderDash: dash,
    pointStyle,
    pointRadius: data.length > 60 ? 0 : 3,
    spanGaps: true,
    tension: 0.2,
  });

  const builders = {
    pain: (data) => ({
      type: "line",
      data: {
        labels: data.labels.map(day),
        datasets: [
          line("Pain before", data.before, "--warn-text", [6, 4], "rect"),
          line("Pain after", data.after, "--accent", [], "circle"),
        ],
      },
      options: { scales: { y: { ...painScale, title: { display: true, text: "Pain (0 to 10)" } } } },
    }),
    adherence: (data) => ({
      type: "bar",
      data: {
        labels: data.labels.map(day),
        datasets: [{ label: "Days practised", data: data.days, backgroundColor: color("--accent") }],
      },
      options: {
        plugins: { legend: { display: false } },
        scales: {
          x: { title: { display: true, text: "Week of" } },
          y: { min: 0, max: 7, ticks: { stepSize: 1 }, title: { display: true, text: "Days" } },
        },
      },
    }),
    outcomes: (data) => ({
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          line("Pain now", data.pain_now, "--warn-text", [6, 4], "rect"),
          line("Average pain, last week", data.pain_week, "--error", [2, 3], "triangle"),
          line("Activities (PSFS average)", data.psfs, "--accent", [], "circle"),
        ],
      },
      options: { scales: { y: { ...painScale, title: { display: true, text: "Score (0 to 10)" } } } },
    }),
  };

  for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
    const build = builders[canvas.dataset.chart];
    const source = document.getElementById(canvas.dataset.source);
    if (!build || !source) continue;
    const config = build(JSON.parse(source.textContent));
    config.options.responsive = true;
    config.options.maintainAspectRatio = false;
    config.options.interaction = { mode: "index", intersect: false };
    config.options.plugins = config.options.plugins || {};
    config.options.plugins.legend = {
      labels: { usePointStyle: true },
      ...config.options.plugins.legend,
    };
    const box = canvas.parentElement;
    box.hidden = false;
    new Chart(canvas, config);
    const figure = canvas.closest("[data-chart-figure]");
    figure.dataset.chartReady = "true";
    // The chart now tells the story; its table stays one click away.
    const table = figure.parentElement.querySelector("[data-chart-table]");
    if (table) table.open = false;
  }
})();
