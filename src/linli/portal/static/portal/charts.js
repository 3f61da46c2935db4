// Draws every chart of the page with Apache ECharts (vendored, no CDN). Each chart is a
// <figure data-chart="ID"> holding an empty .chart-canvas and a JSON data island (a
// <script type="application/json" id="ID">, which the CSP allows: it is never executed) written by
// portal/_chart.html beside a table with the same numbers. Kinds (linli.core.charts):
//   bars  — vertical bars per category      hbars — horizontal bars (rankings, long names)
//   stack — horizontal stacked counts        line  — a trend over months, one axis per unit
// Targets are dashed lines (markLine) on their series. Canvas renderer: nothing is written into
// a style attribute, so style-src 'self' holds. The table prints; the canvas prints as a picture.
(() => {
  "use strict";
  if (!window.echarts) return;

  const PALETTE = ["#0a4f9c", "#d97706", "#2f7d4f", "#7c3aed", "#a4161a", "#4a5563"];
  const TEXT = "#1b2430";
  const MUTED = "#4a5563";
  const lang = (document.documentElement.lang || "zh-hans").toLowerCase();
  const zh = lang.startsWith("zh");
  // The page's own font stack (CJK fallbacks: WenQuanYi, Noto CJK), so Chinese labels render.
  const font =
    getComputedStyle(document.body).fontFamily ||
    '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
  const charts = [];

  const fmt = (value, unit) => {
    if (value === null || value === undefined) return "—";
    return unit === "%" ? `${value}%` : String(value);
  };
  const units = (series) => [...new Set(series.map((s) => s.unit || ""))].slice(0, 2);

  function valueAxis(unit, horizontal, index) {
    const axis = {
      type: "value",
      min: 0,
      max: unit === "%" ? 100 : null,
      minInterval: unit === "%" ? 0 : 1,
      axisLabel: { color: MUTED, formatter: (v) => fmt(v, unit), hideOverlap: true },
      splitLine: { show: index === 0, lineStyle: { color: "#e5e9ef" } },
    };
    if (horizontal) axis.position = index === 0 ? "bottom" : "top";
    return axis;
  }

  function categoryAxis(data, horizontal, narrow) {
    return {
      type: "category",
      data,
      inverse: horizontal, // the first row (the best-ranked, the first unit) at the top
      axisTick: { alignWithLabel: true },
      axisLabel: {
        color: TEXT,
        hideOverlap: !horizontal,
        width: narrow ? 88 : 160,
        overflow: "truncate",
        rotate: !horizontal && narrow && data.length > 6 ? 40 : 0,
      },
    };
  }

  // A target's line carries only its value (the table names it). Two close targets (98 % and
  // 100 %) would print on top of each other: above a chart of horizontal bars, the highest
  // target's label leans right of its line and the others left.
  function targetLine(spec, target, horizontal) {
    const unit = spec.series[target.series].unit;
    const highest = Math.max(...spec.targets.map((t) => t.value));
    return {
      [horizontal ? "xAxis" : "yAxis"]: target.value,
      name: target.name,
      label: {
        formatter: fmt(target.value, unit),
        color: "#a4161a",
        position: horizontal ? "start" : "end", // the category axis runs downwards: start is the top
        align: horizontal ? (target.value === highest ? "left" : "right") : "left",
        verticalAlign: horizontal ? "bottom" : "middle",
        padding: [0, 3],
      },
    };
  }

  function option(spec, narrow) {
    const horizontal = spec.kind === "hbars" || spec.kind === "stack";
    const axisUnits = units(spec.series);
    const valueAxes = axisUnits.map((u, i) => valueAxis(u, horizontal, i));
    const series = spec.series.map((s, i) => {
      const axisIndex = Math.max(0, axisUnits.indexOf(s.unit || ""));
      const item = {
        name: s.name,
        type: spec.kind === "line" ? "line" : "bar",
        data: s.values,
        barMaxWidth: 28,
        emphasis: { focus: "series" },
        tooltip: { valueFormatter: (v) => fmt(v, s.unit) },
      };
      if (s.color) item.itemStyle = { color: s.color };
      if (spec.kind === "stack") item.stack = "total";
      if (spec.kind === "line") Object.assign(item, { smooth: false, symbolSize: 6, connectNulls: false });
      item[horizontal ? "xAxisIndex" : "yAxisIndex"] = axisIndex;
      const targets = (spec.targets || []).map((t, n) => [t, n]).filter(([t]) => t.series === i);
      if (targets.length) {
        item.markLine = {
          symbol: "none",
          silent: true,
          lineStyle: { type: "dashed", width: 2, color: "#a4161a" },
          data: targets.map(([t]) => targetLine(spec, t, horizontal)),
        };
      }
      return item;
    });
    const categories = categoryAxis(spec.categories, horizontal, narrow);
    return {
      animation: false, // what prints and what a screenshot shows is the final picture
      color: PALETTE,
      textStyle: { fontFamily: font, color: TEXT },
      aria: { enabled: false }, // the table beside the chart carries the numbers
      legend: { top: 0, type: "scroll", textStyle: { color: TEXT } },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      grid: {
        left: 8,
        right: horizontal && (spec.targets || []).length ? 40 : 24, // room for a target label at 100 %
        top: horizontal && axisUnits.length > 1 ? 64 : 48,
        bottom: 16,
        containLabel: true,
      },
      xAxis: horizontal ? valueAxes : categories,
      yAxis: horizontal ? categories : valueAxes,
      series,
    };
  }

  function height(spec) {
    if (spec.kind === "hbars" || spec.kind === "stack") {
      const perRow = spec.kind === "stack" ? 24 : 10 + 14 * spec.series.length;
      return Math.max(200, spec.categories.length * perRow + 90);
    }
    return 300;
  }

  function draw(figure) {
    const island = document.getElementById(figure.dataset.chart);
    const canvas = figure.querySelector(".chart-canvas");
    if (!island || !canvas) return;
    const spec = JSON.parse(island.textContent);
    canvas.style.height = `${height(spec)}px`; // CSSOM, not a style attribute: allowed by the CSP
    const chart = window.echarts.init(canvas, null, { renderer: "canvas", locale: zh ? "ZH" : "EN" });
    chart.setOption(option(spec, canvas.clientWidth < 560));
    figure.classList.add("chart-drawn");
    charts.push({ chart, spec, canvas });
  }

  function resize() {
    for (const item of charts) {
      item.chart.setOption(option(item.spec, item.canvas.clientWidth < 560), { replaceMerge: ["series"] });
      item.chart.resize();
    }
  }

  let pending = null;
  window.addEventListener("resize", () => {
    clearTimeout(pending);
    pending = setTimeout(resize, 150);
  });

  // Printing: the tables print open (a closed <details> would print nothing); the charts are
  // redrawn at the paper's width so the picture is not cut off.
  const opened = [];
  window.addEventListener("beforeprint", () => {
    for (const details of document.querySelectorAll("details.chart-table:not([open])")) {
      details.open = true;
      opened.push(details);
    }
    resize();
  });
  window.addEventListener("afterprint", () => {
    while (opened.length) opened.pop().open = false;
    resize();
  });

  const start = () => document.querySelectorAll("figure.chart[data-chart]").forEach(draw);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
