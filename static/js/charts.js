// Every ECharts chart of a page: an element with data-chart="<id of a json_script>" is drawn
// with the option in that JSON, and redrawn when the window is resized.
document.querySelectorAll("[data-chart]").forEach(function (el) {
  var option = JSON.parse(document.getElementById(el.dataset.chart).textContent);
  var chart = echarts.init(el);
  chart.setOption(option);
  window.addEventListener("resize", function () { chart.resize(); });
});
