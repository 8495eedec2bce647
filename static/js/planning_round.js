// The round planning page: target filters (a village round's also by township), counts, and
// the busy label on submit.
(function () {
  var form = document.getElementById("plan-form");
  if (!form) return;
  var q = document.getElementById("f-q"), sector = document.getElementById("f-sector"),
      tag = document.getElementById("f-tag"), onlyChecked = document.getElementById("f-checked"),
      onlyProposed = document.getElementById("f-proposed"),
      township = document.getElementById("f-township");
  function count() {
    var boxes = form.querySelectorAll("input[name=targets]:checked");
    document.getElementById("picked-count").textContent = boxes.length;
    form.querySelectorAll("fieldset.sector-group").forEach(function (fs) {
      fs.querySelector(".group-count").textContent = fs.querySelectorAll("input[name=targets]:checked").length;
    });
    form.querySelectorAll("fieldset.township-group").forEach(function (fs) {
      fs.querySelector(".township-count").textContent = fs.querySelectorAll("input[name=targets]:checked").length;
    });
    var teams = parseInt(form.elements.teams.value, 10), n = parseInt(form.elements.targets_per_team.value, 10);
    document.getElementById("capacity").textContent = teams > 0 && n > 0 ? teams * n : "—";
  }
  function filter() {
    var text = q.value.trim().toLowerCase().replace(/\s+/g, ""), s = sector.value, t = tag ? tag.value : "",
        w = township ? township.value : "";
    form.querySelectorAll("fieldset.sector-group").forEach(function (fs) {
      var shown = 0;
      fs.querySelectorAll("li").forEach(function (li) {
        var box = li.querySelector("input"), group = li.closest("fieldset.township-group");
        var ok = (!s || fs.dataset.sector === s) &&
          (!w || (group !== null && group.dataset.township === w)) &&
          (!text || li.dataset.search.indexOf(text) >= 0 || li.textContent.indexOf(text) >= 0) &&
          (!t || li.dataset.tags.split("|").indexOf(t) >= 0) &&
          (!onlyChecked.checked || box.checked) && (!onlyProposed.checked || li.hasAttribute("data-proposed"));
        li.hidden = !ok;
        if (ok) shown++;
      });
      fs.hidden = shown === 0;
      fs.querySelectorAll("fieldset.township-group").forEach(function (g) {
        g.hidden = g.querySelector("li:not([hidden])") === null;
      });
    });
  }
  form.querySelectorAll("[data-select]").forEach(function (button) {
    button.addEventListener("click", function () {
      var all = button.dataset.select === "all";
      button.closest("fieldset").querySelectorAll("li:not([hidden]) input[name=targets]").forEach(function (box) { box.checked = all; });
      count();
    });
  });
  [q, sector, tag, township, onlyChecked, onlyProposed].forEach(function (el) { if (el) el.addEventListener("input", filter); });
  form.addEventListener("change", count);
  form.addEventListener("submit", function () {
    var button = document.getElementById("start-planning");
    button.disabled = true;
    button.textContent = form.dataset.submitting;
  });
  count();
})();
