// Draws the dashboard's chart from the data its element carries. Without JavaScript the table says the same.
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("chart");
    if (!el || typeof uPlot === "undefined") { return; }
    var data = JSON.parse(el.getAttribute("data-series"));
    var labels = (el.getAttribute("data-labels") || "Opt-ins|Opt-outs|Confirmations").split("|");
    var colours = ["#1e7b34", "#b42318", "#24527a"];
    var kinds = ["OPT_IN", "OPT_OUT", "CONFIRMATION"];
    var series = [{}];
    var columns = [data.x];
    kinds.forEach(function (kind, i) {
      series.push({ label: labels[i], stroke: colours[i], width: 2, points: { show: data.x.length <= 31 } });
      columns.push(data[kind]);
    });
    var opts = {
      width: Math.max(300, el.clientWidth),
      height: 280,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); },
      series: series,
      scales: { y: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
      axes: [{}, { values: function (u, splits) { return splits.map(function (v) { return Number.isInteger(v) ? v : ""; }); } }],
      legend: { show: false }
    };
    var plot = new uPlot(opts, columns, el);
    window.addEventListener("resize", function () { plot.setSize({ width: Math.max(300, el.clientWidth), height: 280 }); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
